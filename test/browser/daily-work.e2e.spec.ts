import { Browser } from 'playwright-core';
import { aRisSuppressionForTheSaj, apiOf, Call } from '../support/api';
import { eventually, startTestRelais, TestRelais } from '../support/relais-app';
import {
  expectNoSeriousViolations,
  launchBrowser,
  openPage,
  screenshot,
  signIn,
  WatchedPage,
} from './support/browser';

jest.setTimeout(120_000);

/** The cases list as daily work needs it: the family by name, a search, filters. */
describe('daily work, in the browser', () => {
  let relais: TestRelais;
  let browser: Browser;
  let call: Call;
  let asCiney: string;
  const pages: WatchedPage[] = [];

  beforeAll(async () => {
    [relais, browser] = await Promise.all([startTestRelais(), launchBrowser()]);
    call = apiOf(relais);
    asCiney = await relais.token('as@cpas-ciney.demo');
  });
  afterAll(async () => {
    await browser?.close();
    await relais?.close();
  });
  afterEach(async () => {
    const errors = pages.flatMap((p) => p.errors);
    await Promise.all(pages.splice(0).map((p) => p.close()));
    expect(errors).toEqual([]);
  });

  async function personAt(email: string): Promise<WatchedPage> {
    const watched = await openPage(browser, { bypassCSP: true });
    pages.push(watched);
    await signIn(watched.page, relais.url, email);
    return watched;
  }

  it('a CPAS social worker sees the families by name, searches one, and filters by commune and assignment', async () => {
    const opened = await call<{ caseId: string }>('POST', '/api/v1/cases', asCiney, {
      occurredOn: '2026-11-02',
      residenceCommune: '91034',
      legalBasis: 'legal_obligation',
      familyMembers: [{ role: 'parent', firstName: 'Aurélie', lastName: 'Journal-Accès' }],
    });
    expect(opened.status).toBe(201);
    const { reference } = (
      await call<{ reference: string }>('GET', `/api/v1/cases/${opened.body.caseId}`, asCiney)
    ).body;

    const { page } = await personAt('as@cpas-ciney.demo');
    await page.goto(`${relais.url}/cases`);
    const table = page.getByRole('table', { name: 'Mes dossiers' });
    await table.getByRole('link', { name: reference }).waitFor();
    // The demo family of Ciney, by name, and the new one.
    expect(await table.innerText()).toContain('Sophie Lambotte');
    expect(await table.innerText()).toContain('Aurélie Journal-Accès');
    await expectNoSeriousViolations(page, 'the cases list');
    await screenshot(page, '50-cases-with-names');

    await page.getByRole('textbox', { name: 'Rechercher un dossier' }).fill('journal acces');
    await page.getByRole('button', { name: 'Rechercher' }).click();
    await page.waitForURL(/q=journal/);
    await page.getByRole('button', { name: 'Effacer la recherche' }).waitFor();
    await page.waitForFunction(
      "!document.querySelector('table')?.textContent?.includes('Lambotte')",
    );
    await table.getByRole('link', { name: reference }).waitFor();
    expect(await table.getByRole('row').count()).toBe(2); // the header and the one case
    await screenshot(page, '51-cases-search');

    await page.getByRole('button', { name: 'Effacer la recherche' }).click();
    await page.getByLabel('Commune').selectOption({ label: 'Dinant' });
    await page.waitForURL(/commune=91034/);
    await table.getByRole('link', { name: reference }).waitFor();
    await page.waitForFunction(
      "!document.querySelector('table')?.textContent?.includes('Lambotte')",
    );
    await page.getByLabel('Dossiers', { exact: true }).selectOption('me');
    await page.waitForURL(/assigned=me/);
    await table.getByRole('link', { name: reference }).waitFor();
    await screenshot(page, '52-cases-filters');

    await page.getByRole('textbox', { name: 'Rechercher un dossier' }).fill('Personne Inconnue');
    await page.getByRole('button', { name: 'Rechercher' }).click();
    await page.getByText('Aucun dossier ne correspond à cette recherche.').waitFor();
  });

  it('the SAJ delegate reads the family’s name on the inbox card of a case it joined', async () => {
    const caseId = await aRisSuppressionForTheSaj(call, asCiney);
    const { page } = await personAt('delegue1@saj-dinant.demo');
    await page.goto(`${relais.url}/inbox`);
    const card = page.locator(`li.notification[data-case-id="${caseId}"]`);
    await card.getByText('Famille : Céline Dumont').waitFor();
    await expectNoSeriousViolations(page, 'the inbox');
    await screenshot(page, '53-inbox-card-with-names');
  });

  it('a social worker opening a case for a NISS already followed is warned in French, with a link, and may go on', async () => {
    const niss = '91030412340';
    const opened = await call<{ caseId: string }>('POST', '/api/v1/cases', asCiney, {
      occurredOn: '2026-11-02',
      residenceCommune: '91030',
      legalBasis: 'legal_obligation',
      familyMembers: [{ role: 'parent', firstName: 'Jeanne', lastName: 'Deja-Suivie', niss }],
    });
    expect(opened.status).toBe(201);
    const { reference } = (
      await call<{ reference: string }>('GET', `/api/v1/cases/${opened.body.caseId}`, asCiney)
    ).body;
    await eventually(
      async () =>
        (
          await call<{ openCases: unknown[] }>('POST', '/api/v1/cases/preview', asCiney, {
            occurredOn: '2026-11-20',
            residenceCommune: '91030',
            legalBasis: 'legal_obligation',
            familyMembers: [{ role: 'parent', firstName: 'J', lastName: 'D', niss }],
          })
        ).body.openCases.length > 0,
    );

    const { page } = await personAt('as@cpas-ciney.demo');
    await page.goto(`${relais.url}/cases/new`);
    await page.getByLabel("Date d'ouverture").fill('20/11/2026');
    await page.getByLabel('Prénom').fill('Jeanne');
    await page.getByLabel('Nom', { exact: true }).fill('Deja-Suivie');
    await page.getByLabel('Numéro de registre national (NISS)').fill(niss);
    await page.getByRole('button', { name: 'Ouvrir le dossier' }).click();
    const warning = page.getByRole('status').filter({ hasText: 'Un dossier est déjà ouvert' });
    await warning.waitFor();
    const link = warning.getByRole('link', {
      name: `Membre 1 — dossier ${reference}, ouvert le 02/11/2026`,
    });
    expect(await link.getAttribute('href')).toBe(`/cases/${opened.body.caseId}`);
    expect(page.url()).toContain('/cases/new'); // nothing opened yet
    await expectNoSeriousViolations(page, 'the duplicate warning');
    await screenshot(page, '58-open-case-duplicate');
    // On a phone the warning and its link fit the screen.
    await page.setViewportSize({ width: 375, height: 812 });
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
    await screenshot(page, '58-open-case-duplicate-phone');
    await page.setViewportSize({ width: 1280, height: 900 });

    await page.getByRole('button', { name: 'Ouvrir quand même un nouveau dossier' }).click();
    await page.waitForURL(/\/cases\/[0-9a-f-]{36}$/);
    expect(page.url()).not.toContain(opened.body.caseId);
  });

  it('a social worker hands a case to a colleague, in French, and the timeline says who follows it now', async () => {
    const opened = await call<{ caseId: string }>('POST', '/api/v1/cases', asCiney, {
      occurredOn: '2026-11-02',
      residenceCommune: '91030',
      legalBasis: 'legal_obligation',
      familyMembers: [{ role: 'parent', firstName: 'Paul', lastName: 'Releve' }],
    });
    expect(opened.status).toBe(201);
    const { page } = await personAt('as@cpas-ciney.demo');
    await page.goto(`${relais.url}/cases/${opened.body.caseId}`);
    await page.getByRole('link', { name: 'Consigner un événement' }).click();
    await page.getByLabel("Type d'événement").selectOption({ label: 'Changement d’intervenant·e' });
    await page.getByLabel('Date des faits').fill('20/11/2026');
    await page.getByRole('button', { name: 'Vérifier et prévisualiser' }).click();
    await page.getByText('Choisissez au moins une valeur.', { exact: false }).first().waitFor();
    await page.getByRole('checkbox', { name: /^Chef de service, CPAS de Ciney/ }).check();
    await page.getByRole('button', { name: 'Vérifier et prévisualiser' }).click();
    await page.getByRole('heading', { name: 'Aperçu : qui sera informé, et pour quand' }).waitFor();
    await screenshot(page, '59-reassign-preview');
    await page.getByRole('button', { name: "Confirmer et enregistrer l'événement" }).click();
    await page.getByText('Événement enregistré : Changement d’intervenant·e.').waitFor();
    const entry = page.locator('li.timeline-item[data-event-type="CaseWorkerReassigned"]');
    await entry.waitFor();
    const text = await entry.innerText();
    expect(text).toContain('Intervenant·es désigné·es');
    expect(text).toContain('Chef de service, CPAS de Ciney');
    expect(text).toContain('Intervenant·es précédent·es');
    expect(text).toContain('Assistant·e social·e, CPAS de Ciney');
    await expectNoSeriousViolations(page, 'the timeline after a reassignment');
    await screenshot(page, '60-reassigned-timeline');
  });
});

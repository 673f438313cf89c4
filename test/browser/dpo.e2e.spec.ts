import { readFile } from 'node:fs/promises';
import { Browser } from 'playwright-core';
import { apiOf, Call, joinedBy } from '../support/api';
import { readPdf } from '../support/pdf-text';
import { startTestRelais, TestRelais } from '../support/relais-app';
import { launchBrowser, openPage, screenshot, signIn, WatchedPage } from './support/browser';

jest.setTimeout(120_000);

/**
 * The DPO, as a new user would: finds the family by NISS, sees who opened its case last month,
 * exports that, and downloads the family's own report.
 */
describe('the DPO in the browser', () => {
  let relais: TestRelais;
  let browser: Browser;
  let call: Call;
  let caseId: string;
  let reference: string;
  let october: string;
  const opened: WatchedPage[] = [];

  beforeAll(async () => {
    [relais, browser] = await Promise.all([startTestRelais(), launchBrowser()]);
    call = apiOf(relais);
    const as = await relais.token('as@cpas-ciney.demo');
    relais.clock.set(new Date('2026-10-14T10:00:00+02:00'));
    const opening = await call<{ caseId: string }>('POST', '/api/v1/cases', as, {
      occurredOn: '2026-10-14',
      residenceCommune: '91030',
      legalBasis: 'legal_obligation',
      familyMembers: [
        { role: 'parent', firstName: 'Sophie', lastName: 'Lemaire', niss: '92031512322' },
        { role: 'child', firstName: 'Lucas', lastName: 'Lemaire' },
      ],
    });
    expect(opening.status).toBe(201);
    caseId = opening.body.caseId;
    await joinedBy(call, as, caseId, 'saj-dinant', {
      legalBasis: 'judicial_mandate',
      on: '2026-10-14',
    });
    // Last month, a delegate who is not assigned opens the case.
    relais.clock.set(new Date('2026-10-16T09:30:00+02:00'));
    const delegate = await relais.token('delegue2@saj-dinant.demo');
    october = (await call<{ name: string }>('GET', '/api/v1/me', delegate)).body.name;
    const read = await call<{ reference: string }>('GET', `/api/v1/cases/${caseId}`, delegate);
    expect(read.status).toBe(200);
    reference = read.body.reference;
    relais.clock.set(new Date('2026-11-20T10:00:00+01:00'));
    const other = await relais.token('delegue1@saj-dinant.demo');
    expect((await call('GET', `/api/v1/cases/${caseId}`, other)).status).toBe(200);
  });
  afterAll(async () => {
    await browser?.close();
    await relais?.close();
  });
  afterEach(async () => {
    const errors = opened.flatMap((p) => p.errors);
    await Promise.all(opened.splice(0).map((p) => p.close()));
    expect(errors).toEqual([]);
  });

  it('finds who opened the family’s case last month, exports it, and downloads the family’s report as a PDF', async () => {
    const watched = await openPage(browser);
    opened.push(watched);
    const { page } = watched;
    await signIn(page, relais.url, 'dpo@relais.demo');
    await page
      .getByRole('heading', { level: 1, name: 'Protection des données — Personnes' })
      .waitFor();
    expect(await page.locator('nav.workspaces a').allInnerTexts()).toEqual([
      'Protection des données',
    ]);

    // A NISS with a digit missing is refused at its field, nothing asked of the API.
    const niss = page.getByLabel('Numéro de registre national (NISS)');
    await niss.fill('92.03.15-123.2');
    await page.getByRole('button', { name: 'Rechercher' }).click();
    expect(await page.locator('#field-niss-error').innerText()).toBe(
      'Indiquez les 11 chiffres du numéro de registre national.',
    );
    expect(await niss.getAttribute('aria-invalid')).toBe('true');

    await niss.fill('92.03.15-123.22');
    await page.getByRole('button', { name: 'Rechercher' }).click();
    await page.getByRole('heading', { name: '1 personne trouvée.' }).waitFor();
    const row = page.locator(`tr[data-case-id="${caseId}"]`);
    expect(await row.innerText()).toMatch(
      new RegExp(`${reference}\\s+14/10/2026\\s+En cours\\s+Parent`),
    );
    // The search shows who the person is by id and cases only.
    expect(await page.locator('main').innerText()).not.toContain('Lemaire');
    await screenshot(page, 'dpo-people');

    await page.getByRole('link', { name: 'Voir qui a consulté ses dossiers' }).click();
    await page
      .getByRole('heading', { level: 1, name: 'Protection des données — Journal des accès' })
      .waitFor();
    await page.getByLabel('Du', { exact: true }).fill('32/10/2026');
    await page.getByLabel('Au', { exact: true }).fill('31/10/2026');
    await page.getByRole('button', { name: 'Rechercher' }).click();
    expect(await page.locator('#field-from-error').innerText()).toMatch(/^Date invalide/);
    await page.getByLabel('Du', { exact: true }).fill('01/10/2026');
    await page.getByRole('button', { name: 'Rechercher' }).click();
    await page.waitForURL(/from=2026-10-01/);
    // The results of this search, not the ones shown while it loads.
    const results = page.locator('section[data-search*="from=2026-10-01"]');
    await results.getByRole('heading', { name: /accès, du plus récent au plus ancien/ }).waitFor();
    const rows = results.locator('table.data tbody tr');
    const texts = await rows.allInnerTexts();
    expect(texts.length).toBeGreaterThan(0);
    for (const text of texts) expect(text).toMatch(/^1[46]\/10\/2026/);
    const opener = texts.find((text) => text.includes(october));
    expect(opener).toMatch(/^16\/10\/2026 09:30/);
    expect(opener).toContain('SAJ de Dinant');
    expect(opener).toContain('Suivi du dossier');
    expect(opener).toContain('Autorisé');
    await screenshot(page, 'dpo-access-log');

    const [csv] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Exporter (CSV)' }).click(),
    ]);
    expect(csv.suggestedFilename()).toBe('relais-journal-acces.csv');
    const exported = await readFile(await csv.path());
    expect(exported.toString('utf8')).toContain('2026-10-16');
    expect(exported.toString('utf8')).not.toContain('2026-11-20');

    await page.getByRole('link', { name: 'Personnes' }).click();
    await page.getByLabel('nom et prénom').check();
    await page.getByLabel('Prénom et nom').fill('lemaire sophie');
    await page.getByRole('button', { name: 'Rechercher' }).click();
    await page.locator(`tr[data-case-id="${caseId}"]`).waitFor();
    const [report] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Télécharger le rapport (PDF)' }).click(),
    ]);
    expect(report.suggestedFilename()).toMatch(/^relais-rapport-2026-11-20\.pdf$/);
    const pdf = await readFile(await report.path());
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const { text } = readPdf(pdf);
    expect(text).toContain('Sophie');
    expect(text).toContain(`16/10/2026 à 09:30 — ${october} (SAJ de Dinant)`);
    await page.getByText('Fichier téléchargé : relais-rapport-2026-11-20.pdf.').waitFor();
  });
});

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
    await page.getByRole('heading', { name: '1 personne trouvée.', exact: true }).waitFor();
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
    // The case by the reference its partners know, never a cut id.
    expect(opener).toContain(reference);
    expect(opener).not.toContain(caseId.slice(0, 8));
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

  it('filters the access log by a person whose NISS or name the DPO types', async () => {
    const watched = await openPage(browser);
    opened.push(watched);
    const { page } = watched;
    await signIn(page, relais.url, 'dpo@relais.demo');
    await page.getByRole('link', { name: 'Journal des accès' }).click();
    const person = page.getByLabel('Personne (NISS ou nom)');
    await person.fill('92.03.15-123.21');
    await page.getByRole('button', { name: 'Rechercher' }).click();
    expect(await page.locator('#field-person-error').innerText()).toBe(
      'Aucune personne ne correspond.',
    );
    await person.fill('92.03.15-123.22');
    await page.getByLabel('Du', { exact: true }).fill('01/10/2026');
    await page.getByLabel('Au', { exact: true }).fill('31/10/2026');
    await page.getByRole('button', { name: 'Rechercher' }).click();
    await page.waitForURL(/subject=[0-9a-f-]{36}/);
    // The address names the person by id, never by the NISS typed.
    expect(page.url()).not.toContain('92031512322');
    const results = page.locator('section[data-search*="subject="]');
    await results.getByRole('heading', { name: /accès, du plus récent au plus ancien/ }).waitFor();
    const texts = await results.locator('table.data tbody tr').allInnerTexts();
    expect(texts.find((t) => t.includes(october))).toMatch(/^16\/10\/2026 09:30/);
    for (const text of texts) expect(text).toContain(reference);

    await person.fill('Lucas Lemaire');
    await page.getByRole('button', { name: 'Rechercher' }).click();
    await page.waitForURL(/subject=/);
    await page
      .locator('section[data-search*="subject="]')
      .getByRole('heading', { name: /accès, du plus récent au plus ancien/ })
      .waitFor();
    await screenshot(page, 'dpo-access-log-by-person');
  });

  it('as the demo DPO: finds who opened the Ciney family’s case last month, downloads its report, erases the mother with a reason and sees her erased', async () => {
    const watched = await openPage(browser);
    opened.push(watched);
    const { page } = watched;
    await signIn(page, relais.url, 'dpo@relais.demo');
    const findSophie = async () => {
      await page.getByLabel('nom et prénom').check();
      await page.getByLabel('Prénom et nom').fill('Sophie Lambotte');
      await page.getByRole('button', { name: 'Rechercher' }).click();
    };
    await findSophie();
    await page.getByRole('heading', { name: '1 personne trouvée.', exact: true }).waitFor();
    const person = page.locator('article.member');
    const demoCaseId = await person.locator('tr[data-case-id]').getAttribute('data-case-id');
    const demoReference = await person.locator('tr[data-case-id] th').innerText();
    expect(demoReference).toMatch(/^[A-Z]{3}-2026-[0-9A-F]{4}$/);

    // The demo seed holds last month's reads of this case: who opened it, and who read its timeline.
    await page.getByRole('link', { name: 'Voir qui a consulté ses dossiers' }).click();
    await page.getByLabel('Du', { exact: true }).fill('01/10/2026');
    await page.getByLabel('Au', { exact: true }).fill('31/10/2026');
    await page.getByRole('button', { name: 'Rechercher' }).click();
    await page.waitForURL(/from=2026-10-01/);
    const results = page.locator('section[data-search*="from=2026-10-01"]');
    await results
      .getByRole('heading', { name: '2 accès, du plus récent au plus ancien.' })
      .waitFor();
    const texts = await results.locator('table.data tbody tr').allInnerTexts();
    const opener = texts.find((t) => t.includes('Délégué·e 2, SAJ de Dinant'));
    expect(opener).toMatch(/^15\/10\/2026 09:30/);
    expect(opener).toContain('Suivi du dossier');
    expect(opener).toContain('Autorisé');
    expect(opener).toContain(demoReference);
    await screenshot(page, 'dpo-demo-last-month');

    await page.getByRole('link', { name: 'Personnes' }).click();
    await findSophie();
    const [report] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Télécharger le rapport (PDF)' }).click(),
    ]);
    const before = readPdf(await readFile(await report.path())).text;
    expect(before).toContain('Sophie');
    expect(before).toContain('15/10/2026 à 09:30 — Délégué·e 2, SAJ de Dinant (SAJ de Dinant)');

    // Erasure: a reason is required, then a confirmation says what goes and what stays.
    await page.getByRole('button', { name: 'Effacer les données de cette personne' }).click();
    await page.getByRole('button', { name: 'Continuer' }).click();
    expect(await page.locator('#field-reason-1-error').innerText()).toBe(
      'Choisissez le motif de l’effacement.',
    );
    expect(await page.getByLabel('Motif de l’effacement').getAttribute('aria-invalid')).toBe(
      'true',
    );
    await screenshot(page, 'dpo-erase-reason');
    await page
      .getByLabel('Motif de l’effacement')
      .selectOption({ label: 'Demande de la personne (RGPD, article 17)' });
    await page.getByRole('button', { name: 'Continuer' }).click();
    const confirmation = page.locator('section.erase');
    await confirmation.getByRole('heading', { name: 'Confirmer l’effacement' }).waitFor();
    const said = await confirmation.innerText();
    expect(said).toContain('le nom, le NISS, la date de naissance et l’adresse de cette personne');
    expect(said).toContain('les événements de ses dossiers');
    expect(said).toContain('les chiffres du respect du protocole');
    expect(said).toContain('le journal des accès, avec l’identifiant de la personne');
    expect(said).toContain('Motif : Demande de la personne (RGPD, article 17).');
    await screenshot(page, 'dpo-erase-confirm');
    await page.getByRole('button', { name: 'Confirmer l’effacement' }).click();
    await page
      .getByText(
        'Données effacées le 20/11/2026 10:00. Motif : Demande de la personne (RGPD, article 17).',
      )
      .waitFor({ timeout: 30_000 });
    expect(await person.getByRole('heading', { level: 3 }).innerText()).toMatch(/effacée$/);
    await screenshot(page, 'dpo-erased');

    // Her report now says she is erased, and holds her name no more.
    const [after] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Télécharger le rapport (PDF)' }).click(),
    ]);
    const erasedReport = readPdf(await readFile(await after.path())).text;
    expect(erasedReport).toContain('Vos données personnelles ont été effacées');
    expect(erasedReport).not.toContain('Sophie');

    await page.getByRole('link', { name: 'Effacements' }).click();
    await page
      .getByRole('heading', { level: 1, name: 'Protection des données — Effacements' })
      .waitFor();
    const erasure = await page.locator('table.data tbody tr').first().innerText();
    expect(erasure).toMatch(/^20\/11\/2026 10:00/);
    expect(erasure).toContain('Délégué·e à la protection des données');
    expect(erasure).toContain('Demande de la personne (RGPD, article 17)');
    expect(erasure).toContain(demoReference);
    await screenshot(page, 'dpo-erasures');

    // The blind index forgets her too.
    await page.getByRole('link', { name: 'Personnes' }).click();
    await findSophie();
    await page.getByRole('heading', { name: 'Aucune personne ne correspond.' }).waitFor();

    // The CPAS that follows the family sees her as erased.
    const partner = await openPage(browser);
    opened.push(partner);
    await signIn(partner.page, relais.url, 'as@cpas-ciney.demo');
    await partner.page.goto(`${relais.url}/cases/${demoCaseId}`);
    await partner.page
      .getByRole('heading', { level: 1, name: new RegExp(demoReference) })
      .waitFor();
    const caseText = await partner.page.locator('main').innerText();
    expect(caseText).toContain('Parent (données effacées)');
    expect(caseText).not.toContain('Sophie');
    expect(caseText).toContain('Noah');
    await screenshot(partner.page, 'case-with-erased-parent');
  });
});

import { Browser } from 'playwright-core';
import { apiOf, Call, notificationIn, aRisSuppressionForTheSaj } from '../support/api';
import { startTestRelais, TestRelais } from '../support/relais-app';
import { launchBrowser, openPage, screenshot, signIn, WatchedPage } from './support/browser';

jest.setTimeout(120_000);

/** What a French-speaking manager, coordinator and delegate read on the dashboard and in the inbox. */
describe('the dashboard’s scope and the inbox’s words, in French', () => {
  let relais: TestRelais;
  let browser: Browser;
  let call: Call;
  const pages: WatchedPage[] = [];

  beforeAll(async () => {
    [relais, browser] = await Promise.all([startTestRelais(), launchBrowser()]);
    call = apiOf(relais);
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
    const watched = await openPage(browser);
    pages.push(watched);
    await signIn(watched.page, relais.url, email);
    return watched;
  }

  it('the SAJ manager reads whose figures each block shows and is offered no other organisation', async () => {
    const { page } = await personAt('chef@saj-dinant.demo');
    await page.goto(`${relais.url}/dashboard`);
    await page.locator('[data-indicator="obligations"]').first().waitFor();
    const filters = page.locator('form.filters');
    expect(await filters.innerText()).toContain('SAJ de Dinant');
    expect(await filters.locator('option', { hasText: 'CPAS de Ciney' }).count()).toBe(0);
    const headings = await page.getByRole('heading', { level: 2 }).allInnerTexts();
    expect(headings).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^SAJ de Dinant : indicateurs du \d\d\/\d{4} au \d\d\/\d{4}$/),
        expect.stringMatching(/^Tout le réseau : indicateurs du /),
        expect.stringMatching(/^Obligations à risque — SAJ de Dinant/),
        expect.stringMatching(/^Obligations en défaut — SAJ de Dinant/),
      ]),
    );
    await screenshot(page, '40-dashboard-saj-manager');
  });

  it('an old link to another organisation’s figures says so at the organisation, not that the role has no access', async () => {
    const { page } = await personAt('chef@saj-dinant.demo');
    await page.goto(`${relais.url}/dashboard?organisation=cpas-ciney`);
    const error = page.locator('#field-organisation-error');
    await error.waitFor();
    expect(await error.innerText()).toContain('SAJ de Dinant');
    expect(await page.locator('main').innerText()).not.toContain('Votre rôle ne donne pas accès');
    await screenshot(page, '41-dashboard-other-organisation');
  });

  it('a reversed period is refused at its field, typed or in a link; two mistakes are “2 erreurs”', async () => {
    const { page } = await personAt('chef@saj-dinant.demo');
    await page.goto(`${relais.url}/dashboard?from=2026-11&to=2026-09`);
    await page.locator('#field-from-error').waitFor();
    expect(await page.locator('#field-from-error').innerText()).toBe(
      'La date de début doit précéder la date de fin.',
    );
    expect(await page.locator('main').innerText()).not.toContain('Une erreur est survenue');

    await page.goto(`${relais.url}/dashboard`);
    await page.locator('[data-indicator="obligations"]').first().waitFor();
    await page.getByLabel('Du', { exact: true }).fill('30/11/2026');
    await page.getByLabel('Au', { exact: true }).fill('01/10/2026');
    await page.getByRole('button', { name: 'Appliquer' }).click();
    expect(await page.locator('#field-from-error').innerText()).toBe(
      'La date de début doit précéder la date de fin.',
    );
    expect(await page.locator('.error-summary').innerText()).toContain(
      'Le formulaire contient 1 erreur :',
    );
    await page.getByLabel('Du', { exact: true }).fill('31/02/2026');
    await page.getByLabel('Au', { exact: true }).fill('demain');
    await page.getByRole('button', { name: 'Appliquer' }).click();
    await page.getByText('Le formulaire contient 2 erreurs :').waitFor();
    await screenshot(page, '42-dashboard-reversed-period');
  });

  it('the coordinator chooses among organisations in French order, filed by commune', async () => {
    const { page } = await personAt('coordination@relais.demo');
    await page.goto(`${relais.url}/dashboard`);
    await page.locator('select[name="organisation"] option').nth(10).waitFor({ state: 'attached' });
    const options = await page
      .locator('select[name="organisation"] option')
      .allInnerTexts()
      .then((all) => all.slice(1));
    expect(options.length).toBeGreaterThan(10);
    const at = (name: string) => options.indexOf(name);
    expect(at("CPAS d'Anhée")).toBeLessThan(at('CPAS de Beauraing'));
    expect(at("CPAS d'Hastière")).toBeGreaterThan(at('CPAS de Gedinne'));
    expect(at("CPAS d'Hastière")).toBeLessThan(at('CPAS de Houyet'));
    expect(at("CPAS d'Yvoir")).toBeGreaterThan(at('CPAS de Vresse-sur-Semois'));
  });

  it('the delegate’s inbox speaks from the recipient’s side', async () => {
    const as = await relais.token('as@cpas-ciney.demo');
    const delegue = await relais.token('delegue1@saj-dinant.demo');
    const caseId = await aRisSuppressionForTheSaj(call, as);
    await notificationIn(call, delegue, caseId, 'cpas-ris-suppressed');

    const { page } = await personAt('delegue1@saj-dinant.demo');
    await page.goto(`${relais.url}/inbox`);
    const main = page.locator('main');
    await page
      .getByText(/Votre accusé de réception est attendu au plus tard le \d\d\/\d\d\/\d{4}/)
      .first()
      .waitFor();
    const text = await main.innerText();
    expect(text).toContain('Ce que vos partenaires vous transmettent en application du protocole.');
    expect(text).toMatch(/À vous transmettre au plus tard le \d\d\/\d\d\/\d{4}/);
    expect(text).not.toContain('Délai d’information');
    await screenshot(page, '43-inbox-recipient-side');
  });
});

import { Browser, BrowserContext, Page } from 'playwright-core';
import { aSigningKey, TestIdentityProvider } from '../../libs/auth/src/testing/identity-provider';
import { apiOf } from '../support/api';
import { startTestRelais, TestRelais } from '../support/relais-app';
import { expectNoSeriousViolations, launchBrowser, screenshot } from './support/browser';

jest.setTimeout(120_000);

/**
 * Issue 12: signing in through the organisation's OpenID Connect provider from the login page
 * (authorization code, PKCE S256, state and nonce checked), and one session for the browser's
 * tabs, so that a link from an e-mail opens the case without signing in again.
 */
describe('signing in with the organisation’s provider, one session for every tab', () => {
  let provider: TestIdentityProvider;
  let relais: TestRelais;
  let browser: Browser;
  let caseId: string;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    const key = await aSigningKey('relais-test-key');
    provider = await TestIdentityProvider.start([key]);
    [relais, browser] = await Promise.all([
      startTestRelais({
        OIDC_ISSUER: provider.issuer,
        OIDC_AUDIENCE: 'relais-api',
        OIDC_CLIENT_ID: 'relais-web',
      }),
      launchBrowser(),
    ]);
    const opened = await apiOf(relais)<{ caseId: string }>(
      'POST',
      '/api/v1/cases',
      await provider.sign(key, { email: 'as@cpas-ciney.demo' }),
      {
        occurredOn: '2026-11-20',
        residenceCommune: '91030',
        legalBasis: 'legal_obligation',
        familyMembers: [{ role: 'parent', firstName: 'Anne', lastName: 'Exemple' }],
      },
    );
    expect(opened.status).toBe(201);
    caseId = opened.body.caseId;
  });
  afterAll(async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close()));
    await browser?.close();
    await relais?.close();
    await provider?.stop();
  });
  beforeEach(() => {
    provider.signInAs = 'as@cpas-ciney.demo';
    provider.nonceOverride = undefined;
  });

  async function aBrowserContext(options: { bypassCSP?: boolean } = {}) {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      locale: 'fr-BE',
      timezoneId: 'Europe/Brussels',
      ...options,
    });
    context.setDefaultTimeout(15_000);
    contexts.push(context);
    return context;
  }

  async function signInWithTheProvider(page: Page) {
    await page.goto(`${relais.url}/login`);
    await page
      .getByRole('button', { name: 'Se connecter avec le compte de votre organisation' })
      .click();
    await page.getByRole('button', { name: 'Se déconnecter' }).waitFor();
  }

  it('the login page starts the code flow with PKCE S256, state and nonce, and signs in', async () => {
    const context = await aBrowserContext({ bypassCSP: true });
    const page = await context.newPage();
    await page.goto(`${relais.url}/login`);
    await page.getByRole('heading', { level: 1, name: 'Connexion' }).waitFor();
    await screenshot(page, '57-login-with-provider');
    await expectNoSeriousViolations(page, 'login with a provider');
    const before = provider.authorizations.length;
    await page
      .getByRole('button', { name: 'Se connecter avec le compte de votre organisation' })
      .click();
    await page.getByRole('button', { name: 'Se déconnecter' }).waitFor();
    // The app takes the signed-in worker from the provider's return to their first workspace: the
    // header may show before that last step.
    await page.waitForURL(`${relais.url}/cases`, { timeout: 5000 });
    await page.locator(`a[href="/cases/${caseId}"]`).waitFor();

    const asked = provider.authorizations[before] as URLSearchParams;
    expect(asked.get('response_type')).toBe('code');
    expect(asked.get('client_id')).toBe('relais-web');
    expect(asked.get('redirect_uri')).toBe(`${relais.url}/auth/callback`);
    expect(asked.get('scope')).toContain('openid');
    expect(asked.get('code_challenge_method')).toBe('S256');
    expect(asked.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(asked.get('state')).toMatch(/^[A-Za-z0-9_-]{22,}$/);
    expect(asked.get('nonce')).toMatch(/^[A-Za-z0-9_-]{22,}$/);
    expect(provider.exchanges.at(-1)).toEqual({ accepted: true });
    // Neither the code nor a token stays in the address, the history or the page's storage.
    expect(page.url()).not.toContain('code=');
    const stored = await page.evaluate<string>(
      'JSON.stringify([document.cookie, { ...localStorage }, { ...sessionStorage }])',
    );
    expect(stored).not.toMatch(/eyJ/);
  });

  it('a return whose state the tab did not send is refused, and nothing is exchanged', async () => {
    const context = await aBrowserContext({ bypassCSP: true });
    const page = await context.newPage();
    const exchanges = provider.exchanges.length;
    await page.goto(`${relais.url}/auth/callback?code=stolen&state=forged`);
    await page
      .getByText('La réponse du fournisseur ne correspond à aucune connexion', { exact: false })
      .waitFor();
    expect(provider.exchanges.length).toBe(exchanges);
    expect(new URL(page.url()).search).toBe('');
    await expectNoSeriousViolations(page, 'OIDC callback refused');
    await page.goto(`${relais.url}/cases`);
    await page.getByRole('heading', { level: 1, name: 'Connexion' }).waitFor();
  });

  it('an ID token whose nonce is not the tab’s is refused', async () => {
    provider.nonceOverride = 'a-nonce-from-another-sign-in';
    const context = await aBrowserContext();
    const page = await context.newPage();
    await page.goto(`${relais.url}/login`);
    await page
      .getByRole('button', { name: 'Se connecter avec le compte de votre organisation' })
      .click();
    await page
      .getByText('Le fournisseur d’identité n’a pas confirmé cette connexion', { exact: false })
      .waitFor();
    await page.goto(`${relais.url}/cases`);
    await page.getByRole('heading', { level: 1, name: 'Connexion' }).waitFor();
  });

  it('a link opened in a new tab shows the case without signing in again; signing out in one tab signs out the other', async () => {
    const context = await aBrowserContext();
    const first = await context.newPage();
    await signInWithTheProvider(first);
    const second = await context.newPage();
    await second.goto(`${relais.url}/cases/${caseId}`);
    await second
      .getByRole('heading', { level: 1, name: /^Dossier [A-Z]{3}-\d{4}-[0-9A-F]{4}$/ })
      .waitFor();
    expect(await second.getByRole('button', { name: 'Se déconnecter' }).isVisible()).toBe(true);

    await first.getByRole('button', { name: 'Se déconnecter' }).click();
    await first.getByRole('heading', { level: 1, name: 'Connexion' }).waitFor();
    await second.getByRole('heading', { level: 1, name: 'Connexion' }).waitFor();
    // The session is over for the server too, not only on screen.
    const third = await context.newPage();
    await third.goto(`${relais.url}/cases/${caseId}`);
    await third.getByRole('heading', { level: 1, name: 'Connexion' }).waitFor();
    const me = await third.evaluate<number>(
      "fetch('/api/v1/me', { headers: { 'x-requested-with': 'relais' } }).then((r) => r.status)",
    );
    expect(me).toBe(401);
  });

  it('the session cookie is HttpOnly and SameSite=Strict, and is not enough without the app’s header', async () => {
    const context = await aBrowserContext();
    const page = await context.newPage();
    await signInWithTheProvider(page);
    const [cookie] = await context.cookies();
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/api/' });
    // A request another site's page could make (a form, an image) carries no such header.
    const bare = await page.evaluate<number>("fetch('/api/v1/me').then((r) => r.status)");
    expect(bare).toBe(401);
    const withHeader = await page.evaluate<number>(
      "fetch('/api/v1/me', { headers: { 'x-requested-with': 'relais' } }).then((r) => r.status)",
    );
    expect(withHeader).toBe(200);
  });
});

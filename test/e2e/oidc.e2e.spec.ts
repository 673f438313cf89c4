import { aSigningKey, TestIdentityProvider } from '../../libs/auth/src/testing/identity-provider';
import { staffIdOf } from '../../apps/api/src/seed/demo-seed';
import { startTestRelais, TestRelais } from '../support/relais-app';

jest.setTimeout(60_000);

describe('signing in through an OpenID Connect provider', () => {
  let provider: TestIdentityProvider;
  let relais: TestRelais;
  let key: Awaited<ReturnType<typeof aSigningKey>>;

  beforeAll(async () => {
    key = await aSigningKey('relais-test-key');
    provider = await TestIdentityProvider.start([key]);
    relais = await startTestRelais({ OIDC_ISSUER: provider.issuer, OIDC_AUDIENCE: 'relais-api' });
  });
  afterAll(async () => {
    await relais.close();
    await provider.stop();
  });

  const me = (token: string) =>
    fetch(`${relais.url}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } });

  it('GET /api/v1/me accepts the provider’s token for a known member of staff', async () => {
    const response = await me(await provider.sign(key, { email: 'delegue1@saj-dinant.demo' }));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      organisationId: 'saj-dinant',
      roles: ['saj_delegate'],
    });
  });

  it('refuses a token for someone who is not staff, or signed by another key', async () => {
    expect((await me(await provider.sign(key, { email: 'stranger@example.be' }))).status).toBe(401);
    const other = await aSigningKey('relais-test-key');
    expect(
      (await me(await provider.sign(other, { email: 'delegue1@saj-dinant.demo' }))).status,
    ).toBe(401);
  });

  it('a deactivated account’s provider tokens stop working at once', async () => {
    const delegate = await provider.sign(key, { email: 'delegue2@saj-dinant.demo' });
    expect((await me(delegate)).status).toBe(200);
    const manager = await provider.sign(key, { email: 'chef@saj-dinant.demo' });
    const deactivated = await fetch(
      `${relais.url}/api/v1/staff/${staffIdOf('delegue2@saj-dinant.demo')}/deactivate`,
      { method: 'POST', headers: { authorization: `Bearer ${manager}` } },
    );
    expect(deactivated.status).toBe(200);
    const refused = await me(delegate);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toContain('deactivated');
  });

  it('POST /api/v1/auth/token is off: local accounts do not sign in', async () => {
    const response = await fetch(`${relais.url}/api/v1/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'delegue1@saj-dinant.demo', password: 'relais-demo' }),
    });
    expect(response.status).toBe(404);
  });
});

import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { webAppDirectory } from '../../apps/api/src/web-app/web-app.server';
import { aCaseWithTheSaj, apiOf } from '../support/api';
import { startTestRelais, TestRelais } from '../support/relais-app';

jest.setTimeout(60_000);

async function filesUnder(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

/** Case data must stay out of shared and browser caches, and answers never say what serves them. */
describe('response headers', () => {
  describe.each([
    ['http', 'http://localhost:3000', false],
    ['https', 'https://relais.cpas-ciney.be', true],
  ])('with a PUBLIC_URL in %s', (_scheme, publicUrl, hsts) => {
    let relais: TestRelais;
    let token: string;
    let caseId: string;

    beforeAll(async () => {
      relais = await startTestRelais({ PUBLIC_URL: publicUrl });
      token = await relais.token('as@cpas-ciney.demo');
      caseId = await aCaseWithTheSaj(apiOf(relais), token);
    });
    afterAll(() => relais.close());

    const get = (path: string, bearer = token) =>
      fetch(`${relais.url}${path}`, { headers: { authorization: `Bearer ${bearer}` } });

    it.each([
      ['the case', () => `/api/v1/cases/${caseId}`, 200],
      ['its timeline', () => `/api/v1/cases/${caseId}/timeline`, 200],
      ['the cases list', () => '/api/v1/cases', 200],
      ['the inbox', () => '/api/v1/inbox', 200],
      ['an unknown case', () => '/api/v1/cases/00000000-0000-4000-8000-000000000000', 404],
    ])('%s: no-store, nosniff, no X-Powered-By', async (_what, path, status) => {
      const response = await get(path());
      expect(response.status).toBe(status);
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('x-powered-by')).toBeNull();
      expect(response.headers.get('strict-transport-security')).toBe(
        hsts ? 'max-age=31536000; includeSubDomains' : null,
      );
    });

    it('a refused token and the web app answer without X-Powered-By either', async () => {
      const refused = await get('/api/v1/cases', 'not-a-token');
      expect(refused.status).toBe(401);
      expect(refused.headers.get('cache-control')).toBe('no-store');
      expect(refused.headers.get('x-powered-by')).toBeNull();
      const page = await fetch(`${relais.url}/cases/${caseId}`);
      expect(page.status).toBe(200);
      expect(page.headers.get('x-powered-by')).toBeNull();
      expect(page.headers.get('strict-transport-security')).toBe(
        hsts ? 'max-age=31536000; includeSubDomains' : null,
      );
    });
  });

  it('the web app is built and served without source maps', async () => {
    const directory = webAppDirectory();
    expect(directory).toBeDefined();
    const files = await filesUnder(directory as string);
    const scripts = files.filter((f) => f.endsWith('.js'));
    expect(scripts.length).toBeGreaterThan(3);
    expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
    const relais = await startTestRelais();
    try {
      const script = scripts.find((f) => /\/main-\w+\.js$/.test(f)) ?? '';
      const path = `/${script.slice((directory as string).length + 1)}`;
      const served = await fetch(`${relais.url}${path}`);
      expect(served.status).toBe(200);
      expect(await served.text()).not.toContain('sourceMappingURL');
      expect((await fetch(`${relais.url}${path}.map`)).status).toBe(404);
    } finally {
      await relais.close();
    }
  });
});

import { createHash } from 'node:crypto';
import { startTestRelais, TestRelais } from '../support/relais-app';

jest.setTimeout(60_000);

/** The web application as the api role serves it: files, the page fallback, and what it leaves alone. */
describe('the web application over HTTP', () => {
  let relais: TestRelais;

  beforeAll(async () => {
    relais = await startTestRelais();
  });
  afterAll(() => relais.close());

  const get = (path: string, init?: RequestInit) => fetch(`${relais.url}${path}`, init);

  it.each([
    '/',
    '/login',
    '/cases/4f2c0b6e-3d1a-4b8e-9c55-0d6a1f2e7b90',
    '/admin/staff',
    '/auth/callback',
  ])(
    'GET %s answers the page, with a Content-Security-Policy allowing only its import map inline',
    async (path) => {
      const response = await get(path);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      const html = await response.text();
      const importMap = /<script type="importmap">([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '';
      expect(importMap).toContain('"preact"');
      const hash = createHash('sha256').update(importMap).digest('base64');
      const policy = response.headers.get('content-security-policy') ?? '';
      expect(policy).toContain(`script-src 'self' 'sha256-${hash}'`);
      expect(policy).toContain("frame-ancestors 'none'");
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    },
  );

  it('serves every module the import map names, the app and the style sheet, with their types', async () => {
    const html = await (await get('/')).text();
    const importMap = JSON.parse(
      /<script type="importmap">([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '{}',
    ) as { imports: Record<string, string> };
    expect(importMap.imports['@relais/wire']).toBe('/app/libs/wire/src/index.js');
    const scripts = [
      ...Object.values(importMap.imports),
      '/app/apps/web/src/main.js',
      '/app/libs/wire/src/wire-input.js',
      '/vendor/chart.umd.min.js',
    ];
    expect(scripts).toHaveLength(7);
    for (const path of scripts) {
      const response = await get(path);
      expect([path, response.status]).toEqual([path, 200]);
      expect(response.headers.get('content-type')).toMatch(/^(text|application)\/javascript/);
    }
    const css = await get('/styles.css');
    expect(css.headers.get('content-type')).toMatch(/^text\/css/);
  });

  it('leaves the API, the probes and missing files to their own answers', async () => {
    const unknownRoute = await get('/api/v1/no-such-route');
    expect(unknownRoute.status).toBe(404);
    expect(unknownRoute.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect((await get('/api/v1/me')).status).toBe(401);
    const live = await get('/health/live');
    expect([live.status, live.headers.get('content-type')]).toEqual([
      200,
      expect.stringMatching(/json/),
    ]);
    expect((await get('/app/no-such-module.js')).status).toBe(404);
    expect((await get('/cases', { method: 'POST' })).status).toBe(404);
  });
});

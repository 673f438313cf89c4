import { get as httpGet } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
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
    '/index.html',
    '/cases/4f2c0b6e-3d1a-4b8e-9c55-0d6a1f2e7b90',
    '/admin/staff',
    '/auth/callback',
  ])(
    'GET %s answers the page, with a Content-Security-Policy that allows no inline script',
    async (path) => {
      const response = await get(path);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      const html = await response.text();
      expect(html).toContain('<div id="app">');
      expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
      const policy = response.headers.get('content-security-policy') ?? '';
      expect(policy).toContain("script-src 'self';");
      expect(policy).toContain("frame-ancestors 'none'");
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('cache-control')).toBe('no-cache');
    },
  );

  /** The script and style sheet the page names, and the chunks the app fetches later. */
  async function assets(): Promise<{ entry: string; css: string; chunks: string[] }> {
    const html = await (await get('/', { headers: { 'accept-encoding': 'identity' } })).text();
    const entry = /<script type="module" src="([^"]+)"/.exec(html)?.[1] ?? '';
    const css = /<link rel="stylesheet" href="([^"]+)"/.exec(html)?.[1] ?? '';
    // Every script reached from the entry, by static or dynamic import; the dynamic ones are lazy.
    const lazy = new Set<string>();
    const seen = new Set<string>([entry]);
    const queue = [entry];
    for (let path = queue.shift(); path !== undefined; path = queue.shift()) {
      const text = await (await get(path, { headers: { 'accept-encoding': 'identity' } })).text();
      for (const [, file] of text.matchAll(/import\("\.\/([\w-]+\.js)"\)/g))
        lazy.add(`/assets/${file}`);
      for (const [, file] of text.matchAll(/(?:from|import\(?)\s*"\.\/([\w-]+\.js)"/g)) {
        const found = `/assets/${file}`;
        if (!seen.has(found)) {
          seen.add(found);
          queue.push(found);
        }
      }
    }
    return { entry, css, chunks: [...lazy] };
  }

  it('serves the app as one hashed script, its style sheet and the chunks it loads when needed, kept for good', async () => {
    const { entry, css, chunks } = await assets();
    expect(entry).toMatch(/^\/assets\/main-\w+\.js$/);
    expect(css).toMatch(/^\/assets\/styles-\w+\.css$/);
    // The other languages' dictionaries and Chart.js load only when the app needs them.
    expect(chunks.map((c) => c.replace(/-\w+\.js$/, ''))).toEqual(
      expect.arrayContaining(['/assets/nl', '/assets/en', '/assets/chart-js']),
    );
    for (const path of [entry, css, ...chunks]) {
      const response = await get(path);
      expect([path, response.status]).toEqual([path, 200]);
      expect(response.headers.get('content-type')).toMatch(
        path.endsWith('.css') ? /^text\/css/ : /^text\/javascript/,
      );
      expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    }
  });

  it('sends brotli or gzip as the browser accepts, the same bytes once decoded, and 304 when unchanged', async () => {
    // The largest script: a small one compresses less well than a third.
    const { entry, chunks } = await assets();
    const sizes = await Promise.all(
      [entry, ...chunks].map(async (path) => ({
        path,
        bytes: (
          await (await get(path, { headers: { 'accept-encoding': 'identity' } })).arrayBuffer()
        ).byteLength,
      })),
    );
    const largest = sizes.sort((a, b) => b.bytes - a.bytes)[0]?.path ?? entry;
    const raw = (encoding: string) =>
      new Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }>(
        (resolve, reject) => {
          const url = new URL(`${relais.url}${largest}`);
          httpGet(url, { headers: { 'accept-encoding': encoding } }, (response) => {
            const parts: Buffer[] = [];
            response.on('data', (part: Buffer) => parts.push(part));
            response.on('end', () =>
              resolve({
                status: response.statusCode ?? 0,
                headers: response.headers,
                body: Buffer.concat(parts),
              }),
            );
          }).on('error', reject);
        },
      );
    const plain = await raw('identity');
    expect(plain.headers['content-encoding']).toBeUndefined();
    const brotli = await raw('gzip, deflate, br, zstd');
    expect(brotli.headers['content-encoding']).toBe('br');
    expect(brotli.headers.vary).toBe('Accept-Encoding');
    expect(brotliDecompressSync(brotli.body).equals(plain.body)).toBe(true);
    expect(brotli.body.length).toBeLessThan(plain.body.length / 3);
    const gzip = await raw('gzip');
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzip.body).equals(plain.body)).toBe(true);
    expect((await raw('br;q=0, gzip;q=0')).headers['content-encoding']).toBeUndefined();

    const first = await get('/login');
    const etag = first.headers.get('etag') ?? '';
    expect(etag).not.toBe('');
    const again = await get('/login', { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
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
    expect((await get('/assets/no-such-module.js')).status).toBe(404);
    expect((await get('/app/apps/web/src/main.js')).status).toBe(404);
    expect((await get('/cases', { method: 'POST' })).status).toBe(404);
  });
});

import { rm } from 'node:fs/promises';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { loadConfig } from '@relais/config';
import { prepareChromium } from '../support/chromium';
import { startRelaisProcess } from '../support/relais-process';
import {
  benchEnvironment,
  formatTable,
  quantileOf,
  withBenchDatabase,
  writeResults,
} from './support';

/** Issue 12: what the login page may cost a first visitor, and a returning one. */
const FIRST_LOAD_MAX_BYTES = 120 * 1024;
const FIRST_LOAD_MAX_REQUESTS = 15;
const CACHED_LOAD_MAX_REQUESTS = 5;
const ROUNDS = 5;

interface Load {
  readonly scenario: string;
  /** Requests that went over the network (a revalidation answered 304 counts; the cache does not). */
  readonly requests: number;
  readonly fromCache: number;
  /** Bytes over the wire, headers included, as Chromium counted them. */
  readonly bytes: number;
  /** From the navigation to the page's heading on screen: the median of the rounds, in ms. */
  readonly readyMs: number;
  readonly paths: readonly string[];
  readonly target: string;
  readonly met: boolean;
}

/** Counts what one navigation of a page fetches, through Chromium's own network events. */
async function measure(
  context: BrowserContext,
  page: Page,
  navigate: () => Promise<void>,
): Promise<{ requests: number; fromCache: number; bytes: number; ms: number; paths: string[] }> {
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  const seen = new Map<string, { path: string; cached: boolean; bytes: number }>();
  cdp.on('Network.requestWillBeSent', (e) => {
    if (e.request.url.startsWith('data:')) return;
    seen.set(e.requestId, { path: new URL(e.request.url).pathname, cached: false, bytes: 0 });
  });
  cdp.on('Network.requestServedFromCache', (e) => {
    const request = seen.get(e.requestId);
    if (request) request.cached = true;
  });
  cdp.on('Network.responseReceived', (e) => {
    const request = seen.get(e.requestId);
    if (request && (e.response.fromDiskCache || e.response.fromPrefetchCache)) {
      request.cached = true;
    }
  });
  cdp.on('Network.loadingFinished', (e) => {
    const request = seen.get(e.requestId);
    if (request) request.bytes = e.encodedDataLength;
  });
  const started = performance.now();
  await navigate();
  const ms = performance.now() - started;
  await page.waitForLoadState('networkidle');
  await cdp.detach();
  const all = [...seen.values()];
  const network = all.filter((r) => !r.cached);
  return {
    requests: network.length,
    fromCache: all.length - network.length,
    bytes: network.reduce((sum, r) => sum + r.bytes, 0),
    ms,
    paths: network.map((r) => r.path),
  };
}

/**
 * The web app as a browser loads it from Relais on loopback: the login page for a first visitor
 * (an empty cache), the same page for a returning one (a new tab of the same browser), and a
 * manager's dashboard right after signing in (its charts drawn), each timed over ROUNDS rounds.
 */
export async function runWebBench(): Promise<void> {
  const startedAt = new Date();
  const prepared = await prepareChromium();
  if ('error' in prepared) throw new Error(`No Chromium for the web bench: ${prepared.error}`);
  const loads = await withBenchDatabase(async (db) => {
    const env = await benchEnvironment(db.url);
    const { demoPassword } = loadConfig(env);
    const app = startRelaisProcess(env);
    const browser = await chromium.launch({
      executablePath: prepared.executablePath,
      args: [...prepared.args],
      env: { ...process.env, ...prepared.env },
    });
    try {
      const url = await app.listening;
      const login = (page: Page) => async () => {
        await page.goto(`${url}/login`);
        await page.getByRole('heading', { level: 1, name: 'Connexion' }).waitFor();
      };
      const rounds: Record<
        'first' | 'cached' | 'dashboard',
        Awaited<ReturnType<typeof measure>>[]
      > = { first: [], cached: [], dashboard: [] };
      for (let round = 0; round < ROUNDS; round++) {
        const context = await browser.newContext({ locale: 'fr-BE' });
        const first = await context.newPage();
        rounds.first.push(await measure(context, first, login(first)));
        const again = await context.newPage();
        rounds.cached.push(await measure(context, again, login(again)));

        const fresh = await browser.newContext({ locale: 'fr-BE' });
        const page = await fresh.newPage();
        await page.goto(`${url}/login`);
        rounds.dashboard.push(
          await measure(fresh, page, async () => {
            await page.getByLabel('Adresse e-mail').fill('chef@saj-dinant.demo');
            await page.getByLabel('Mot de passe').fill(demoPassword);
            await page.getByRole('button', { name: 'Se connecter' }).click();
            await page.getByRole('link', { name: 'Tableau de bord' }).click();
            // The charts drawn: Chart.js sizes each canvas it draws on (evaluate, since the
            // page's Content-Security-Policy refuses waitForFunction's polling).
            await page.locator('.chart canvas').first().waitFor();
            while (
              !(await page.evaluate(
                "[...document.querySelectorAll('.chart canvas')].filter((c) => c.style.display === 'block').length === 2",
              ))
            ) {
              await new Promise((resolve) => setTimeout(resolve, 20));
            }
          }),
        );
        await context.close();
        await fresh.close();
      }
      const summary = (
        scenario: string,
        measured: Awaited<ReturnType<typeof measure>>[],
        target: string,
        met: (last: Awaited<ReturnType<typeof measure>>) => boolean,
      ): Load => {
        const last = measured[measured.length - 1] as Awaited<ReturnType<typeof measure>>;
        return {
          scenario,
          requests: last.requests,
          fromCache: last.fromCache,
          bytes: last.bytes,
          readyMs: quantileOf(
            measured.map((m) => m.ms).sort((a, b) => a - b),
            0.5,
          ),
          paths: last.paths,
          target,
          met: measured.every(met),
        };
      };
      return [
        summary(
          'login page, first visit',
          rounds.first,
          `≤ ${FIRST_LOAD_MAX_BYTES / 1024} KB, ≤ ${FIRST_LOAD_MAX_REQUESTS} requests`,
          (m) => m.bytes <= FIRST_LOAD_MAX_BYTES && m.requests <= FIRST_LOAD_MAX_REQUESTS,
        ),
        summary(
          'login page, cached',
          rounds.cached,
          `≤ ${CACHED_LOAD_MAX_REQUESTS} requests`,
          (m) => m.requests <= CACHED_LOAD_MAX_REQUESTS,
        ),
        summary('sign in to the dashboard', rounds.dashboard, '-', () => true),
      ];
    } finally {
      await browser.close();
      app.child.kill('SIGTERM');
      await app.exited;
      await rm(env.RELAIS_VAULT_KEYRING, { recursive: true, force: true });
    }
  });

  console.log(
    formatTable(
      ['load', 'requests', 'from cache', 'KB over the wire', 'ready ms (median)', 'target', 'met'],
      loads.map((l) => [
        l.scenario,
        String(l.requests),
        String(l.fromCache),
        (l.bytes / 1024).toFixed(1),
        l.readyMs.toFixed(0),
        l.target,
        l.target === '-' ? '-' : l.met ? 'yes' : 'NO',
      ]),
    ),
  );
  for (const l of loads) console.log(`\n${l.scenario}: ${l.paths.join(' ')}`);
  const file = await writeResults('web', startedAt, {
    bench: 'web',
    startedAt: startedAt.toISOString(),
    rounds: ROUNDS,
    loads,
    met: loads.every((l) => l.met),
  });
  console.log(`\nResults: ${file}`);
}

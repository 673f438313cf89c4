import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, BrowserContext, chromium, Page } from 'playwright-core';
import type { PreparedChromium } from '../../support/chromium';

export const ARTIFACTS = join(__dirname, '..', 'artifacts');

export const DEMO_PASSWORD = 'relais-demo';

/**
 * The Chromium the jest global setup chose (test/support/chromium.ts); the browser tests never
 * download one, and are mandatory: without a browser they fail, saying why.
 */
export async function launchBrowser(): Promise<Browser> {
  const prepared = JSON.parse(
    process.env.RELAIS_TEST_CHROMIUM ?? '{"error":"the jest global setup did not run"}',
  ) as PreparedChromium;
  if ('error' in prepared) {
    throw new Error(`The browser tests have no Chromium: ${prepared.error}`);
  }
  return chromium.launch({
    executablePath: prepared.executablePath,
    args: [...prepared.args],
    env: { ...process.env, ...prepared.env },
  });
}

/** A page that remembers its uncaught errors, so a test can insist there were none. */
export interface WatchedPage {
  readonly page: Page;
  readonly context: BrowserContext;
  readonly errors: string[];
  close(): Promise<void>;
}

export async function openPage(
  browser: Browser,
  options: { bypassCSP?: boolean } = {},
): Promise<WatchedPage> {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    locale: 'fr-BE',
    timezoneId: 'Europe/Brussels',
    ...(options.bypassCSP ? { bypassCSP: true } : {}),
  });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  return { page, context, errors, close: () => context.close() };
}

/** Signs in through the login page, as a person would. */
export async function signIn(page: Page, baseUrl: string, email: string): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('Adresse e-mail').fill(email);
  await page.getByLabel('Mot de passe').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.getByRole('button', { name: 'Se déconnecter' }).waitFor();
}

/** The id of the focused element, read in the page. */
export async function focusedId(page: Page): Promise<string> {
  return String(await page.evaluate('document.activeElement ? document.activeElement.id : ""'));
}

/**
 * Waits until an expression holds in the page. Not `page.waitForFunction`: its polling compiles
 * the expression inside the page, which the app's Content-Security-Policy (no 'unsafe-eval')
 * refuses whenever the first check is false; `page.evaluate` runs outside the page's policy.
 */
export async function until(page: Page, expression: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await page.evaluate(expression))) {
    if (Date.now() > deadline) throw new Error(`${expression} never held in ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Presses Tab until the element with this id has the focus; fails after `max` presses. */
export async function tabTo(page: Page, id: string, max = 80): Promise<void> {
  for (let i = 0; i < max; i += 1) {
    if ((await focusedId(page)) === id) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`#${id} never got the focus after ${max} presses of Tab`);
}

/** The whole page, or only what the window shows for a page as long as a directory. */
export async function screenshot(
  page: Page,
  name: string,
  options: { fullPage?: boolean } = {},
): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage: options.fullPage ?? true });
  return path;
}

interface AxeViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly helpUrl: string;
  readonly nodes: readonly { readonly target: readonly unknown[]; readonly html: string }[];
}

/**
 * Runs axe-core on the page as it is and fails on any serious or critical violation, listing
 * each with the elements concerned. (axe is injected as a script: the context must bypass the
 * app's Content-Security-Policy, which allows no inline script but the import map.)
 */
export async function expectNoSeriousViolations(page: Page, name: string): Promise<void> {
  await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  const result = await page.evaluate<AxeViolation[]>(
    'axe.run(document, { resultTypes: ["violations"] }).then((r) => r.violations)',
  );
  const serious = result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  if (serious.length > 0) {
    const report = serious
      .map(
        (v) =>
          `- [${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})\n` +
          v.nodes.map((n) => `    ${JSON.stringify(n.target)} ${n.html.slice(0, 160)}`).join('\n'),
      )
      .join('\n');
    throw new Error(
      `axe-core found ${serious.length} serious or critical violation(s) on ${name}:\n${report}`,
    );
  }
}

import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join } from 'node:path';

/** How the browser tests start Chromium, decided once by the jest global setup for every worker. */
export interface ChromiumLaunch {
  readonly executablePath: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
}

/** What the global setup hands the workers: a browser, or why there is none. */
export type PreparedChromium = ChromiumLaunch | { readonly error: string };

const DEBIAN_CHROMIUM = '/usr/bin/chromium';

const DEBIAN_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/**
 * Of @sparticuz/chromium's own flags, those made for AWS Lambda that would change what the tests
 * see: `--single-process` (Lambda refuses Chromium's child processes) puts every page in the
 * browser's process, and closing a page's context then ends the browser: every test after the
 * first fails with "Target page, context or browser has been closed". `--disable-web-security`
 * and `--allow-running-insecure-content` lift the same-origin policy and mixed-content blocking,
 * which a person's browser enforces on the app.
 */
const LAMBDA_ONLY_ARGS = new Set([
  '--single-process',
  '--disable-web-security',
  '--allow-running-insecure-content',
]);

/** RELAIS_CHROMIUM if set, else Debian's Chromium if installed, else the one inside the npm package. */
export async function prepareChromium(): Promise<PreparedChromium> {
  const named = process.env.RELAIS_CHROMIUM;
  if (named !== undefined) {
    return existsSync(named)
      ? { executablePath: named, args: DEBIAN_ARGS, env: {} }
      : { error: `RELAIS_CHROMIUM names ${named}, which does not exist` };
  }
  if (existsSync(DEBIAN_CHROMIUM)) {
    return { executablePath: DEBIAN_CHROMIUM, args: DEBIAN_ARGS, env: {} };
  }
  try {
    return await packagedChromium();
  } catch (error) {
    return { error: `@sparticuz/chromium did not unpack: ${(error as Error).message}` };
  }
}

/**
 * The package decompresses its Chromium into /tmp/chromium and its fonts into /tmp/fonts, and a
 * second process starting meanwhile takes the half-written binary as ready (spawn ETXTBSY), as
 * would every later run after an interrupted one. Here each version is decompressed into a
 * folder of its own that a rename makes whole, so concurrent test runs share it or race safely.
 * Its fonts (Open Sans) are the only ones the browser sees: screenshots are the same on a
 * machine without any font installed.
 */
async function packagedChromium(): Promise<ChromiumLaunch> {
  const { default: chromium } = await import('@sparticuz/chromium');
  const manifest = join(dirname(require.resolve('@sparticuz/chromium')), '..', 'package.json');
  const { version } = JSON.parse(await readFile(manifest, 'utf8')) as { version: string };
  const folder = join(tmpdir(), `relais-chromium-${version}-${userInfo().uid}`);
  if (!existsSync(folder)) await unpack(() => chromium.executablePath(), folder);
  return {
    executablePath: join(folder, 'chromium'),
    args: chromium.args.filter((arg) => !LAMBDA_ONLY_ARGS.has(arg)),
    env: { FONTCONFIG_FILE: join(folder, 'fonts.conf') },
  };
}

async function unpack(executablePath: () => Promise<string>, folder: string): Promise<void> {
  const partial = await mkdtemp(`${folder}.partial-`);
  const tmp = process.env.TMPDIR;
  try {
    // The package decompresses into os.tmpdir(), which reads TMPDIR at each call.
    process.env.TMPDIR = partial;
    await executablePath();
  } catch (error) {
    await rm(partial, { recursive: true, force: true });
    throw error;
  } finally {
    if (tmp === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = tmp;
  }
  await writeFile(
    join(partial, 'fonts.conf'),
    `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n<fontconfig>\n` +
      `  <dir>${folder}/fonts</dir>\n  <cachedir>${folder}/fonts-cache</cachedir>\n</fontconfig>\n`,
  );
  try {
    await rename(partial, folder);
  } catch (error) {
    await rm(partial, { recursive: true, force: true });
    if (!existsSync(folder)) throw error;
  }
}

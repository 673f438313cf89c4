// Starts one embedded PostgreSQL for the whole run and prepares the browser tests' Chromium once,
// before any worker launches it (both from compiled modules: jest's sandbox cannot import the ESM
// packages they load), and hands them to the test workers through the environment. The same for
// the KurrentDB contract suite's server: KURRENTDB_URL, a container, or the reason it has none.
import { mkdtemp } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const require = createRequire(import.meta.url);

export default async function globalSetup(globalConfig) {
  const { prepareChromium } = require('../../dist/test/support/chromium.js');
  process.env.RELAIS_TEST_CHROMIUM = JSON.stringify(await prepareChromium());
  const { startEmbeddedPostgres } = require('../../dist/libs/database/src/embedded-postgres.js');
  const dataDir = await mkdtemp(join(tmpdir(), 'relais-test-pg-'));
  const server = await startEmbeddedPostgres({ dataDir, database: 'postgres' });
  process.env.RELAIS_TEST_EMBEDDED_URL = server.url;
  process.env.RELAIS_TEST_EMBEDDED_DIR = dataDir;
  globalThis.__relaisTestPostgres = server;
  const { kurrentDbForTests } = require('../../dist/test/support/kurrentdb-container.js');
  const selected = globalConfig.selectProjects;
  const kurrent = await kurrentDbForTests(process.env, !selected || selected.includes('int'));
  process.env.RELAIS_TEST_KURRENTDB = JSON.stringify(kurrent.target);
  globalThis.__relaisTestKurrentDb = kurrent;
}

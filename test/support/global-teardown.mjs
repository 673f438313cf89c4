import { rm } from 'node:fs/promises';

export default async function globalTeardown() {
  await globalThis.__relaisTestKurrentDb?.stop();
  await globalThis.__relaisTestPostgres?.stop();
  if (process.env.RELAIS_TEST_EMBEDDED_DIR) {
    await rm(process.env.RELAIS_TEST_EMBEDDED_DIR, { recursive: true, force: true });
  }
}

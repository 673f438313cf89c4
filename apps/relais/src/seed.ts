import 'reflect-metadata';
import { ConsoleLogger } from '@nestjs/common';
import { ConfigError, loadConfig } from '@relais/config';
import { startRelais } from '@relais/platform';
import { ApiModule, seedDemo } from '@relais/api';
import { WORKER_PROCESSORS, WorkerModule } from '@relais/worker';

/** `npm run seed -- --demo`: the demo network and cases, now, on whichever database is configured. */
async function main(): Promise<void> {
  if (!process.argv.includes('--demo')) {
    process.stderr.write('Usage: npm run seed -- --demo\n');
    process.exit(2);
  }
  const config = { ...loadConfig(), port: 0 };
  const logger = new ConsoleLogger('seed', { logLevels: ['fatal', 'error', 'warn', 'log'] });
  let seeded = false;
  const running = await startRelais(config, [ApiModule, WorkerModule.forRoot(WORKER_PROCESSORS)], {
    logger,
    afterStart: async (app) => {
      seeded = await seedDemo(app, config, true);
    },
  });
  await running.stop();
  logger.log(seeded ? 'Demo data written.' : 'The demo network is already there: nothing written.');
}

main().catch((error: Error) => {
  process.stderr.write(
    `${error instanceof ConfigError ? '' : 'Seeding failed: '}${error.message}\n`,
  );
  process.exit(error instanceof ConfigError ? 78 : 1);
});

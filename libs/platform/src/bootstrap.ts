import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConsoleLogger, DynamicModule, INestApplication, LogLevel, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ConfigError, loadConfig, RelaisConfig } from '@relais/config';
import { Database } from '@relais/database';
import { AppModule } from './app.module';
import { relaisMigrations } from './migrations';

const LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

export interface RunningRelais {
  readonly app: INestApplication;
  readonly database: Database;
  readonly url: string;
  stop(): Promise<void>;
}

/** Opens the database (embedded or not), starts Nest with the given roles, and listens. */
export async function startRelais(
  config: RelaisConfig,
  roles: readonly (DynamicModule | Type)[],
  logger = new ConsoleLogger('Relais', {
    logLevels: LEVELS.slice(0, LEVELS.indexOf(config.logLevel) + 1),
  }),
): Promise<RunningRelais> {
  const postgresLog = (line: string) => logger.debug(line, 'PostgreSQL');
  if (config.databaseUrl === undefined)
    logger.log(`Starting the embedded PostgreSQL in ${config.dataDir}`);
  const database = await Database.open({
    url: config.databaseUrl,
    dataDir: config.dataDir,
    embeddedPort: config.embeddedPostgresPort,
    poolMax: config.databasePoolMax,
    migrations: relaisMigrations,
    log: postgresLog,
    warn: (message) => logger.warn(message, 'PostgreSQL'),
  });
  try {
    const app = await NestFactory.create(AppModule.forRoot({ config, database, roles }), {
      logger,
    });
    await app.listen(config.port, config.host);
    const server = app.getHttpServer() as Server;
    const address = server.address() as AddressInfo;
    const url = `http://${config.host}:${address.port}`;
    let stopping: Promise<void> | undefined;
    return {
      app,
      database,
      url,
      stop: () =>
        (stopping ??= (async () => {
          await app.close();
          await database.close();
        })()),
    };
  } catch (error) {
    await database.close();
    throw error;
  }
}

/** The entry point of each app: fail fast on bad configuration, stop cleanly on SIGINT/SIGTERM. */
export function runRelais(name: string, roles: readonly (DynamicModule | Type)[]): void {
  let config: RelaisConfig;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
  const logger = new ConsoleLogger(name, {
    logLevels: LEVELS.slice(0, LEVELS.indexOf(config.logLevel) + 1),
  });
  startRelais(config, roles, logger).then(
    (running) => {
      logger.log(`Relais (${name}) listening on ${running.url}`);
      const shutdown = (signal: NodeJS.Signals) => {
        logger.log(`${signal} received, stopping`);
        running.stop().then(
          () => process.exit(0),
          (error: Error) => {
            logger.error(`Stopping failed: ${error.message}`);
            process.exit(1);
          },
        );
      };
      process.once('SIGINT', shutdown);
      process.once('SIGTERM', shutdown);
    },
    (error: Error) => {
      logger.error(`Relais could not start: ${error.message}`);
      process.exit(1);
    },
  );
}

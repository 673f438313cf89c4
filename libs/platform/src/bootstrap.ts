import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  ConsoleLogger,
  DynamicModule,
  INestApplication,
  LoggerService,
  LogLevel,
  Type,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { ConfigError, loadConfig, RelaisConfig } from '@relais/config';
import { Database } from '@relais/database';
import { accessRecording } from './access-logging';
import { AppModule } from './app.module';
import { Clock } from '@relais/kernel';
import { Metrics, startTracing } from '@relais/metrics';
import { JsonLogger } from './json-logger';
import { httpMetrics, httpTracing } from './metrics.controller';
import { relaisMigrations } from './migrations';
import { jsonBodyParser } from './request-body';
import { responseHeaders } from './response-headers';
import { loadSecrets } from './secrets';

const LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

export interface RunningRelais {
  readonly app: INestApplication;
  readonly database: Database;
  readonly url: string;
  stop(): Promise<void>;
}

export interface StartOptions {
  readonly logger?: LoggerService;
  /** Tests move time; the system clock otherwise. */
  readonly clock?: Clock;
  /** Runs once everything is up, before listening: the demo seed. */
  readonly afterStart?: (app: INestApplication, config: RelaisConfig) => Promise<void>;
}

function loggerFor(name: string, config: RelaisConfig): ConsoleLogger {
  const logLevels = LEVELS.slice(0, LEVELS.indexOf(config.logLevel) + 1);
  return config.logFormat === 'json'
    ? new JsonLogger(name, { logLevels })
    : new ConsoleLogger(name, { logLevels });
}

/** Opens the database (embedded or not), starts Nest with the given roles, and listens. */
export async function startRelais(
  config: RelaisConfig,
  roles: readonly (DynamicModule | Type)[],
  options: StartOptions = {},
): Promise<RunningRelais> {
  const logger = options.logger ?? loggerFor('relais', config);
  const tracing = startTracing(config.tracing);
  if (tracing) logger.log('Tracing on: spans go to the OTEL_* exporter');
  if (config.databaseUrl === undefined)
    logger.log(`Starting the embedded PostgreSQL in ${config.dataDir}`);
  const database = await Database.open({
    url: config.databaseUrl,
    dataDir: config.dataDir,
    embeddedPort: config.embeddedPostgresPort,
    poolMax: config.databasePoolMax,
    migrations: relaisMigrations,
    log: (line) => {
      logger.debug?.(line, 'PostgreSQL');
    },
    warn: (message) => {
      logger.warn(message, 'PostgreSQL');
    },
  });
  try {
    const secrets = await loadSecrets(config);
    const app = await NestFactory.create(
      AppModule.forRoot({ config, database, secrets, clock: options.clock, roles }),
      { logger, bodyParser: false },
    );
    // Express announces itself by default: nothing tells a caller what answers.
    (app.getHttpAdapter().getInstance() as { disable(setting: string): void }).disable(
      'x-powered-by',
    );
    app.use(httpMetrics(app.get(Metrics)));
    app.use(responseHeaders(config.publicUrl));
    app.use(jsonBodyParser());
    app.use(accessRecording());
    app.use(httpTracing());
    app.setGlobalPrefix('api/v1', { exclude: ['health/live', 'health/ready', 'metrics'] });
    const document = SwaggerModule.createDocument(
      app,
      new DocumentBuilder()
        .setTitle('Relais')
        .setDescription('Case events, protocols and notifications between Belgian social services')
        .setVersion('1')
        .addBearerAuth()
        .build(),
    );
    SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
    await app.init();
    await options.afterStart?.(app, config);
    await app.listen(config.port, config.host);
    const address = (app.getHttpServer() as Server).address() as AddressInfo;
    const url = `http://${config.host}:${address.port}`;
    let stopping: Promise<void> | undefined;
    return {
      app,
      database,
      url,
      stop: () =>
        (stopping ??= (async () => {
          await app.close();
          await tracing?.flush();
          await database.close();
        })()),
    };
  } catch (error) {
    await database.close();
    throw error;
  }
}

/** The entry point of each app: fail fast on bad configuration, stop cleanly on SIGINT/SIGTERM. */
export function runRelais(
  name: string,
  roles: readonly (DynamicModule | Type)[],
  afterStart?: StartOptions['afterStart'],
): void {
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
  const logger = loggerFor(name, config);
  startRelais(config, roles, { logger, afterStart }).then(
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

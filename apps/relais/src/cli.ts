import 'reflect-metadata';
import { ConsoleLogger } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ConfigError, loadConfig } from '@relais/config';
import { AccessChain, AccessLog } from '@relais/access-log';
import { Database } from '@relais/database';
import { DomainRuleViolation } from '@relais/domain';
import { loadSecrets, relaisMigrations, startRelais } from '@relais/platform';
import { loadProtocolFile, ProtocolDefinition, ProtocolDocumentError } from '@relais/protocol';
import { RebuildProgress } from '@relais/event-store';
import { ApiModule, DraftedVersion, DraftProtocolVersion, ProjectionRebuilds } from '@relais/api';

const USAGE = [
  'Usage: npm run relais -- protocol import <file.yaml|file.json>',
  '       npm run relais -- projections rebuild <name>',
  '       npm run relais -- access-log verify',
  '',
].join('\n');

async function main(args: readonly string[]): Promise<number> {
  const [command, action, argument, ...rest] = args;
  if (command === 'access-log' && action === 'verify' && argument === undefined)
    return verifyAccessLog();
  if (argument === undefined || rest.length > 0) return usage();
  if (command === 'protocol' && action === 'import') return importProtocol(argument);
  if (command === 'projections' && action === 'rebuild') return rebuild(argument);
  return usage();
}

function usage(): number {
  process.stderr.write(USAGE);
  return 2;
}

const quietLogger = () => new ConsoleLogger('relais', { logLevels: ['fatal', 'error', 'warn'] });

/**
 * `npm run relais -- projections rebuild <name>`: rebuilds a read model into new tables while
 * the running Relais keeps serving the old ones, then swaps them; prints its progress.
 */
async function rebuild(name: string): Promise<number> {
  const config = { ...loadConfig(), port: 0 };
  let outcome: RebuildProgress | Error | undefined;
  const line = (p: RebuildProgress) =>
    `${p.projection}: ${p.phase.replace('_', ' ')}, ${p.processed.toLocaleString('en')} / ${p.total.toLocaleString('en')} events, ` +
    `${p.eventsPerSecond.toLocaleString('en')} events/s` +
    (p.phase === 'catching_up' && p.etaSeconds !== null
      ? `, ETA ${Math.ceil(p.etaSeconds)} s`
      : '') +
    '\n';
  const running = await startRelais(config, [ApiModule], {
    logger: quietLogger(),
    afterStart: async (app) => {
      try {
        outcome = await app
          .get(ProjectionRebuilds)
          .run(name, { onProgress: (p) => process.stdout.write(line(p)) });
      } catch (error) {
        outcome = error instanceof Error ? error : new Error(String(error));
      }
    },
  });
  await running.stop();
  if (outcome === undefined || outcome instanceof Error) {
    process.stderr.write(`${name}: not rebuilt: ${outcome?.message ?? 'no answer'}\n`);
    return 1;
  }
  process.stdout.write(
    `${name}: rebuilt and swapped in ${outcome.elapsedSeconds.toFixed(1)} s (${outcome.eventsPerSecond.toLocaleString('en')} events/s)\n`,
  );
  return 0;
}

/**
 * `npm run relais -- access-log verify`: walks every day's chain of the access log and reports
 * the first link that does not hold (exit 1), or that all hold (exit 0). Needs the vault's
 * master key the api uses: the links are keyed by it.
 */
async function verifyAccessLog(): Promise<number> {
  const config = loadConfig();
  const secrets = await loadSecrets(config);
  const database = await Database.open({
    url: config.databaseUrl,
    dataDir: config.dataDir,
    embeddedPort: config.embeddedPostgresPort,
    poolMax: 2,
    migrations: relaisMigrations,
  });
  try {
    const { days, entries, broken } = await new AccessLog(
      database.pool,
      new AccessChain(secrets.vaultKey),
    ).verify();
    const counted = `${days.toLocaleString('en')} day(s), ${entries.toLocaleString('en')} entries checked`;
    if (broken) {
      process.stderr.write(`access log: broken link: ${broken.message} (${counted})\n`);
      return 1;
    }
    process.stdout.write(`access log: every link holds (${counted})\n`);
    return 0;
  } finally {
    await database.close();
  }
}

/** `npm run relais -- protocol import <file>`: drafts the file's version on the configured database. */
async function importProtocol(file: string): Promise<number> {
  let definition: ProtocolDefinition;
  try {
    definition = await loadProtocolFile(file);
  } catch (error) {
    if (error instanceof ProtocolDocumentError) {
      process.stderr.write(`${error.message}\n`);
      return 1;
    }
    throw error;
  }
  const config = { ...loadConfig(), port: 0 };
  const logger = quietLogger();
  let outcome: DraftedVersion | Error | undefined;
  const running = await startRelais(config, [ApiModule], {
    logger,
    afterStart: async (app) => {
      try {
        outcome = await app
          .get(CommandBus)
          .execute<DraftProtocolVersion, DraftedVersion>(
            new DraftProtocolVersion(definition, { staffId: 'cli' }),
          );
      } catch (error) {
        outcome = error instanceof Error ? error : new Error(String(error));
      }
    },
  });
  await running.stop();
  if (outcome === undefined || outcome instanceof Error) {
    const reason = outcome instanceof DomainRuleViolation ? `${outcome.code}: ` : '';
    process.stderr.write(`${file}: not imported: ${reason}${outcome?.message ?? 'no answer'}\n`);
    return 1;
  }
  process.stdout.write(
    [
      `Protocol ${outcome.id}: version ${outcome.version} drafted, in force from ${outcome.effectiveFrom} once signed.`,
      `Still to sign (${outcome.signatories.length}): ${outcome.signatories.join(', ')}`,
      '',
    ].join('\n'),
  );
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: Error) => {
    process.stderr.write(
      `${error instanceof ConfigError ? '' : 'relais failed: '}${error.message}\n`,
    );
    process.exit(error instanceof ConfigError ? 78 : 1);
  },
);

import 'reflect-metadata';
import { ConsoleLogger } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ConfigError, loadConfig } from '@relais/config';
import { DomainRuleViolation } from '@relais/domain';
import { startRelais } from '@relais/platform';
import { loadProtocolFile, ProtocolDefinition, ProtocolDocumentError } from '@relais/protocol';
import { ApiModule } from '../../api/src/api.module';
import {
  DraftedVersion,
  DraftProtocolVersion,
} from '../../api/src/protocols/draft-protocol-version.handler';

const USAGE = 'Usage: npm run relais -- protocol import <file.yaml|file.json>\n';

/** `npm run relais -- protocol import <file>`: drafts the file's version on the configured database. */
async function main(args: readonly string[]): Promise<number> {
  const [command, action, file, ...rest] = args;
  if (command !== 'protocol' || action !== 'import' || file === undefined || rest.length > 0) {
    process.stderr.write(USAGE);
    return 2;
  }
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
  const logger = new ConsoleLogger('relais', { logLevels: ['fatal', 'error', 'warn'] });
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

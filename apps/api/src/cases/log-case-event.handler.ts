import { Inject, PreconditionFailedException } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CaseCommand, caseDecider } from '@relais/domain';
import { Clock, CLOCK, RequestFingerprints } from '@relais/platform';
import { Actor } from './actor-resolver';
import { CaseAppender, LoggedResult } from './case-appender';
import { CaseCommands } from './case-commands';
import { visibleCase } from './case-repository';

export class LogCaseEvent {
  constructor(
    readonly caseId: string,
    readonly command: CaseCommand,
    readonly by: Actor,
    readonly options: { readonly idempotencyKey?: string; readonly ifMatch?: number } = {},
  ) {}
}

/** Load, decide, append at the version read: a concurrent change gives a 409, never a lost update. */
@CommandHandler(LogCaseEvent)
export class LogCaseEventHandler implements ICommandHandler<LogCaseEvent, LoggedResult> {
  constructor(
    private readonly appender: CaseAppender,
    private readonly commands: CaseCommands,
    private readonly fingerprints: RequestFingerprints,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ caseId, command, by, options }: LogCaseEvent): Promise<LoggedResult> {
    const context = await this.commands.contextOf(command, by, this.clock.now());
    return this.appender.handle(
      caseId,
      by,
      (state, { version }) => {
        if (options.ifMatch !== undefined && options.ifMatch !== version) {
          throw new PreconditionFailedException({
            message: `The case is at version ${version}, not ${options.ifMatch}: reload it`,
            code: 'STALE_VERSION',
          });
        }
        return caseDecider.decide(command, state, context);
      },
      {
        idempotencyKey: options.idempotencyKey,
        requestFingerprint: this.fingerprints.of(command),
        content: command,
      },
      // A retry finds the events its first attempt appended, under ids derived from the same key.
      { check: ({ state }) => visibleCase(caseId, state, by.organisationId) },
    );
  }
}

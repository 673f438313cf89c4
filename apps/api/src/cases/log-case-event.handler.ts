import { Inject, PreconditionFailedException } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CaseCommand, caseDecider } from '@relais/domain';
import { CompetenceDirectory } from '@relais/network';
import { brusselsDate, Clock, CLOCK, RequestFingerprints } from '@relais/platform';
import { randomUUID } from 'node:crypto';
import { Actor } from './actor-resolver';
import { CaseAppender, caseEventId, checkSameRequest, LoggedResult } from './case-appender';
import { CaseRepository } from './case-repository';

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
    private readonly cases: CaseRepository,
    private readonly directory: CompetenceDirectory,
    private readonly fingerprints: RequestFingerprints,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ caseId, command, by, options }: LogCaseEvent): Promise<LoggedResult> {
    const {
      state,
      version,
      events: history,
    } = await this.cases.loadVisible(caseId, by.organisationId);
    const key = options.idempotencyKey ?? randomUUID();

    // A retry finds the events its first attempt appended, under ids derived from the same key.
    const fingerprint = this.fingerprints.of(command);
    const repeated = history.filter((e) => e.metadata.idempotencyKey === key);
    if (repeated[0]?.eventId === caseEventId(by, caseId, key, 0)) {
      checkSameRequest(repeated[0], fingerprint);
      const last = repeated[repeated.length - 1];
      return {
        caseId,
        eventIds: repeated.map((e) => e.eventId),
        version: last?.streamPosition ?? 0,
      };
    }
    if (options.ifMatch !== undefined && options.ifMatch !== version) {
      throw new PreconditionFailedException({
        message: `The case is at version ${version}, not ${options.ifMatch}: reload it`,
        code: 'STALE_VERSION',
      });
    }
    const decided = caseDecider.decide(command, state, {
      actor: { organisationId: by.organisationId, kind: by.organisationKind },
      today: brusselsDate(this.clock.now()),
      isKnownCommune: (ins) => this.directory.isKnownCommune(ins),
    });
    return this.appender.append(caseId, decided, by, key, version, fingerprint);
  }
}

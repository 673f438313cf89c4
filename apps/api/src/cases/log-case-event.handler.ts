import { Inject, PreconditionFailedException } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CaseCommand, caseDecider, caseStreamId } from '@relais/domain';
import { EVENT_STORE, EventStore } from '@relais/event-store';
import { CompetenceDirectory } from '@relais/network';
import { brusselsDate, Clock, CLOCK, uuidFromName } from '@relais/platform';
import { randomUUID } from 'node:crypto';
import { Actor } from './actor-resolver';
import { CaseRepository } from './case-repository';

export class LogCaseEvent {
  constructor(
    readonly caseId: string,
    readonly command: CaseCommand,
    readonly by: Actor,
    readonly options: { readonly idempotencyKey?: string; readonly ifMatch?: number } = {},
  ) {}
}

export interface LoggedResult {
  readonly caseId: string;
  readonly eventIds: readonly string[];
  readonly version: number;
}

/** Load, decide, append at the version read: a concurrent change gives a 409, never a lost update. */
@CommandHandler(LogCaseEvent)
export class LogCaseEventHandler implements ICommandHandler<LogCaseEvent, LoggedResult> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly cases: CaseRepository,
    private readonly directory: CompetenceDirectory,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ caseId, command, by, options }: LogCaseEvent): Promise<LoggedResult> {
    const {
      state,
      version,
      events: history,
    } = await this.cases.loadVisible(caseId, by.organisationId);
    const key = options.idempotencyKey ?? randomUUID();
    const eventId = (i: number) => uuidFromName(`${by.organisationId}:${caseId}:${key}:${i}`);

    const repeated = history.filter(
      (e) => e.metadata.idempotencyKey === key && e.metadata.organisation === by.organisationId,
    );
    if (options.idempotencyKey && repeated.length > 0 && repeated[0]?.eventId === eventId(0)) {
      return {
        caseId,
        eventIds: repeated.map((e) => e.eventId),
        version: repeated[repeated.length - 1]?.streamPosition ?? 0,
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
    const correlationId = randomUUID();
    const result = await this.store.append(
      caseStreamId(caseId),
      decided.map((event, i) => ({
        eventId: eventId(i),
        type: event.type,
        data: event.data,
        metadata: {
          actor: by.staffId,
          organisation: by.organisationId,
          correlationId,
          causationId: key,
          idempotencyKey: key,
        },
      })),
      { expectedVersion: version, recordedAt: this.clock.now() },
    );
    return {
      caseId,
      eventIds: decided.map((_, i) => eventId(i)),
      version: result.nextExpectedVersion,
    };
  }
}

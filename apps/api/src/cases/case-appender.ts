import { Inject, Injectable, UnprocessableEntityException } from '@nestjs/common';
import { currentRequestId } from '@relais/access-log';
import { CaseEvent, caseDecider, caseStreamId, CaseState } from '@relais/domain';
import {
  commandHandler,
  CommandHooks,
  Decision,
  EVENT_STORE,
  EventStore,
  ExpectedVersion,
  RecordedEvent,
} from '@relais/event-store';
import { Clock, CLOCK } from '@relais/platform';
import type { LoggedResult } from '@relais/wire';
import { correlationField } from '@relais/kernel';
import { Actor } from './actor-resolver';

export type { LoggedResult } from '@relais/wire';

/** A retry under the same key must ask for the same thing; anything else is refused. */
export function checkSameRequest(first: RecordedEvent, requestFingerprint: string): void {
  const recorded = first.metadata.requestFingerprint;
  if (recorded !== undefined && recorded !== requestFingerprint) {
    throw new UnprocessableEntityException({
      message: 'This Idempotency-Key was used for another request: use a new key for a new request',
      code: 'IDEMPOTENCY_KEY_REUSED',
    });
  }
}

export interface CaseCommandOptions {
  /** Absent: the event ids derive from the content and the version decided on. */
  readonly idempotencyKey: string | undefined;
  readonly requestFingerprint: string;
  readonly expectedVersion?: ExpectedVersion;
  /** What the command asks, beside its key: the content its event ids name. */
  readonly content: unknown;
}

const handleCase = commandHandler<CaseEvent, CaseState>(caseDecider);

const correlationOf = (idempotencyKey: string | undefined) =>
  correlationField(currentRequestId() ?? idempotencyKey);

/**
 * Runs a case command on the one command path, with who did it, why, and when it was recorded;
 * a retry under the same key answers as the first time, or 422 if it asks for something else.
 */
@Injectable()
export class CaseAppender {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async handle(
    caseId: string,
    by: Actor,
    decide: Decision<CaseState, CaseEvent>,
    options: CaseCommandOptions,
    hooks: Pick<CommandHooks<CaseState>, 'check'> & { onRepeat?: () => void } = {},
  ): Promise<LoggedResult> {
    const { idempotencyKey, requestFingerprint } = options;
    const result = await handleCase(this.store, caseStreamId(caseId), decide, {
      identity: { actor: by.organisationId, idempotencyKey, content: options.content },
      metadata: {
        actor: by.staffId,
        organisation: by.organisationId,
        ...(idempotencyKey === undefined ? {} : { causationId: idempotencyKey, idempotencyKey }),
        // The request's id ties its events to its log lines; a command outside HTTP has the key.
        ...correlationOf(idempotencyKey),
        requestFingerprint,
      },
      recordedAt: this.clock.now(),
      ...(options.expectedVersion === undefined
        ? {}
        : { expectedVersion: options.expectedVersion }),
      ...(hooks.check ? { check: hooks.check } : {}),
      onRepeat: (first) => {
        checkSameRequest(first, requestFingerprint);
        hooks.onRepeat?.();
      },
    });
    return { caseId, eventIds: [...result.eventIds], version: result.nextExpectedVersion };
  }
}

import { Inject, Injectable, UnprocessableEntityException } from '@nestjs/common';
import { CaseEvent, caseStreamId } from '@relais/domain';
import { EVENT_STORE, EventStore, ExpectedVersion, RecordedEvent } from '@relais/event-store';
import { Clock, CLOCK, uuidFromName } from '@relais/platform';
import type { LoggedResult } from '@relais/wire';
import { Actor } from './actor-resolver';

export type { LoggedResult } from '@relais/wire';

/** The id of the i-th event a command decides: the same for a retry with the same key. */
export function caseEventId(
  by: Actor,
  caseId: string,
  idempotencyKey: string,
  index: number,
): string {
  return uuidFromName(`${by.organisationId}:${caseId}:${idempotencyKey}:${index}`);
}

/** A retry under the same key must ask for the same thing; anything else is refused. */
export function checkSameRequest(
  first: RecordedEvent | undefined,
  requestFingerprint: string,
): void {
  const recorded = first?.metadata.requestFingerprint;
  if (recorded !== undefined && recorded !== requestFingerprint) {
    throw new UnprocessableEntityException({
      message: 'This Idempotency-Key was used for another request: use a new key for a new request',
      code: 'IDEMPOTENCY_KEY_REUSED',
    });
  }
}

/** Appends what a case command decided, with who did it, why, and when it was recorded. */
@Injectable()
export class CaseAppender {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async append(
    caseId: string,
    events: readonly CaseEvent[],
    by: Actor,
    idempotencyKey: string,
    expectedVersion: ExpectedVersion,
    requestFingerprint: string,
  ): Promise<LoggedResult> {
    const eventIds = events.map((_, i) => caseEventId(by, caseId, idempotencyKey, i));
    const result = await this.store.append(
      caseStreamId(caseId),
      events.map((event, i) => ({
        eventId: eventIds[i] ?? '',
        type: event.type,
        data: event.data,
        metadata: {
          actor: by.staffId,
          organisation: by.organisationId,
          correlationId: idempotencyKey,
          causationId: idempotencyKey,
          idempotencyKey,
          requestFingerprint,
        },
      })),
      { expectedVersion, recordedAt: this.clock.now() },
    );
    return { caseId, eventIds, version: result.nextExpectedVersion };
  }
}

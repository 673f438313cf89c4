import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import {
  CaseEvent,
  caseDecider,
  caseStreamId,
  CaseState,
  ExistingCase,
  fold,
} from '@relais/domain';
import { EVENT_STORE, EventStore, RecordedEvent, toDomainEvent } from '@relais/event-store';

export interface LoadedCase {
  readonly state: CaseState;
  readonly version: number;
  readonly events: readonly RecordedEvent[];
}

/** Reads a case's stream and folds it; the stream is the truth, so reads here are never stale. */
@Injectable()
export class CaseRepository {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async load(caseId: string): Promise<LoadedCase> {
    const events = await this.store.readStream(caseStreamId(caseId));
    const state = fold(caseDecider, events.map(toDomainEvent<CaseEvent>));
    return { state, version: events[events.length - 1]?.streamPosition ?? 0, events };
  }

  /**
   * The case as seen by an organisation: partners (current or past) and the recipient of a
   * referral see it; for anyone else it does not exist (404, not 403, so existence does not leak).
   */
  async loadVisible(
    caseId: string,
    organisationId: string,
  ): Promise<LoadedCase & { state: ExistingCase }> {
    const loaded = await this.load(caseId);
    const { state } = loaded;
    if (state.status === 'none' || !isVisibleTo(state, organisationId)) {
      throw new NotFoundException({ message: `No case ${caseId}`, code: 'CASE_NOT_FOUND' });
    }
    return { ...loaded, state };
  }
}

export function isVisibleTo(state: ExistingCase, organisationId: string): boolean {
  return (
    state.partners[organisationId] !== undefined ||
    Object.values(state.referrals).some((r) => r.to === organisationId && r.status === 'sent')
  );
}

import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { noteCaseAccess } from '@relais/access-log';
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

/**
 * Reads a case's stream and folds it; the stream is the truth, so reads here are never stale.
 * Every load is noted for the request's access-log entry: the case and its family's subject ids,
 * also when the caller is then refused it.
 */
@Injectable()
export class CaseRepository {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async load(caseId: string): Promise<LoadedCase> {
    const events = await this.store.readStream(caseStreamId(caseId));
    const state = fold(caseDecider, events.map(toDomainEvent<CaseEvent>));
    noteLoaded(caseId, state);
    return { state, version: events[events.length - 1]?.streamPosition ?? 0, events };
  }

  /**
   * The whole case, for an organisation that may address it: partners (current or past) and the
   * recipient of a referral; for anyone else it does not exist (404, not 403, so existence does
   * not leak).
   */
  async loadVisible(caseId: string, organisationId: string): Promise<CaseRead> {
    const loaded = await this.load(caseId);
    return { ...loaded, ...visibleCase(caseId, loaded.state, organisationId) };
  }

  /** The case as the organisation may read it (see `CaseAccess`), or 404. */
  async read(caseId: string, organisationId: string): Promise<CaseRead> {
    const visible = await this.loadVisible(caseId, organisationId);
    if (visible.access !== 'former_partner') return visible;
    const left = visible.events.findLastIndex(
      (e) =>
        e.type === 'PartnerLeft' && (e.data as { partnerId?: string }).partnerId === organisationId,
    );
    const events = visible.events.slice(0, left + 1);
    const state = fold(caseDecider, events.map(toDomainEvent<CaseEvent>)) as ExistingCase;
    const version = events[events.length - 1]?.streamPosition ?? 0;
    return { state, events, version, access: visible.access };
  }

  /** Only partners, current or former, read the timeline and the obligations. */
  async readHistory(caseId: string, organisationId: string): Promise<CaseRead> {
    const read = await this.read(caseId, organisationId);
    if (read.access === 'referral') {
      throw new NotFoundException({
        message: `Case ${caseId}: accept the referral to read its history`,
        code: 'CASE_NOT_FOUND',
      });
    }
    return read;
  }
}

function noteLoaded(caseId: string, state: CaseState): void {
  noteCaseAccess([caseId], state.status === 'none' ? [] : state.subjects.map((s) => s.subjectId));
}

/**
 * The case as an organisation that may address it sees it, noted for the access log: 404 for
 * anyone else, so existence does not leak.
 */
export function visibleCase(
  caseId: string,
  state: CaseState,
  organisationId: string,
): { state: ExistingCase; access: CaseAccess } {
  noteLoaded(caseId, state);
  const access = state.status === 'none' ? undefined : accessOf(state, organisationId);
  if (state.status === 'none' || access === undefined) {
    throw new NotFoundException({ message: `No case ${caseId}`, code: 'CASE_NOT_FOUND' });
  }
  return { state, access };
}

/**
 * How much of a case an organisation reads:
 * - `partner`: an active partner (or one that closed its own file): everything;
 * - `referral`: the recipient of a referral still waiting for its answer: what it needs to decide
 *   (reference, commune, the referral, who sent it and how to reach them), never who the family is;
 * - `former_partner`: a partner that left: the case as it was when it left, nothing logged after.
 */
export type CaseAccess = 'partner' | 'referral' | 'former_partner';

export type CaseRead = LoadedCase & { readonly state: ExistingCase; readonly access: CaseAccess };

export function accessOf(state: ExistingCase, organisationId: string): CaseAccess | undefined {
  const partner = state.partners[organisationId];
  if (partner && partner.status !== 'left') return 'partner';
  if (Object.values(state.referrals).some((r) => r.to === organisationId && r.status === 'sent'))
    return 'referral';
  return partner ? 'former_partner' : undefined;
}

import { Inject, Injectable } from '@nestjs/common';
import {
  fold,
  isStaffEvent,
  NetworkEvent,
  staffDecider,
  staffEmailStreamId,
  StaffState,
  staffStreamId,
} from '@relais/domain';
import { EVENT_STORE, EventStore, toDomainEvent } from '@relais/event-store';

export type StaffAccount = Exclude<StaffState, { status: 'none' }>;

/**
 * Accounts as their own streams say they are now, not as a read model last saw them: a
 * deactivation or a change of roles counts from the next request, in every process.
 */
@Injectable()
export class StaffAccounts {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async byId(staffId: string): Promise<StaffAccount | undefined> {
    const events = (await this.store.readStream(staffStreamId(staffId)))
      .map(toDomainEvent<NetworkEvent>)
      .filter(isStaffEvent);
    const state = fold(staffDecider, events);
    return state.status === 'none' ? undefined : state;
  }

  async byEmail(email: string): Promise<StaffAccount | undefined> {
    // The latest reservation holds: an orphaned one may have been taken over since.
    const [reserved] = await this.store.readStream(staffEmailStreamId(email), {
      direction: 'backward',
      maxCount: 1,
    });
    if (!reserved) return undefined;
    const { data } = toDomainEvent<Extract<NetworkEvent, { type: 'StaffEmailReserved' }>>(reserved);
    return this.byId(data.staffId);
  }
}

import { assertNever, Decider, NotFound } from '@relais/domain';
import { CoordinationRuleViolation, definedOnly, refuseCaseContent } from './coordination';

/** A political official the coordination's minutes go to: président·e du CPAS, échevin·e… */
export interface PoliticalOfficial {
  readonly officialId: string;
  readonly name: string;
  readonly role: string;
  readonly email: string;
  /** Their Relais account, if they have one: the minutes reach their inbox too. */
  readonly staffId?: string;
}

export type PoliticalOfficialEvent =
  | { type: 'PoliticalOfficialListed'; data: PoliticalOfficial }
  | { type: 'PoliticalOfficialUpdated'; data: PoliticalOfficial }
  | { type: 'PoliticalOfficialRemoved'; data: { officialId: string } };

export type PoliticalOfficialCommand =
  | { readonly type: 'ListPoliticalOfficial'; readonly data: PoliticalOfficial }
  | {
      readonly type: 'UpdatePoliticalOfficial';
      readonly data: Partial<Omit<PoliticalOfficial, 'staffId'>> & {
        readonly officialId: string;
        /** null unlinks the account. */
        readonly staffId?: string | null;
      };
    }
  | { readonly type: 'RemovePoliticalOfficial'; readonly data: { readonly officialId: string } };

/** The officials listed now, in the order they were listed. */
export type PoliticalOfficialsState = readonly PoliticalOfficial[];

function evolve(
  state: PoliticalOfficialsState,
  event: PoliticalOfficialEvent,
): PoliticalOfficialsState {
  switch (event.type) {
    case 'PoliticalOfficialListed':
      return [...state, event.data];
    case 'PoliticalOfficialUpdated':
      return state.map((o) => (o.officialId === event.data.officialId ? event.data : o));
    case 'PoliticalOfficialRemoved':
      return state.filter((o) => o.officialId !== event.data.officialId);
    default:
      return assertNever(event);
  }
}

function checkEmailFree(state: PoliticalOfficialsState, official: PoliticalOfficial): void {
  const email = official.email.toLowerCase();
  if (state.some((o) => o.officialId !== official.officialId && o.email.toLowerCase() === email)) {
    throw new CoordinationRuleViolation(
      'OFFICIAL_EMAIL_TAKEN',
      `${official.email} is listed for another official`,
      'email',
    );
  }
}

function decide(
  command: PoliticalOfficialCommand,
  state: PoliticalOfficialsState,
): PoliticalOfficialEvent[] {
  switch (command.type) {
    case 'ListPoliticalOfficial': {
      const official = command.data;
      if (state.some((o) => o.officialId === official.officialId)) {
        throw new CoordinationRuleViolation('OFFICIAL_EXISTS', 'This official is listed', 'id');
      }
      checkEmailFree(state, official);
      refuseCaseContent(official.name, 'name');
      refuseCaseContent(official.role, 'role');
      return [{ type: 'PoliticalOfficialListed', data: official }];
    }
    case 'UpdatePoliticalOfficial': {
      const current = state.find((o) => o.officialId === command.data.officialId);
      if (!current) throw new NotFound('UNKNOWN_OFFICIAL', 'No such political official');
      const { staffId, ...changes } = definedOnly(command.data);
      const { staffId: currentStaffId, ...rest } = current;
      const linked = staffId === undefined ? currentStaffId : (staffId ?? undefined);
      const next: PoliticalOfficial = {
        ...rest,
        ...changes,
        ...(linked === undefined ? {} : { staffId: linked }),
      };
      checkEmailFree(state, next);
      refuseCaseContent(next.name, 'name');
      refuseCaseContent(next.role, 'role');
      const same = (['name', 'role', 'email', 'staffId'] as const).every(
        (field) => next[field] === current[field],
      );
      return same ? [] : [{ type: 'PoliticalOfficialUpdated', data: next }];
    }
    case 'RemovePoliticalOfficial': {
      const { officialId } = command.data;
      if (!state.some((o) => o.officialId === officialId)) {
        throw new NotFound('UNKNOWN_OFFICIAL', 'No such political official');
      }
      return [{ type: 'PoliticalOfficialRemoved', data: { officialId } }];
    }
    default:
      return assertNever(command);
  }
}

export const politicalOfficialsDecider: Decider<
  PoliticalOfficialCommand,
  PoliticalOfficialEvent,
  PoliticalOfficialsState,
  void
> = { initialState: [], evolve, decide };

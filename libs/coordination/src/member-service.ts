import { assertNever, Decider, IsoDate, NotFound } from '@relais/domain';
import type { MemberServiceView } from '@relais/wire';
import { CoordinationRuleViolation, definedOnly, refuseCaseContent } from './coordination';

/** What the directory knows of a member service, as it is listed, without what has its own event. */
export type MemberServiceProfile = Omit<
  MemberServiceView,
  'id' | 'charterSignedOn' | 'organisationId'
> & {
  /** The Relais organisation the service is, when it is one. */
  readonly organisationId?: string;
};

export type MemberServiceEvent =
  | {
      type: 'MemberServiceRegistered';
      data: MemberServiceProfile & { memberId: string; charterSignedOn?: IsoDate };
    }
  | { type: 'MemberServiceUpdated'; data: MemberServiceProfile & { memberId: string } }
  | { type: 'CharterSigned'; data: { memberId: string; signedOn: IsoDate } };

export type MemberServiceCommand =
  | {
      readonly type: 'RegisterMemberService';
      readonly data: MemberServiceProfile & {
        readonly memberId: string;
        readonly charterSignedOn?: IsoDate;
      };
    }
  | { readonly type: 'UpdateMemberService'; readonly data: Partial<MemberServiceProfile> }
  | { readonly type: 'SignCharter'; readonly data: { readonly signedOn: IsoDate } };

export type MemberServiceState =
  | { readonly status: 'none' }
  | (MemberServiceProfile & {
      readonly status: 'member';
      readonly memberId: string;
      readonly charterSignedOn: IsoDate | undefined;
    });

function evolve(state: MemberServiceState, event: MemberServiceEvent): MemberServiceState {
  switch (event.type) {
    case 'MemberServiceRegistered':
      return { status: 'member', charterSignedOn: undefined, ...event.data };
    case 'MemberServiceUpdated':
      return state.status === 'none'
        ? state
        : { ...event.data, status: 'member', charterSignedOn: state.charterSignedOn };
    case 'CharterSigned':
      return state.status === 'none' ? state : { ...state, charterSignedOn: event.data.signedOn };
    default:
      return assertNever(event);
  }
}

function checkFreeText(profile: Partial<MemberServiceProfile>): void {
  if (profile.name !== undefined) refuseCaseContent(profile.name, 'name');
  profile.servicesOffered?.forEach((service, i) =>
    refuseCaseContent(service, `servicesOffered.${i}`),
  );
}

/** Sets compare equal whatever their order; lists keep the caller's. */
const sameProfile = (a: MemberServiceProfile, b: MemberServiceProfile) =>
  JSON.stringify({ ...a, fields: [...a.fields].sort() }) ===
  JSON.stringify({ ...b, fields: [...b.fields].sort() });

function decide(command: MemberServiceCommand, state: MemberServiceState): MemberServiceEvent[] {
  switch (command.type) {
    case 'RegisterMemberService': {
      if (state.status !== 'none') {
        throw new CoordinationRuleViolation(
          'MEMBER_EXISTS',
          `Member service ${command.data.memberId} exists`,
          'id',
        );
      }
      checkFreeText(command.data);
      return [{ type: 'MemberServiceRegistered', data: command.data }];
    }
    case 'UpdateMemberService': {
      const member = existing(state);
      checkFreeText(command.data);
      const current = profileOf(member);
      const next: MemberServiceProfile = { ...current, ...definedOnly(command.data) };
      const { memberId } = member;
      return sameProfile(next, current)
        ? []
        : [{ type: 'MemberServiceUpdated', data: { memberId, ...next } }];
    }
    case 'SignCharter': {
      const member = existing(state);
      return member.charterSignedOn === command.data.signedOn
        ? []
        : [
            {
              type: 'CharterSigned',
              data: { memberId: member.memberId, signedOn: command.data.signedOn },
            },
          ];
    }
    default:
      return assertNever(command);
  }
}

function profileOf(
  member: Extract<MemberServiceState, { status: 'member' }>,
): MemberServiceProfile {
  const { name, sector, fields, address, contact, servicesOffered, organisationId } = member;
  return {
    name,
    sector,
    fields,
    address,
    contact,
    servicesOffered,
    ...(organisationId === undefined ? {} : { organisationId }),
  };
}

function existing(state: MemberServiceState) {
  if (state.status === 'none') {
    throw new NotFound('UNKNOWN_MEMBER_SERVICE', 'No such member service');
  }
  return state;
}

export const memberServiceDecider: Decider<
  MemberServiceCommand,
  MemberServiceEvent,
  MemberServiceState,
  void
> = { initialState: { status: 'none' }, evolve, decide };

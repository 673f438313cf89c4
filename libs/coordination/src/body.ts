import { assertNever, Decider, NotFound } from '@relais/domain';
import type { BodyKind, BodyMember } from '@relais/wire';
import { CoordinationRuleViolation, refuseCaseContent } from './coordination';

export type BodyEvent =
  | { type: 'BodyCreated'; data: { bodyId: string; kind: BodyKind; name: string; theme: string } }
  | { type: 'BodyMemberJoined'; data: { bodyId: string; member: BodyMember } }
  | { type: 'BodyMemberLeft'; data: { bodyId: string; member: string } };

export type BodyCommand =
  | {
      readonly type: 'CreateBody';
      readonly data: {
        readonly bodyId: string;
        readonly kind: BodyKind;
        readonly name: string;
        readonly theme: string;
      };
    }
  | {
      readonly type: 'AddBodyMember';
      /** `memberExists`: the handler looked the member service up (organisations, and a person's service). */
      readonly data: { readonly member: BodyMember; readonly memberServiceExists: boolean };
    }
  | { readonly type: 'RemoveBodyMember'; readonly data: { readonly member: string } };

export type BodyState =
  | { readonly status: 'none' }
  | {
      readonly status: 'active';
      readonly bodyId: string;
      readonly kind: BodyKind;
      readonly name: string;
      readonly theme: string;
      readonly members: readonly BodyMember[];
    };

/** A member's key in its body: the member service's id, or the person's. */
export const memberKey = (member: BodyMember): string =>
  member.kind === 'organisation' ? member.memberId : member.personId;

function evolve(state: BodyState, event: BodyEvent): BodyState {
  switch (event.type) {
    case 'BodyCreated':
      return { status: 'active', ...event.data, members: [] };
    case 'BodyMemberJoined':
      return state.status === 'none'
        ? state
        : { ...state, members: [...state.members, event.data.member] };
    case 'BodyMemberLeft':
      return state.status === 'none'
        ? state
        : { ...state, members: state.members.filter((m) => memberKey(m) !== event.data.member) };
    default:
      return assertNever(event);
  }
}

function decide(command: BodyCommand, state: BodyState): BodyEvent[] {
  switch (command.type) {
    case 'CreateBody': {
      if (state.status !== 'none') {
        throw new CoordinationRuleViolation(
          'BODY_EXISTS',
          `Body ${command.data.bodyId} exists`,
          'id',
        );
      }
      refuseCaseContent(command.data.name, 'name');
      refuseCaseContent(command.data.theme, 'theme');
      return [{ type: 'BodyCreated', data: command.data }];
    }
    case 'AddBodyMember': {
      const body = existing(state);
      const { member, memberServiceExists } = command.data;
      const key = memberKey(member);
      const refersToService = member.kind === 'organisation' || member.memberId !== undefined;
      if (refersToService && !memberServiceExists) {
        throw new CoordinationRuleViolation(
          'UNKNOWN_MEMBER_SERVICE',
          'The directory has no such member service',
          'memberId',
        );
      }
      if (member.kind === 'person') refuseCaseContent(member.name, 'name');
      if (body.members.some((m) => memberKey(m) === key)) {
        throw new CoordinationRuleViolation(
          'ALREADY_A_MEMBER',
          `${key} already sits in ${body.name}`,
          member.kind === 'organisation' ? 'memberId' : 'personId',
        );
      }
      return [{ type: 'BodyMemberJoined', data: { bodyId: body.bodyId, member } }];
    }
    case 'RemoveBodyMember': {
      const body = existing(state);
      if (!body.members.some((m) => memberKey(m) === command.data.member)) {
        throw new NotFound('NOT_A_MEMBER', `${command.data.member} does not sit in ${body.name}`);
      }
      return [
        { type: 'BodyMemberLeft', data: { bodyId: body.bodyId, member: command.data.member } },
      ];
    }
    default:
      return assertNever(command);
  }
}

function existing(state: BodyState) {
  if (state.status === 'none') throw new NotFound('UNKNOWN_BODY', 'No such body');
  return state;
}

export const bodyDecider: Decider<BodyCommand, BodyEvent, BodyState, void> = {
  initialState: { status: 'none' },
  evolve,
  decide,
};

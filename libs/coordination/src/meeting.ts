import { assertNever, Decider, IsoDate, NotFound } from '@relais/domain';
import type { AttendanceEntry, MinutesStatus } from '@relais/wire';
import { CoordinationRuleCode, CoordinationRuleViolation, refuseCaseContent } from './coordination';

/** Who approved minutes go to: a body member or a political official, by e-mail, and to their inbox with an account. */
export interface MinutesRecipient {
  readonly kind: 'member' | 'official';
  readonly name: string;
  readonly email: string;
  readonly staffId?: string;
}

export type MeetingEvent =
  | {
      type: 'MeetingConvened';
      data: { meetingId: string; bodyId: string; date: IsoDate; place: string; agenda: string[] };
    }
  | { type: 'AttendanceRecorded'; data: { meetingId: string; attendance: AttendanceEntry[] } }
  | { type: 'MinutesDrafted'; data: { meetingId: string; text: string } }
  /** Approved at a later meeting of the same body, on its day. */
  | {
      type: 'MinutesApproved';
      data: { meetingId: string; approvedAtMeetingId: string; approvedOn: IsoDate };
    }
  | {
      type: 'MinutesDistributed';
      data: { meetingId: string; distributedOn: IsoDate; recipients: MinutesRecipient[] };
    }
  /** A protocol drafted from this meeting: the protocol's history shows where it came from. */
  | { type: 'ProtocolLinked'; data: { meetingId: string; protocolId: string } }
  /** One delivery of distributed minutes: to an account's inbox, or an e-mail sent. */
  | {
      type: 'MinutesDelivered';
      data: {
        meetingId: string;
        channel: 'inbox' | 'email';
        recipient: string;
        deliveryId: string;
        attempt: number;
      };
    }
  | {
      type: 'MinutesDeliveryFailed';
      data: {
        meetingId: string;
        channel: 'email';
        recipient: string;
        deliveryId: string;
        attempt: number;
        reason: string;
        deadLettered: boolean;
      };
    };

/** The meeting that approves minutes, as its own stream says. */
export interface ApprovingMeeting {
  readonly meetingId: string;
  readonly bodyId: string;
  readonly date: IsoDate;
}

export type MeetingCommand =
  | {
      readonly type: 'ConveneMeeting';
      readonly data: {
        readonly meetingId: string;
        readonly bodyId: string;
        /** The handler looked the body up. */
        readonly bodyExists: boolean;
        readonly date: IsoDate;
        readonly place: string;
        readonly agenda: readonly string[];
      };
    }
  | {
      readonly type: 'RecordAttendance';
      readonly data: {
        readonly attendance: readonly AttendanceEntry[];
        /** The keys of the body's members now. */
        readonly bodyMembers: readonly string[];
      };
    }
  | { readonly type: 'DraftMinutes'; readonly data: { readonly text: string } }
  | { readonly type: 'ApproveMinutes'; readonly data: { readonly at: ApprovingMeeting } }
  | {
      readonly type: 'DistributeMinutes';
      readonly data: { readonly recipients: readonly MinutesRecipient[] };
    }
  | {
      readonly type: 'LinkProtocol';
      /** `protocolExists`: the handler looked the protocol's stream up. */
      readonly data: { readonly protocolId: string; readonly protocolExists: boolean };
    };

export interface MeetingContext {
  readonly today: IsoDate;
}

export type MeetingState =
  | { readonly status: 'none' }
  | {
      readonly status: 'convened';
      readonly meetingId: string;
      readonly bodyId: string;
      readonly date: IsoDate;
      readonly place: string;
      readonly agenda: readonly string[];
      readonly attendance: readonly AttendanceEntry[];
      readonly minutes: MinutesStatus;
      readonly text: string | undefined;
      readonly protocolIds: readonly string[];
    };

function evolve(state: MeetingState, event: MeetingEvent): MeetingState {
  if (event.type === 'MeetingConvened') {
    return {
      status: 'convened',
      ...event.data,
      attendance: [],
      minutes: 'none',
      text: undefined,
      protocolIds: [],
    };
  }
  if (state.status === 'none') return state;
  switch (event.type) {
    case 'AttendanceRecorded':
      return { ...state, attendance: event.data.attendance };
    case 'MinutesDrafted':
      return { ...state, minutes: 'drafted', text: event.data.text };
    case 'MinutesApproved':
      return { ...state, minutes: 'approved' };
    case 'MinutesDistributed':
      return { ...state, minutes: 'distributed' };
    case 'ProtocolLinked':
      return { ...state, protocolIds: [...state.protocolIds, event.data.protocolId] };
    case 'MinutesDelivered':
    case 'MinutesDeliveryFailed':
      return state;
    default:
      return assertNever(event);
  }
}

function refuse(code: CoordinationRuleCode, message: string, field?: string): never {
  throw new CoordinationRuleViolation(code, message, field);
}

function held(meeting: Extract<MeetingState, { status: 'convened' }>, today: IsoDate): void {
  if (today < meeting.date) {
    refuse('MEETING_NOT_HELD_YET', `The meeting is on ${meeting.date}: not held yet`);
  }
}

function decide(
  command: MeetingCommand,
  state: MeetingState,
  { today }: MeetingContext,
): MeetingEvent[] {
  if (command.type === 'ConveneMeeting') {
    const { bodyExists, ...data } = command.data;
    if (state.status !== 'none') {
      refuse('MEETING_EXISTS', `Meeting ${data.meetingId} exists`, 'id');
    }
    if (!bodyExists) refuse('UNKNOWN_BODY', `No body ${data.bodyId}`, 'bodyId');
    refuseCaseContent(data.place, 'place');
    data.agenda.forEach((item, i) => refuseCaseContent(item, `agenda.${i}`));
    return [{ type: 'MeetingConvened', data: { ...data, agenda: [...data.agenda] } }];
  }
  if (state.status === 'none') throw new NotFound('UNKNOWN_MEETING', 'No such meeting');
  const { meetingId } = state;
  switch (command.type) {
    case 'RecordAttendance': {
      held(state, today);
      const { attendance, bodyMembers } = command.data;
      attendance.forEach((entry, i) => {
        if (!bodyMembers.includes(entry.member)) {
          refuse(
            'NOT_A_BODY_MEMBER',
            `${entry.member} does not sit in this body`,
            `attendance.${i}.member`,
          );
        }
      });
      const unique = [...new Map(attendance.map((e) => [e.member, e])).values()];
      return [{ type: 'AttendanceRecorded', data: { meetingId, attendance: unique } }];
    }
    case 'DraftMinutes': {
      held(state, today);
      if (state.minutes !== 'none' && state.minutes !== 'drafted') {
        refuse('MINUTES_ALREADY_APPROVED', 'Approved minutes are not redrafted');
      }
      refuseCaseContent(command.data.text, 'text');
      return state.text === command.data.text
        ? []
        : [{ type: 'MinutesDrafted', data: { meetingId, text: command.data.text } }];
    }
    case 'ApproveMinutes': {
      const { at } = command.data;
      if (state.minutes === 'none')
        refuse('MINUTES_NOT_DRAFTED', 'There are no minutes to approve');
      if (state.minutes !== 'drafted') {
        refuse('MINUTES_ALREADY_APPROVED', 'These minutes are approved already');
      }
      if (at.bodyId !== state.bodyId || at.date <= state.date || at.meetingId === meetingId) {
        refuse(
          'NOT_THE_NEXT_MEETING',
          'Minutes are approved at a later meeting of the same body',
          'approvedAtMeetingId',
        );
      }
      if (today < at.date) {
        refuse(
          'MEETING_NOT_HELD_YET',
          `The approving meeting is on ${at.date}: not held yet`,
          'approvedAtMeetingId',
        );
      }
      return [
        {
          type: 'MinutesApproved',
          data: { meetingId, approvedAtMeetingId: at.meetingId, approvedOn: at.date },
        },
      ];
    }
    case 'DistributeMinutes': {
      if (state.minutes === 'distributed') {
        refuse('MINUTES_ALREADY_DISTRIBUTED', 'These minutes have been distributed');
      }
      if (state.minutes !== 'approved') {
        refuse('MINUTES_NOT_APPROVED', 'Minutes are distributed once approved at the next meeting');
      }
      const recipients = [
        ...new Map(command.data.recipients.map((r) => [r.email.toLowerCase(), r])).values(),
      ];
      if (recipients.length === 0) {
        refuse('NO_RECIPIENTS', 'The body has no members and the coordination no officials');
      }
      return [
        { type: 'MinutesDistributed', data: { meetingId, distributedOn: today, recipients } },
      ];
    }
    case 'LinkProtocol': {
      const { protocolId, protocolExists } = command.data;
      if (!protocolExists) refuse('UNKNOWN_PROTOCOL', `No protocol ${protocolId}`, 'protocolId');
      return state.protocolIds.includes(protocolId)
        ? []
        : [{ type: 'ProtocolLinked', data: { meetingId, protocolId } }];
    }
    default:
      return assertNever(command);
  }
}

export const meetingDecider: Decider<MeetingCommand, MeetingEvent, MeetingState, MeetingContext> = {
  initialState: { status: 'none' },
  evolve,
  decide,
};

export const MEETING_EVENT_TYPES: readonly MeetingEvent['type'][] = [
  'MeetingConvened',
  'AttendanceRecorded',
  'MinutesDrafted',
  'MinutesApproved',
  'MinutesDistributed',
  'ProtocolLinked',
  'MinutesDelivered',
  'MinutesDeliveryFailed',
];

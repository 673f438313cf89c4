import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import {
  BodyCommand,
  bodyDecider,
  BodyEvent,
  BodyState,
  bodyStreamId,
  CoordinationRuleViolation,
  meetingDecider,
  MeetingCommand,
  MeetingEvent,
  MeetingState,
  meetingStreamId,
  MemberServiceCommand,
  memberServiceDecider,
  MemberServiceEvent,
  MemberServiceState,
  memberServiceStreamId,
  ImportedMemberService,
  memberKey,
  MinutesRecipient,
  OFFICIALS_STREAM_ID,
  PoliticalOfficialCommand,
  PoliticalOfficialEvent,
  politicalOfficialsDecider,
  PoliticalOfficialsState,
} from '@relais/coordination';
import { fold, NetworkRuleViolation, protocolStreamId } from '@relais/domain';
import { NetworkQueries } from '@relais/read-models';
import { commandHandler, EVENT_STORE, EventStore, toDomainEvent } from '@relais/event-store';
import { brusselsDate, Clock, CLOCK } from '@relais/platform';
import type { BodyMember } from '@relais/wire';

/** Who acts: the coordinator (or the system, for the demo seed). */
export interface Coordinator {
  readonly staffId: string;
  readonly organisationId?: string;
}

const identityOf = (by: Coordinator, content: unknown, idempotencyKey?: string) => ({
  identity: { actor: by.staffId, content, ...(idempotencyKey ? { idempotencyKey } : {}) },
  metadata: {
    actor: by.staffId,
    ...(by.organisationId ? { organisation: by.organisationId } : {}),
  },
});

export interface CoordinationChanged {
  /** The stream's version after the change. */
  readonly version: number;
}

const handleMember = commandHandler<MemberServiceEvent, MemberServiceState>(memberServiceDecider);
const handleBody = commandHandler<BodyEvent, BodyState>(bodyDecider);
const handleMeeting = commandHandler<MeetingEvent, MeetingState>(meetingDecider);
const handleOfficials = commandHandler<PoliticalOfficialEvent, PoliticalOfficialsState>(
  politicalOfficialsDecider,
);

/** A stream folded as it is now, for what a command only names (a body, a meeting, a service). */
async function folded<Event extends { type: string; data: unknown }, State>(
  store: EventStore,
  streamId: string,
  decider: { readonly initialState: State; evolve(state: State, event: Event): State },
): Promise<State> {
  return fold(decider, (await store.readStream(streamId)).map(toDomainEvent<Event>));
}

/** A person's or an official's account must be one of the network's active staff. */
async function checkAccount(network: NetworkQueries, staffId: string | null | undefined) {
  if (!staffId) return;
  const account = await network.staffMember(staffId);
  if (!account?.active) {
    throw new NetworkRuleViolation(
      'UNKNOWN_STAFF_MEMBER',
      `No active account ${staffId}`,
      'staffId',
    );
  }
}

export class ChangeMemberService {
  constructor(
    readonly memberId: string,
    readonly command: MemberServiceCommand,
    readonly by: Coordinator,
    readonly idempotencyKey?: string,
  ) {}
}

@CommandHandler(ChangeMemberService)
export class ChangeMemberServiceHandler implements ICommandHandler<
  ChangeMemberService,
  CoordinationChanged
> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ memberId, command, by, idempotencyKey }: ChangeMemberService) {
    const handled = await handleMember(
      this.store,
      memberServiceStreamId(memberId),
      (state) => memberServiceDecider.decide(command, state),
      identityOf(by, command, idempotencyKey),
    );
    return { version: handled.nextExpectedVersion };
  }
}

/** A body command as the API takes it: a member is added by what it names, looked up here. */
export type BodyChange =
  | Extract<BodyCommand, { type: 'CreateBody' | 'RemoveBodyMember' }>
  | { readonly type: 'AddBodyMember'; readonly data: { readonly member: BodyMember } };

export class ChangeBody {
  constructor(
    readonly bodyId: string,
    readonly change: BodyChange,
    readonly by: Coordinator,
    readonly idempotencyKey?: string,
  ) {}
}

@CommandHandler(ChangeBody)
export class ChangeBodyHandler implements ICommandHandler<ChangeBody, CoordinationChanged> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly network: NetworkQueries,
  ) {}

  async execute({ bodyId, change, by, idempotencyKey }: ChangeBody) {
    let command: BodyCommand;
    if (change.type === 'AddBodyMember') {
      const { member } = change.data;
      if (member.kind === 'person') await checkAccount(this.network, member.staffId);
      const memberId = member.memberId;
      const memberServiceExists =
        memberId !== undefined &&
        (await this.store.streamVersion(memberServiceStreamId(memberId))) > 0;
      command = { type: 'AddBodyMember', data: { member, memberServiceExists } };
    } else {
      command = change;
    }
    const handled = await handleBody(
      this.store,
      bodyStreamId(bodyId),
      (state) => bodyDecider.decide(command, state),
      identityOf(by, change, idempotencyKey),
    );
    return { version: handled.nextExpectedVersion };
  }
}

/** A meeting command as the API takes it; the handler finds the body, the next meeting, the recipients. */
export type MeetingChange =
  | {
      readonly type: 'ConveneMeeting';
      readonly data: {
        readonly bodyId: string;
        readonly date: string;
        readonly place: string;
        readonly agenda: readonly string[];
      };
    }
  | Extract<MeetingCommand, { type: 'DraftMinutes' }>
  | {
      readonly type: 'RecordAttendance';
      readonly data: Omit<
        Extract<MeetingCommand, { type: 'RecordAttendance' }>['data'],
        'bodyMembers'
      >;
    }
  | { readonly type: 'ApproveMinutes'; readonly data: { readonly approvedAtMeetingId: string } }
  | { readonly type: 'DistributeMinutes' }
  | { readonly type: 'LinkProtocol'; readonly data: { readonly protocolId: string } };

export class ChangeMeeting {
  constructor(
    readonly meetingId: string,
    readonly change: MeetingChange,
    readonly by: Coordinator,
    readonly idempotencyKey?: string,
  ) {}
}

@CommandHandler(ChangeMeeting)
export class ChangeMeetingHandler implements ICommandHandler<ChangeMeeting, CoordinationChanged> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ meetingId, change, by, idempotencyKey }: ChangeMeeting) {
    const handled = await handleMeeting(
      this.store,
      meetingStreamId(meetingId),
      async (state) =>
        meetingDecider.decide(await this.commandOf(meetingId, change, state), state, {
          today: brusselsDate(this.clock.now()),
        }),
      { ...identityOf(by, change, idempotencyKey), recordedAt: this.clock.now() },
    );
    return { version: handled.nextExpectedVersion };
  }

  private body(bodyId: string) {
    return folded<BodyEvent, BodyState>(this.store, bodyStreamId(bodyId), bodyDecider);
  }

  private async commandOf(
    meetingId: string,
    change: MeetingChange,
    state: MeetingState,
  ): Promise<MeetingCommand> {
    switch (change.type) {
      case 'ConveneMeeting': {
        const body = await this.body(change.data.bodyId);
        return {
          type: 'ConveneMeeting',
          data: { meetingId, ...change.data, bodyExists: body.status !== 'none' },
        };
      }
      case 'DraftMinutes':
        return change;
      case 'RecordAttendance': {
        const body = state.status === 'none' ? undefined : await this.body(state.bodyId);
        const bodyMembers = body?.status === 'active' ? body.members.map(memberKey) : [];
        return { type: 'RecordAttendance', data: { ...change.data, bodyMembers } };
      }
      case 'ApproveMinutes': {
        const { approvedAtMeetingId } = change.data;
        const at = await folded<MeetingEvent, MeetingState>(
          this.store,
          meetingStreamId(approvedAtMeetingId),
          meetingDecider,
        );
        if (at.status === 'none') {
          throw new CoordinationRuleViolation(
            'UNKNOWN_MEETING',
            `No meeting ${approvedAtMeetingId}`,
            'approvedAtMeetingId',
          );
        }
        return {
          type: 'ApproveMinutes',
          data: { at: { meetingId: at.meetingId, bodyId: at.bodyId, date: at.date } },
        };
      }
      case 'DistributeMinutes':
        return {
          type: 'DistributeMinutes',
          data: { recipients: state.status === 'none' ? [] : await this.recipients(state.bodyId) },
        };
      case 'LinkProtocol': {
        const { protocolId } = change.data;
        const protocolExists = (await this.store.streamVersion(protocolStreamId(protocolId))) > 0;
        return { type: 'LinkProtocol', data: { protocolId, protocolExists } };
      }
      default: {
        const never: never = change;
        return never;
      }
    }
  }

  /** Every member of the body, by its address, and every political official of the coordination. */
  private async recipients(bodyId: string): Promise<MinutesRecipient[]> {
    const body = await this.body(bodyId);
    const members: MinutesRecipient[] = [];
    for (const member of body.status === 'active' ? body.members : []) {
      if (member.kind === 'person') {
        const { name, email, staffId } = member;
        members.push({ kind: 'member', name, email, ...(staffId ? { staffId } : {}) });
        continue;
      }
      const service = await folded<MemberServiceEvent, MemberServiceState>(
        this.store,
        memberServiceStreamId(member.memberId),
        memberServiceDecider,
      );
      if (service.status === 'member') {
        members.push({ kind: 'member', name: service.name, email: service.contact.email });
      }
    }
    const officials = await folded<PoliticalOfficialEvent, PoliticalOfficialsState>(
      this.store,
      OFFICIALS_STREAM_ID,
      politicalOfficialsDecider,
    );
    return [
      ...members,
      ...officials.map(({ name, email, staffId }): MinutesRecipient => ({
        kind: 'official',
        name,
        email,
        ...(staffId ? { staffId } : {}),
      })),
    ];
  }
}

export class ChangePoliticalOfficials {
  constructor(
    readonly command: PoliticalOfficialCommand,
    readonly by: Coordinator,
    readonly idempotencyKey?: string,
  ) {}
}

@CommandHandler(ChangePoliticalOfficials)
export class ChangePoliticalOfficialsHandler implements ICommandHandler<
  ChangePoliticalOfficials,
  CoordinationChanged
> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly network: NetworkQueries,
  ) {}

  async execute({ command, by, idempotencyKey }: ChangePoliticalOfficials) {
    if (command.type !== 'RemovePoliticalOfficial') {
      await checkAccount(this.network, command.data.staffId);
    }
    const handled = await handleOfficials(
      this.store,
      OFFICIALS_STREAM_ID,
      (state) => politicalOfficialsDecider.decide(command, state),
      identityOf(by, command, idempotencyKey),
    );
    return { version: handled.nextExpectedVersion };
  }
}

/** Member services read from an HSDS document: the new ones registered, the known ones updated. */
export class ImportMemberServices {
  constructor(
    readonly members: readonly ImportedMemberService[],
    readonly by: Coordinator,
  ) {}
}

export interface MemberServicesImported {
  readonly registered: readonly string[];
  readonly updated: readonly string[];
}

@CommandHandler(ImportMemberServices)
export class ImportMemberServicesHandler implements ICommandHandler<
  ImportMemberServices,
  MemberServicesImported
> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ members, by }: ImportMemberServices): Promise<MemberServicesImported> {
    const registered: string[] = [];
    const updated: string[] = [];
    for (const { memberId, profile, charterSignedOn } of members) {
      const stream = memberServiceStreamId(memberId);
      const known = (await this.store.streamVersion(stream)) > 0;
      const commands: MemberServiceCommand[] = known
        ? [
            { type: 'UpdateMemberService', data: profile },
            ...(charterSignedOn
              ? [{ type: 'SignCharter' as const, data: { signedOn: charterSignedOn } }]
              : []),
          ]
        : [
            {
              type: 'RegisterMemberService',
              data: { memberId, ...profile, ...(charterSignedOn ? { charterSignedOn } : {}) },
            },
          ];
      for (const command of commands) {
        await handleMember(
          this.store,
          stream,
          (state) => memberServiceDecider.decide(command, state),
          identityOf(by, command),
        );
      }
      (known ? updated : registered).push(memberId);
    }
    return { registered, updated };
  }
}

export const COORDINATION_COMMAND_HANDLERS = [
  ImportMemberServicesHandler,
  ChangeMemberServiceHandler,
  ChangeBodyHandler,
  ChangeMeetingHandler,
  ChangePoliticalOfficialsHandler,
];

import { Inject, Injectable } from '@nestjs/common';
import { RELAIS_CONFIG, RelaisConfig } from '@relais/config';
import { enqueue } from '@relais/delivery';
import { fold } from '@relais/domain';
import {
  appendDecided,
  EventStore,
  Processor,
  ProcessorContext,
  RecordedEvent,
  toDomainEvent,
} from '@relais/event-store';
import { BodyEvent, bodyDecider } from '../body';
import { bodyStreamId, meetingStreamId, memberServiceStreamId } from '../coordination';
import { MeetingEvent, meetingDecider } from '../meeting';
import { MemberServiceEvent, memberServiceDecider } from '../member-service';
import { DistributedMinutes, minutesDeliveries } from '../minutes-distribution';

type Distributed = Extract<MeetingEvent, { type: 'MinutesDistributed' }>;

/**
 * Approved minutes, once distributed, go out through the notifications' outbox: an e-mail to each
 * member and political official, written in this transaction (none lost, none sent twice), and a
 * delivery to the inbox of each recipient with an account, recorded on the meeting's stream.
 */
@Injectable()
export class MinutesDistributionProcessor implements Processor {
  readonly name = 'minutes-distribution';
  readonly eventTypes: readonly MeetingEvent['type'][] = ['MinutesDistributed'];

  constructor(@Inject(RELAIS_CONFIG) private readonly config: RelaisConfig) {}

  async handle(
    events: readonly RecordedEvent[],
    { client, store }: ProcessorContext,
  ): Promise<void> {
    for (const recorded of events) {
      const minutes = await this.minutesOf(store, recorded);
      if (!minutes) continue;
      const { outbox, inbox } = minutesDeliveries(minutes);
      for (const entry of outbox) await enqueue(client, entry);
      if (inbox.length === 0) continue;
      await appendDecided(
        store,
        meetingStreamId(minutes.meetingId),
        inbox,
        {
          actor: 'minutes-distribution',
          idempotencyKey: `inbox:${recorded.eventId}`,
          content: null,
        },
        {
          metadata: { actor: 'minutes-distribution', causationId: recorded.eventId },
          expectedVersion: 'any',
        },
      );
    }
  }

  /** The meeting as of its distribution, with its body's name and its attendance by name. */
  private async minutesOf(
    store: EventStore,
    recorded: RecordedEvent,
  ): Promise<DistributedMinutes | undefined> {
    const { data } = toDomainEvent<Distributed>(recorded);
    const history = (
      await store.readStream(meetingStreamId(data.meetingId), { maxCount: recorded.streamPosition })
    ).map(toDomainEvent<MeetingEvent>);
    const meeting = fold(meetingDecider, history);
    const approved = history.find((e) => e.type === 'MinutesApproved');
    if (
      meeting.status === 'none' ||
      meeting.text === undefined ||
      approved?.type !== 'MinutesApproved'
    ) {
      return undefined;
    }
    const body = fold(
      bodyDecider,
      (await store.readStream(bodyStreamId(meeting.bodyId))).map(toDomainEvent<BodyEvent>),
    );
    if (body.status === 'none') return undefined;
    const names = new Map<string, string>();
    for (const member of body.members) {
      if (member.kind === 'person') {
        names.set(member.personId, member.name);
        continue;
      }
      const service = fold(
        memberServiceDecider,
        (await store.readStream(memberServiceStreamId(member.memberId))).map(
          toDomainEvent<MemberServiceEvent>,
        ),
      );
      names.set(member.memberId, service.status === 'none' ? member.memberId : service.name);
    }
    return {
      meetingId: meeting.meetingId,
      bodyName: body.name,
      bodyKind: body.kind,
      date: meeting.date,
      place: meeting.place,
      agenda: meeting.agenda,
      attendance: meeting.attendance.map((a) => ({
        name: names.get(a.member) ?? a.member,
        status: a.status,
      })),
      text: meeting.text,
      approvedOn: approved.data.approvedOn,
      recipients: data.recipients,
      publicUrl: this.config.publicUrl,
    };
  }
}

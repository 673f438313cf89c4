import type { SqlTransaction } from '@relais/database';
import { Inject, Injectable } from '@nestjs/common';
import {
  CASE_EVENT_TYPES,
  CaseEvent,
  caseDecider,
  caseStreamId,
  ExistingCase,
  fold,
  obligationDecider,
  obligationStreamId,
  protocolDecider,
  ProtocolEvent,
  protocolStreamId,
} from '@relais/domain';
import {
  appendDecided,
  Processor,
  ProcessorContext,
  RecordedEvent,
  toDomainEvent,
} from '@relais/event-store';
import { RELAIS_CONFIG, RelaisConfig } from '@relais/config';
import { enqueue } from '@relais/delivery';
import { CompetenceDirectory } from '@relais/network';
import { brusselsDate } from '@relais/calendar';
import { Calendars, Network } from '../obligations';
import { handleObligation } from '../obligation-stream';
import { caseEventObligations, ObligationOpened } from '../opening';
import { channelsOf, outboxEntriesOf, Recipients } from '../outbox-entries';
import { currentCalendars, networkOf } from '../reference-network';
import { ProtocolVersion, protocolVersionsOf } from '../version-in-force';
import { ProtocolDefinition } from '@relais/protocol';
import { workerContacts } from '@relais/read-models';
import { correlationField, currentCorrelationId, withCorrelation } from '@relais/kernel';

const PROTOCOL_EVENTS: readonly ProtocolEvent['type'][] = [
  'ProtocolVersionDrafted',
  'ProtocolVersionSigned',
  'ProtocolVersionAdopted',
  'ProtocolVersionSuperseded',
  'ProtocolEnded',
];

/**
 * The protocol engine: for each case event, the rules of the protocol versions in force on the
 * day it occurred open one obligation per recipient, each in its own stream with an id derived
 * from the rule, the event and the recipient (a replay opens nothing new). It follows the
 * protocols' own events in the same commit order, so a version adopted before an event was
 * logged applies to it.
 */
@Injectable()
export class ProtocolEngineProcessor implements Processor {
  readonly name = 'protocol-engine';
  readonly eventTypes: readonly string[] = [...PROTOCOL_EVENTS, ...CASE_EVENT_TYPES];
  /**
   * Each event reads its case's stream and may open obligations, milliseconds each: a standby
   * taking over a backlog of thousands commits its first obligations within a second, not after
   * one transaction of them all (`npm run chaos`, scenario 2).
   */
  readonly batchSize = 100;
  private readonly network: Network;

  constructor(
    @Inject(CompetenceDirectory) private readonly directory: CompetenceDirectory,
    @Inject(RELAIS_CONFIG) private readonly config: RelaisConfig,
  ) {
    this.network = networkOf(directory);
  }

  async handle(events: readonly RecordedEvent[], context: ProcessorContext): Promise<void> {
    const calendars = await currentCalendars(this.directory, context.client);
    for (const event of events) {
      // What the engine logs and appends for this event carries the request it came from.
      await withCorrelation(event.metadata.correlationId, () =>
        (PROTOCOL_EVENTS as readonly string[]).includes(event.type)
          ? this.followProtocol(event, context)
          : this.evaluate(event, context, calendars),
      );
    }
  }

  /**
   * The protocol as of this event, folded by its own decider from its stream and read the one way
   * the dry run reads it too (`protocolVersionsOf`): the engine keeps it beside its obligations
   * so each case event is judged by the versions adopted before it in the log.
   */
  private async followProtocol(
    recorded: RecordedEvent,
    { client, store }: ProcessorContext,
  ): Promise<void> {
    const { protocolId } = toDomainEvent<ProtocolEvent>(recorded).data;
    const history = await store.readStream(protocolStreamId(protocolId), {
      maxCount: recorded.streamPosition,
    });
    const state = fold(protocolDecider, history.map(toDomainEvent<ProtocolEvent>));
    const versions = protocolVersionsOf(state);
    await client.query('delete from engine_protocol_versions where protocol_id = $1', [protocolId]);
    await client.query(
      `insert into engine_protocol_versions (protocol_id, version, definition, signed, ended_on)
       select $1, v.version, v.definition, v.signed, v.ended_on
       from jsonb_to_recordset($2::jsonb) as v (version int, definition jsonb, signed boolean, ended_on date)`,
      [
        protocolId,
        JSON.stringify(
          versions.map((v) => ({
            version: v.definition.version,
            definition: v.definition,
            signed: v.signed,
            ended_on: v.endedOn ?? null,
          })),
        ),
      ],
    );
  }

  private async evaluate(
    recorded: RecordedEvent,
    { client, store }: ProcessorContext,
    calendars: Calendars,
  ): Promise<void> {
    const event = toDomainEvent<CaseEvent>(recorded);
    const before = await store.readStream(caseStreamId(event.data.caseId), {
      maxCount: recorded.streamPosition - 1,
    });
    const caseState = fold(caseDecider, before.map(toDomainEvent<CaseEvent>));
    if (caseState.status === 'none') return;
    if (event.type === 'InformationSharedOutsideRelais') {
      await this.fulfilOutsideRelais(recorded.eventId, event.data, { client, store });
    }
    const openings = caseEventObligations({
      protocols: await this.protocols(client),
      event: { eventId: recorded.eventId, ...event },
      caseState,
      network: this.network,
      calendars,
      loggedOn: brusselsDate(recorded.recordedAt),
    });
    const correlation = correlationField(currentCorrelationId());
    for (const { draft, opened, late } of openings) {
      const { obligationId } = opened;
      // The engine's own record says whether it opened this obligation already (a reprocessed
      // event, or one opened before its event ids were derived the way they are now): once only.
      const { rowCount } = await client.query(
        `insert into engine_obligations (obligation_id, case_id, event_id, event_type,
           obliged_organisation_id, recipient_organisation_id) values ($1, $2, $3, $4, $5, $6)
         on conflict do nothing`,
        [
          obligationId,
          draft.caseId,
          draft.eventId,
          draft.eventType,
          draft.obligedOrganisationId,
          draft.recipientOrganisationId,
        ],
      );
      if (rowCount === 0) continue;
      // E-mails and webhooks go through the outbox, written in this transaction: none is lost,
      // none sent twice; a webhook's address is read when it is sent.
      for (const entry of outboxEntriesOf(
        opened,
        await this.recipients(client, opened, caseState),
      )) {
        await enqueue(client, { ...entry, ...correlation });
      }
      await appendDecided(
        store,
        obligationStreamId(obligationId),
        [{ type: 'ObligationOpened' as const, data: opened }, ...late],
        { actor: 'protocol-engine', idempotencyKey: 'opened', content: null },
        {
          metadata: { actor: 'protocol-engine', causationId: recorded.eventId, ...correlation },
          expectedVersion: 'no_stream',
        },
      );
    }
  }

  /** Who an opened obligation reaches, looked up only for the channels it is told on. */
  private async recipients(
    client: SqlTransaction,
    obligation: ObligationOpened,
    caseState: ExistingCase,
  ): Promise<Recipients> {
    const channels = channelsOf(obligation);
    const contacts = channels.length
      ? await workerContacts(client, obligation.contactStaffIds ?? [])
      : [];
    const emails = channels.includes('email')
      ? (
          await client.query<{ email: string }>(
            `select contact_email as email from organisations where id = $1
             union select email from staff where id = any($2::text[])`,
            [obligation.recipientOrganisationId, obligation.assignedStaffIds],
          )
        ).rows.map((r) => r.email)
      : [];
    const hasWebhook =
      channels.includes('webhook') &&
      ((
        await client.query('select 1 from webhooks where organisation_id = $1', [
          obligation.recipientOrganisationId,
        ])
      ).rowCount ?? 0) > 0;
    return {
      emails,
      hasWebhook,
      contacts,
      caseReference: caseState.reference,
      publicUrl: this.config.publicUrl,
      organisationName: (id) => this.directory.organisation(id)?.name,
      communeName: (ins) => this.directory.commune(ins)?.name,
    };
  }

  /**
   * The obliged party logged that it told a recipient another way: the obligations it opened
   * towards that recipient for that event (or, without an event id, for every event of that
   * type on the case) are fulfilled outside Relais.
   */
  private async fulfilOutsideRelais(
    caseEventId: string,
    shared: Extract<CaseEvent, { type: 'InformationSharedOutsideRelais' }>['data'],
    { client, store }: ProcessorContext,
  ): Promise<void> {
    const { rows } = await client.query<{ obligation_id: string }>(
      `select obligation_id from engine_obligations
       where case_id = $1 and obliged_organisation_id = $2 and recipient_organisation_id = $3
         and event_type = $4 and ($5::text is null or event_id = $5)
       order by obligation_id`,
      [
        shared.caseId,
        shared.organisationId,
        shared.sharedWith,
        shared.about,
        shared.aboutEventId ?? null,
      ],
    );
    for (const { obligation_id: obligationId } of rows) {
      await handleObligation(
        store,
        obligationStreamId(obligationId),
        (state) =>
          obligationDecider.decide(
            {
              type: 'RecordFulfilmentOutsideRelais',
              data: { caseEventId, sharedOn: shared.occurredOn, channel: shared.channel },
            },
            state,
          ),
        {
          identity: { actor: 'protocol-engine', idempotencyKey: caseEventId, content: null },
          metadata: {
            actor: 'protocol-engine',
            causationId: caseEventId,
            ...correlationField(currentCorrelationId()),
          },
        },
      );
    }
  }

  private async protocols(client: SqlTransaction): Promise<ProtocolVersion[][]> {
    const { rows } = await client.query<{
      protocol_id: string;
      definition: ProtocolDefinition;
      signed: boolean;
      ended_on: string | null;
    }>(
      `select protocol_id, definition, signed, to_char(ended_on, 'YYYY-MM-DD') as ended_on
       from engine_protocol_versions order by protocol_id, version`,
    );
    const byProtocol = new Map<string, ProtocolVersion[]>();
    for (const row of rows) {
      const versions = byProtocol.get(row.protocol_id) ?? [];
      versions.push({
        definition: row.definition,
        signed: row.signed,
        ...(row.ended_on ? { endedOn: row.ended_on } : {}),
      });
      byProtocol.set(row.protocol_id, versions);
    }
    return [...byProtocol.values()];
  }
}

import { Injectable } from '@nestjs/common';
import { Migration, SqlTransaction } from '@relais/database';
import { ProtocolEvent, ProtocolVersionState } from '@relais/domain';
import { Processor, ProcessorContext, RecordedEvent, toDomainEvent } from '@relais/event-store';
import { Pool } from 'pg';

export const protocolVersionMigrations: readonly Migration[] = [
  {
    id: '0420_protocol_versions',
    sql: `
create table protocol_versions (
  protocol_id text not null,
  version integer not null,
  effective_from date not null,
  status text not null,
  signatories text[] not null,
  signed_by text[] not null,
  definition jsonb not null,
  ended_on date,
  position integer not null,
  primary key (protocol_id, version)
);
`,
  },
];

/** One version of a protocol as the lists show it. */
export interface ProtocolVersionRow {
  readonly protocolId: string;
  readonly version: number;
  readonly effectiveFrom: string;
  readonly status: ProtocolVersionState['status'];
  readonly signatories: readonly string[];
  readonly signedBy: readonly string[];
  readonly definition: unknown;
  readonly endedOn: string | null;
  /** The position, in the protocol's stream, of the last event applied to this row. */
  readonly position: number;
}

const PROTOCOL_EVENT_TYPES: readonly ProtocolEvent['type'][] = [
  'ProtocolVersionDrafted',
  'ProtocolVersionSigned',
  'ProtocolVersionAdopted',
  'ProtocolVersionSuperseded',
  'ProtocolEnded',
];

/** A version's row after one event of its protocol; `null` when the event does not create it. */
export function evolveProtocolVersion(
  row: ProtocolVersionRow | null,
  event: ProtocolEvent,
  position: number,
): ProtocolVersionRow | null {
  if (event.type === 'ProtocolVersionDrafted') {
    const { protocolId, version, effectiveFrom, signatories, definition } = event.data;
    return (
      row ?? {
        protocolId,
        version,
        effectiveFrom,
        status: 'draft',
        signatories,
        signedBy: [],
        definition,
        endedOn: null,
        position,
      }
    );
  }
  if (row === null) return null;
  switch (event.type) {
    case 'ProtocolVersionSigned':
      return {
        ...row,
        signedBy: row.signedBy.includes(event.data.organisationId)
          ? row.signedBy
          : [...row.signedBy, event.data.organisationId],
        position,
      };
    case 'ProtocolVersionAdopted':
      return { ...row, status: 'adopted', position };
    case 'ProtocolVersionSuperseded':
      return { ...row, status: 'superseded', position };
    case 'ProtocolEnded':
      return { ...row, endedOn: event.data.endedOn, position };
  }
}

const COLUMNS = `protocol_id as "protocolId", version, to_char(effective_from, 'YYYY-MM-DD') as "effectiveFrom",
  status, signatories, signed_by as "signedBy", definition,
  to_char(ended_on, 'YYYY-MM-DD') as "endedOn", position`;

/**
 * One row per protocol version, folded from the protocol's stream. Each row remembers the last
 * stream position it applied, so a replay (of everything, or of a stretch) changes nothing.
 */
@Injectable()
export class ProtocolVersionsProjection implements Processor {
  readonly name = 'protocol-versions';
  readonly eventTypes: readonly string[] = PROTOCOL_EVENT_TYPES;

  async handle(events: readonly RecordedEvent[], { client }: ProcessorContext): Promise<void> {
    for (const recorded of events) {
      const event = toDomainEvent<ProtocolEvent>(recorded);
      for (const row of await this.rowsOf(client, event)) {
        if (row !== null && row.position >= recorded.streamPosition) continue;
        const next = evolveProtocolVersion(row, event, recorded.streamPosition);
        if (next !== null) await this.save(client, next);
      }
    }
  }

  /** The rows an event touches: its version's (null if not there yet), or every version's. */
  private async rowsOf(
    client: SqlTransaction,
    event: ProtocolEvent,
  ): Promise<(ProtocolVersionRow | null)[]> {
    if (event.type === 'ProtocolEnded') {
      const { rows } = await client.query<ProtocolVersionRow>(
        `select ${COLUMNS} from protocol_versions where protocol_id = $1`,
        [event.data.protocolId],
      );
      return rows;
    }
    const { rows } = await client.query<ProtocolVersionRow>(
      `select ${COLUMNS} from protocol_versions where protocol_id = $1 and version = $2`,
      [event.data.protocolId, event.data.version],
    );
    return [rows[0] ?? null];
  }

  private async save(client: SqlTransaction, row: ProtocolVersionRow): Promise<void> {
    await client.query(
      `insert into protocol_versions (protocol_id, version, effective_from, status, signatories,
         signed_by, definition, ended_on, position)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       on conflict (protocol_id, version) do update set status = $4, signed_by = $6,
         ended_on = $8, position = $9`,
      [
        row.protocolId,
        row.version,
        row.effectiveFrom,
        row.status,
        row.signatories,
        row.signedBy,
        JSON.stringify(row.definition),
        row.endedOn,
        row.position,
      ],
    );
  }
}

@Injectable()
export class ProtocolVersions {
  constructor(private readonly pool: Pool) {}

  /** Every version of every protocol, by protocol and version. */
  async all(): Promise<ProtocolVersionRow[]> {
    const { rows } = await this.pool.query<ProtocolVersionRow>(
      `select ${COLUMNS} from protocol_versions order by protocol_id, version`,
    );
    return rows;
  }

  /** The versions of one protocol, oldest first; none for an unknown protocol. */
  async of(protocolId: string): Promise<ProtocolVersionRow[]> {
    const { rows } = await this.pool.query<ProtocolVersionRow>(
      `select ${COLUMNS} from protocol_versions where protocol_id = $1 order by version`,
      [protocolId],
    );
    return rows;
  }
}

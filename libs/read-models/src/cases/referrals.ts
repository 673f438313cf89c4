import { Injectable } from '@nestjs/common';
import { noteCaseAccess } from '@relais/access-log';
import { Migration } from '@relais/database';
import { CaseEvent } from '@relais/domain';
import { Processor, ProcessorContext, RecordedEvent, toDomainEvent } from '@relais/event-store';
import type { ReferralSummary } from '@relais/wire';
import { Pool } from 'pg';

export const referralMigrations: readonly Migration[] = [
  {
    id: '0220_referrals',
    sql: `
create table referrals (
  referral_id text primary key,
  case_id text not null,
  from_organisation_id text not null,
  to_organisation_id text not null,
  reason text not null,
  sent_on date not null,
  status text not null,
  answered_on date,
  decline_reason text
);
create index referrals_to on referrals (to_organisation_id, status);
create index referrals_from on referrals (from_organisation_id, sent_on desc);
`,
  },
];

/** One referral as the projection keeps it: its case's reference is read with it. */
export type ReferralRow = Omit<ReferralSummary, 'reference' | 'residenceCommune' | 'direction'>;

type ReferralEvent = Extract<
  CaseEvent,
  { type: 'ReferralSent' | 'ReferralAccepted' | 'ReferralDeclined' }
>;

const REFERRAL_EVENTS: readonly ReferralEvent['type'][] = [
  'ReferralSent',
  'ReferralAccepted',
  'ReferralDeclined',
];

/** A referral's row after one case event; `null` when the event does not create it. */
export function evolveReferral(row: ReferralRow | null, event: ReferralEvent): ReferralRow | null {
  switch (event.type) {
    case 'ReferralSent': {
      const { referralId, caseId, organisationId, to, reason, occurredOn } = event.data;
      return (
        row ?? {
          referralId,
          caseId,
          from: organisationId,
          to,
          reason,
          sentOn: occurredOn,
          status: 'sent',
          answeredOn: null,
          declineReason: null,
        }
      );
    }
    case 'ReferralAccepted':
      return row && { ...row, status: 'accepted', answeredOn: event.data.occurredOn };
    case 'ReferralDeclined':
      return (
        row && {
          ...row,
          status: 'declined',
          answeredOn: event.data.occurredOn,
          declineReason: event.data.reason,
        }
      );
  }
}

/**
 * Each referral, sent and answered, for the queues: the recipient's referrals awaiting its answer
 * and the sender's answers. No personal data: the case's reference comes from `case_summaries`.
 */
@Injectable()
export class ReferralsProjection implements Processor {
  readonly name = 'referrals';
  readonly eventTypes = REFERRAL_EVENTS;

  async handle(events: readonly RecordedEvent[], { client }: ProcessorContext): Promise<void> {
    for (const recorded of events) {
      const event = toDomainEvent<ReferralEvent>(recorded);
      const { rows } = await client.query<ReferralRow>(
        `select referral_id as "referralId", case_id as "caseId", from_organisation_id as "from",
           to_organisation_id as "to", reason, to_char(sent_on, 'YYYY-MM-DD') as "sentOn", status,
           to_char(answered_on, 'YYYY-MM-DD') as "answeredOn", decline_reason as "declineReason"
         from referrals where referral_id = $1`,
        [event.data.referralId],
      );
      const row = evolveReferral(rows[0] ?? null, event);
      if (!row) continue;
      await client.query(
        `insert into referrals (referral_id, case_id, from_organisation_id, to_organisation_id, reason,
           sent_on, status, answered_on, decline_reason)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         on conflict (referral_id) do update set status = $7, answered_on = $8, decline_reason = $9`,
        [
          row.referralId,
          row.caseId,
          row.from,
          row.to,
          row.reason,
          row.sentOn,
          row.status,
          row.answeredOn,
          row.declineReason,
        ],
      );
    }
  }
}

@Injectable()
export class Referrals {
  constructor(private readonly pool: Pool) {}

  /**
   * The referrals addressed to the organisation that still wait for its answer, oldest first,
   * then the `outgoing` newest of those it sent, with their answers.
   */
  async forOrganisation(
    organisationId: string,
    { outgoing }: { outgoing: number },
  ): Promise<ReferralSummary[]> {
    const { rows } = await this.pool.query<ReferralSummary>(
      `with wanted as (
         (select * from referrals where to_organisation_id = $1 and status = 'sent')
         union all
         (select * from referrals where from_organisation_id = $1
          order by sent_on desc, referral_id limit $2))
       select r.referral_id as "referralId", r.case_id as "caseId", c.reference,
         c.residence_commune as "residenceCommune",
         case when r.to_organisation_id = $1 then 'incoming' else 'outgoing' end as direction,
         r.from_organisation_id as "from", r.to_organisation_id as "to", r.reason,
         to_char(r.sent_on, 'YYYY-MM-DD') as "sentOn", r.status,
         to_char(r.answered_on, 'YYYY-MM-DD') as "answeredOn", r.decline_reason as "declineReason"
       from wanted r join case_summaries c on c.case_id = r.case_id
       order by r.to_organisation_id <> $1, case when r.to_organisation_id = $1 then r.sent_on end,
         r.sent_on desc, r.referral_id`,
      [organisationId, outgoing],
    );
    noteCaseAccess(rows.map((r) => r.caseId));
    return rows;
  }
}

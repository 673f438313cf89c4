import { Injectable } from '@nestjs/common';
import { ExistingCase } from '@relais/domain';
import { CompetenceDirectory } from '@relais/network';
import { NetworkQueries } from '@relais/read-models';
import { SubjectVault } from '@relais/vault';
import type { CaseView, ReferralView, TimelineEntry } from '@relais/wire';
import { CaseRead, LoadedCase } from './case-repository';
import { memberOf } from './family-names';

/** What a partner sees of a case: names come from the vault, and show as erased once erased. */
@Injectable()
export class CaseViews {
  constructor(
    private readonly vault: SubjectVault,
    private readonly network: NetworkQueries,
    private readonly directory: CompetenceDirectory,
  ) {}

  /** What the caller's organisation may read of the case: see `CaseAccess`. */
  async caseView(read: CaseRead, organisationId: string): Promise<CaseView | ReferralView> {
    return read.access === 'referral'
      ? this.referralView(read, organisationId)
      : { ...(await this.fullView(read)), access: read.access };
  }

  /**
   * A referral still waiting for the caller's answer: enough to decide whether to take the case
   * (reference, commune, reason, sender and how to reach them), never who the family is.
   */
  private async referralView(
    { state, events, version }: CaseRead,
    organisationId: string,
  ): Promise<ReferralView> {
    const organisations = new Map((await this.network.organisations()).map((o) => [o.id, o]));
    const commune = this.directory.commune(state.residenceCommune);
    const sent = new Map(
      events
        .filter((e) => e.type === 'ReferralSent')
        .map((e) => [(e.data as { referralId: string }).referralId, e]),
    );
    const referrals = await Promise.all(
      Object.entries(state.referrals)
        .filter(([, r]) => r.to === organisationId && r.status === 'sent')
        .map(async ([referralId, r]) => {
          const event = sent.get(referralId);
          const data = event?.data as { reason: string; occurredOn: string } | undefined;
          const author = event?.metadata.actor
            ? await this.network.staffMember(event.metadata.actor)
            : undefined;
          const from = organisations.get(r.from);
          return {
            referralId,
            from: r.from,
            to: r.to,
            status: 'sent' as const,
            reason: data?.reason ?? null,
            sentOn: data?.occurredOn ?? null,
            sender: {
              organisationId: r.from,
              name: from?.name ?? r.from,
              contactEmail: from?.contactEmail ?? null,
              staffName: author?.name ?? null,
              staffEmail: author?.email ?? null,
            },
          };
        }),
    );
    return {
      id: state.caseId,
      reference: state.reference,
      status: state.status,
      access: 'referral' as const,
      version,
      openedOn: state.openedOn,
      residenceCommune: { ins: state.residenceCommune, name: commune?.name ?? null },
      referrals,
    };
  }

  private async fullView({
    state,
    version,
  }: LoadedCase & { state: ExistingCase }): Promise<Omit<CaseView, 'access'>> {
    const people = await this.vault.readMany(state.subjects.map((s) => s.subjectId));
    const organisations = new Map((await this.network.organisations()).map((o) => [o.id, o]));
    const commune = this.directory.commune(state.residenceCommune);
    return {
      id: state.caseId,
      reference: state.reference,
      status: state.status,
      version,
      openedOn: state.openedOn,
      openedBy: state.openedBy,
      residenceCommune: { ins: state.residenceCommune, name: commune?.name ?? null },
      family: state.subjects.map(({ subjectId, role }) =>
        memberOf(subjectId, role, people.get(subjectId)),
      ),
      partners: Object.values(state.partners).map((p) => ({
        organisationId: p.organisationId,
        name: organisations.get(p.organisationId)?.name ?? p.organisationId,
        kind: p.kind,
        status: p.status,
        legalBasis: p.legalBasis,
        consentId: p.consentId ?? null,
        assignedStaffIds: p.assignedStaffIds,
      })),
      consents: Object.entries(state.consents).map(([consentId, c]) => ({ consentId, ...c })),
      referrals: Object.entries(state.referrals).map(([referralId, r]) => ({ referralId, ...r })),
    };
  }

  timeline({ events }: LoadedCase): TimelineEntry[] {
    return events.map((e) => ({
      eventId: e.eventId,
      type: e.type,
      version: e.streamPosition,
      occurredOn: (e.data as { occurredOn: string }).occurredOn,
      recordedAt: e.recordedAt.toISOString(),
      organisationId: e.metadata.organisation ?? null,
      actorId: e.metadata.actor ?? null,
      data: e.data as TimelineEntry['data'],
    }));
  }
}

import { Injectable } from '@nestjs/common';
import { ExistingCase } from '@relais/domain';
import { CompetenceDirectory } from '@relais/network';
import { NetworkQueries } from '@relais/read-models';
import { SubjectVault } from '@relais/vault';
import { LoadedCase } from './case-repository';

/** What a partner sees of a case: names come from the vault, and show as erased once erased. */
@Injectable()
export class CaseViews {
  constructor(
    private readonly vault: SubjectVault,
    private readonly network: NetworkQueries,
    private readonly directory: CompetenceDirectory,
  ) {}

  async caseView({ state, version }: LoadedCase & { state: ExistingCase }) {
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
      family: state.subjects.map(({ subjectId, role }) => {
        const person = people.get(subjectId);
        return person && !person.erased
          ? { subjectId, role, erased: false, ...person.data }
          : { subjectId, role, erased: true };
      }),
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

  timeline({ events }: LoadedCase) {
    return events.map((e) => ({
      eventId: e.eventId,
      type: e.type,
      version: e.streamPosition,
      occurredOn: (e.data as { occurredOn: string }).occurredOn,
      recordedAt: e.recordedAt.toISOString(),
      organisationId: e.metadata.organisation ?? null,
      actorId: e.metadata.actor ?? null,
      data: e.data,
    }));
  }
}

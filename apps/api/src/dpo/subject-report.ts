import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { AccessLog } from '@relais/access-log';
import {
  CaseEvent,
  caseDecider,
  CaseState,
  evolveCase,
  ObligationEvent,
  obligationStreamId,
} from '@relais/domain';
import { EVENT_STORE, EventStore, toDomainEvent } from '@relais/event-store';
import { CompetenceDirectory } from '@relais/network';
import { brusselsDate, CLOCK, Clock } from '@relais/platform';
import { Inbox } from '@relais/obligations';
import { CaseSummaries, NetworkQueries, ProtocolVersions } from '@relais/read-models';
import { SubjectVault } from '@relais/vault';
import type {
  NamedOrganisation,
  ReportCase,
  ReportNotification,
  SubjectCase,
  SubjectReport,
} from '@relais/wire';
import { CaseRepository } from '../cases/case-repository';

type Opened = Extract<ObligationEvent, { type: 'ObligationOpened' }>['data'];

/**
 * Everything Relais holds and has shared about one person (GDPR art. 15): what the vault keeps,
 * each case they are a member of with its events, what the protocol told whom on which legal
 * basis and rule, and every read of their file.
 */
@Injectable()
export class SubjectReports {
  constructor(
    private readonly vault: SubjectVault,
    private readonly summaries: CaseSummaries,
    private readonly cases: CaseRepository,
    private readonly inbox: Inbox,
    private readonly protocols: ProtocolVersions,
    private readonly network: NetworkQueries,
    private readonly directory: CompetenceDirectory,
    private readonly log: AccessLog,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async of(subjectId: string): Promise<SubjectReport> {
    const memberships = (await this.summaries.ofSubjects([subjectId])).get(subjectId) ?? [];
    const person = await this.vault.read(subjectId);
    const caseIds = memberships.map((c) => c.caseId);
    const entries = await this.log.concerning(subjectId, caseIds);
    // The DPO's own look-ups of an id leave entries too: they alone make no one known.
    const read = entries.some((e) => e.purpose !== 'dpo_review');
    if (person.erased && memberships.length === 0 && !read) {
      throw new NotFoundException({
        message: `Relais holds nothing about ${subjectId}`,
        code: 'SUBJECT_NOT_FOUND',
      });
    }
    const organisations = new Map((await this.network.organisations()).map((o) => [o.id, o.name]));
    const named = (id: string): NamedOrganisation => ({ id, name: organisations.get(id) ?? id });
    const staff = new Map((await this.network.staff()).map((s) => [s.id, s.name]));
    const titles = await this.ruleTitles();
    return {
      subjectId,
      generatedOn: brusselsDate(this.clock.now()),
      person: person.erased
        ? { subjectId, erased: true }
        : { subjectId, erased: false, ...person.data },
      cases: await Promise.all(
        memberships.map((membership) => this.caseOf(membership, named, titles)),
      ),
      accesses: entries.map((entry) => ({
        at: entry.at,
        staff: { id: entry.staffId, name: staff.get(entry.staffId) ?? null },
        organisation: named(entry.organisationId),
        route: entry.route,
        purpose: entry.purpose,
        outcome: entry.outcome,
        caseIds: entry.caseIds,
      })),
    };
  }

  private async caseOf(
    membership: SubjectCase,
    named: (id: string) => NamedOrganisation,
    titles: ReadonlyMap<string, string>,
  ): Promise<ReportCase> {
    const { events, state } = await this.cases.load(membership.caseId);
    // The case as it stood right after each event: a notification's legal basis is the one its recipient had then.
    const after = new Map<string, CaseState>();
    let folded: CaseState = caseDecider.initialState;
    for (const event of events) {
      folded = evolveCase(folded, toDomainEvent<CaseEvent>(event));
      after.set(event.eventId, folded);
    }
    const notifications: ReportNotification[] = [];
    for (const obligation of await this.inbox.forCase(membership.caseId)) {
      const stream = await this.store.readStream(obligationStreamId(obligation.id), {
        maxCount: 1,
      });
      const opened = stream[0]?.data as Opened | undefined;
      if (opened === undefined) continue;
      const then = after.get(opened.eventId) ?? state;
      notifications.push({
        obligationId: obligation.id,
        eventType: obligation.eventType,
        occurredOn: obligation.occurredOn,
        from: named(obligation.obligedOrganisationId),
        to: named(obligation.recipientOrganisationId),
        legalBasis: legalBasisOf(obligation.status, then, obligation.recipientOrganisationId),
        rule: {
          protocolId: obligation.protocolId,
          ruleId: obligation.ruleId,
          title: titles.get(obligation.ruleId) ?? obligation.ruleId,
        },
        status: obligation.status,
        sharedFields: Object.keys(opened.sharedData),
        sharedData: opened.sharedData,
        channels: opened.channels,
        openedAt: obligation.openedAt.toISOString(),
        acknowledgedAt: obligation.acknowledgedAt?.toISOString() ?? null,
      });
    }
    const existing = state.status === 'none' ? undefined : state;
    const commune = this.directory.commune(existing?.residenceCommune ?? '');
    return {
      ...membership,
      residenceCommune: { ins: existing?.residenceCommune ?? '', name: commune?.name ?? null },
      partners: Object.values(existing?.partners ?? {}).map((p) => ({
        ...named(p.organisationId),
        legalBasis: p.legalBasis,
        status: p.status,
      })),
      events: events.map((e) => ({
        type: e.type,
        occurredOn: (e.data as { occurredOn: string }).occurredOn,
        recordedAt: e.recordedAt.toISOString(),
        organisation: e.metadata.organisation ? named(e.metadata.organisation) : null,
        data: e.data as Record<string, unknown>,
      })),
      notifications,
    };
  }

  private async ruleTitles(): Promise<Map<string, string>> {
    const titles = new Map<string, string>();
    for (const version of await this.protocols.all()) {
      const rules =
        (version.definition as { rules?: { id: string; title?: string }[] }).rules ?? [];
      for (const rule of rules) titles.set(rule.id, rule.title ?? rule.id);
    }
    return titles;
  }
}

/** As the engine judged it: a partner on its own basis, anyone else as the competent organisation. */
function legalBasisOf(
  status: ReportNotification['status'],
  state: CaseState,
  recipient: string,
): ReportNotification['legalBasis'] {
  if (status === 'blocked_no_legal_basis') return null;
  const partner = state.status === 'none' ? undefined : state.partners[recipient];
  return partner && partner.status === 'active' ? partner.legalBasis : 'competence';
}

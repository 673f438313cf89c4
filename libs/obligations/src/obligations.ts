import {
  CaseEvent,
  DEFAULT_ESCALATION,
  ExistingCase,
  ObligationEscalation,
  OrganisationKind,
} from '@relais/domain';
import {
  Channel,
  CompetentKind,
  Condition,
  ProtocolDefinition,
  RecipientSpec,
} from '@relais/protocol';

/** What the engine needs to know of the network: who is competent where. */
export interface Network {
  kindOf(organisationId: string): OrganisationKind | undefined;
  competentFor(kind: CompetentKind, communeIns: string): string | undefined;
  /** Whether the commune lies in the organisation's territory. */
  serves(organisationId: string, communeIns: string): boolean;
  /** The administrative arrondissements of the organisation's territory. */
  arrondissementsOf(organisationId: string): readonly string[];
}

/** Working-day arithmetic in one organisation's calendar. */
/** Each organisation's working days. */
export interface Calendars {
  addWorkingDays(organisationId: string, date: string, days: number): string;
  /** Working days after `from` up to and including `to`. */
  workingDaysBetween(organisationId: string, from: string, to: string): number;
  previousWorkingDay(organisationId: string, date: string): string;
}

export type LegalBasisCheck = 'ok' | 'blocked_no_legal_basis';

/** One obligation a rule opens: one recipient organisation, one deadline, one allow-list of data. */
export interface ObligationDraft {
  /** Deterministic: the same event evaluated again gives the same key, so a replay opens nothing new. */
  readonly key: string;
  readonly protocolId: string;
  readonly protocolVersion: number;
  readonly ruleId: string;
  readonly caseId: string;
  readonly eventId: string;
  readonly eventType: CaseEvent['type'];
  readonly obligedOrganisationId: string;
  readonly recipientOrganisationId: string;
  readonly occurredOn: string;
  readonly dueOn: string;
  readonly acknowledgementWithinWorkingDays: number | null;
  readonly sharedData: Readonly<Record<string, unknown>>;
  readonly shareAssignedWorkerContact: boolean;
  readonly channels: readonly Channel[];
  readonly escalation: ObligationEscalation;
  /** A recipient with no legal basis on the case receives nothing: the obligation is blocked. */
  readonly legalBasis: LegalBasisCheck;
}

export interface EvaluationInput {
  readonly protocol: ProtocolDefinition;
  readonly event: { readonly eventId: string } & CaseEvent;
  /** The case as it stood just before the event. */
  readonly caseState: ExistingCase;
  readonly network: Network;
  readonly calendars: Calendars;
}

/** The obligations one case event opens under one protocol version: pure, no I/O. */
export function obligationsFor({
  protocol,
  event,
  caseState,
  network,
  calendars,
}: EvaluationInput): ObligationDraft[] {
  const obliged = event.data.organisationId;
  if (!isPartnerOfProtocol(protocol, obliged, network)) return [];
  const data = event.data as unknown as Readonly<Record<string, unknown>>;
  return protocol.rules
    .filter((rule) => rule.trigger.event === event.type)
    .filter((rule) => network.kindOf(obliged) === rule.obliged.kind)
    .filter((rule) => holds(rule.trigger.conditions ?? [], data, caseState, network))
    .flatMap((rule) => {
      const recipients = rule.recipients
        .flatMap((spec) => recipientsOf(spec, data, caseState, network))
        .filter((r, i, all) => r.id !== obliged && all.findIndex((o) => o.id === r.id) === i);
      const dueOn =
        rule.deadline === 'immediate'
          ? event.data.occurredOn
          : calendars.addWorkingDays(obliged, event.data.occurredOn, rule.deadline.workingDays);
      return recipients.map(({ id: recipient, byCompetence }): ObligationDraft => ({
        key: `${protocol.id}/${rule.id}/${event.eventId}/${recipient}`,
        protocolId: protocol.id,
        protocolVersion: protocol.version,
        ruleId: rule.id,
        caseId: event.data.caseId,
        eventId: event.eventId,
        eventType: event.type,
        obligedOrganisationId: obliged,
        recipientOrganisationId: recipient,
        occurredOn: event.data.occurredOn,
        dueOn,
        acknowledgementWithinWorkingDays:
          rule.acknowledgement === 'none' ? null : rule.acknowledgement.workingDays,
        sharedData: Object.fromEntries(
          rule.share.filter((field) => field in data).map((field) => [field, data[field]]),
        ),
        shareAssignedWorkerContact: rule.shareAssignedWorkerContact,
        channels: rule.channels,
        escalation: {
          unacknowledged: rule.escalation.unacknowledged,
          loggedLate: rule.escalation.loggedLate,
          breachAfterWorkingDays:
            rule.escalation.breachAfterWorkingDays ?? DEFAULT_ESCALATION.breachAfterWorkingDays,
        },
        legalBasis: legalBasisOf(recipient, byCompetence, caseState),
      }));
    });
}

function isPartnerOfProtocol(
  protocol: ProtocolDefinition,
  organisationId: string,
  network: Network,
): boolean {
  return protocol.partners.some((partner) =>
    'organisation' in partner
      ? partner.organisation === organisationId
      : network.kindOf(organisationId) === partner.kind &&
        network.arrondissementsOf(organisationId).some((a) => partner.arrondissements.includes(a)),
  );
}

interface Recipient {
  readonly id: string;
  /** Named by the rule as competent for a commune of the event, rather than as a partner. */
  readonly byCompetence: boolean;
}

function recipientsOf(
  spec: RecipientSpec,
  data: Readonly<Record<string, unknown>>,
  caseState: ExistingCase,
  network: Network,
): Recipient[] {
  if (!holds(spec.when ?? [], data, caseState, network)) return [];
  if ('partnersOfKind' in spec) {
    return Object.values(caseState.partners)
      .filter((p) => p.status === 'active' && p.kind === spec.partnersOfKind)
      .map((p) => ({ id: p.organisationId, byCompetence: false }));
  }
  if ('competentFor' in spec) {
    const commune = data[spec.communeField];
    const competent =
      typeof commune === 'string' ? network.competentFor(spec.competentFor, commune) : undefined;
    return competent ? [{ id: competent, byCompetence: true }] : [];
  }
  return [{ id: spec.organisation, byCompetence: false }];
}

function holds(
  conditions: readonly Condition[],
  data: Readonly<Record<string, unknown>>,
  caseState: ExistingCase,
  network: Network,
): boolean {
  return conditions.every((condition) => {
    if ('in' in condition) return condition.in.includes(String(data[condition.field]));
    const commune = data[condition.communeField];
    const partners = Object.values(caseState.partners).filter(
      (p) => p.status === 'active' && p.kind === condition.outsideTerritoryOfPartner,
    );
    return (
      typeof commune === 'string' &&
      partners.length > 0 &&
      partners.every((p) => !network.serves(p.organisationId, commune))
    );
  });
}

/**
 * A partner receives on the legal basis it joined with, as long as a consent it relies on stands.
 * The organisation competent for a commune named by the rule receives on the protocol's own
 * footing (the CPAS of a family's new commune takes over by law). Anyone else receives nothing.
 */
function legalBasisOf(
  recipient: string,
  byCompetence: boolean,
  caseState: ExistingCase,
): LegalBasisCheck {
  const partner = caseState.partners[recipient];
  if (partner && partner.status === 'active') {
    if (partner.legalBasis !== 'family_informed_consent') return 'ok';
    const consent = partner.consentId ? caseState.consents[partner.consentId] : undefined;
    return consent && !consent.withdrawn ? 'ok' : 'blocked_no_legal_basis';
  }
  return byCompetence ? 'ok' : 'blocked_no_legal_basis';
}

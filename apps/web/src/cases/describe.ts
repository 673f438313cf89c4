import type { CommuneCompetence, FamilyMember, OrganisationView, StaffView } from '@relais/wire';
import type { I18n } from '../i18n/i18n.js';
import type { MessageKey } from '../i18n/fr.js';

/** What the app knows to turn ids and codes into words. */
export interface Names {
  readonly organisations: ReadonlyMap<string, OrganisationView>;
  readonly communes: ReadonlyMap<string, CommuneCompetence>;
  readonly staff: ReadonlyMap<string, StaffView>;
  readonly family?: readonly FamilyMember[];
}

export function namesOf(
  organisations: readonly OrganisationView[],
  communes: readonly CommuneCompetence[],
  staff: readonly StaffView[],
  family?: readonly FamilyMember[],
): Names {
  return {
    organisations: new Map(organisations.map((o) => [o.id, o])),
    communes: new Map(communes.map((c) => [c.ins, c])),
    staff: new Map(staff.map((s) => [s.id, s])),
    ...(family ? { family } : {}),
  };
}

export const organisationName = (names: Names, id: string | null | undefined): string =>
  id ? (names.organisations.get(id)?.name ?? id) : '';

export const communeName = (names: Names, ins: string): string => {
  const commune = names.communes.get(ins);
  return commune ? `${commune.name} (${ins})` : ins;
};

export function personName(i18n: I18n, member: FamilyMember | undefined): string {
  if (!member) return i18n.t('app.none');
  if (member.erased) return `${i18n.label('role', member.role)} (${i18n.t('case.erased')})`;
  return `${member.firstName ?? ''} ${member.lastName ?? ''}`.trim();
}

/** The labels of an event's data fields, and how each value reads. */
const REASON_LABELS: Readonly<Record<string, string>> = {
  RisSuppressed: 'risReason',
  ReferralSent: 'referralReason',
  ReferralDeclined: 'declineReason',
  CaseClosed: 'closeReason',
};

const HIDDEN = new Set([
  'caseId',
  'organisationId',
  'occurredOn',
  'subjects',
  'reference',
  'referralId',
  'consentId',
  'aboutEventId',
  'partnerKind',
]);

/**
 * An event's data (a timeline entry, or what a notification shares) as label/value pairs in the
 * user's language; `occurredOn` is left to the caller, which shows it already.
 */
export function describeData(
  i18n: I18n,
  names: Names,
  eventType: string,
  data: Readonly<Record<string, unknown>>,
): [string, string][] {
  const pairs: [string, string][] = [];
  for (const [field, value] of Object.entries(data)) {
    if (HIDDEN.has(field) || value === undefined || value === null) continue;
    const fieldLabel = i18n.label('field', field);
    pairs.push([fieldLabel, describeValue(i18n, names, eventType, field, value)]);
  }
  return pairs;
}

function describeValue(
  i18n: I18n,
  names: Names,
  eventType: string,
  field: string,
  value: unknown,
): string {
  const list = Array.isArray(value) ? value.map(String) : undefined;
  const single = typeof value === 'string' ? value : JSON.stringify(value);
  switch (field) {
    case 'effectiveOn':
      return i18n.date(single);
    case 'reason':
      return i18n.label(REASON_LABELS[eventType] ?? 'risReason', single);
    case 'programme':
      return i18n.label('programme', single);
    case 'legalBasis':
      return i18n.label('legalBasis', single);
    case 'channel':
      return i18n.label('sharingChannel', single);
    case 'about':
      return i18n.label('eventType', single);
    case 'to':
      return eventType === 'CaseJudicialised'
        ? i18n.label('judicialisedTo', single)
        : organisationName(names, single);
    case 'partnerId':
    case 'sharedWith':
      return organisationName(names, single);
    case 'sharingWith':
      return i18n.list((list ?? []).map((id) => organisationName(names, id)));
    case 'assignedStaffIds':
    case 'previousStaffIds':
      return i18n.list((list ?? []).map((id) => names.staff.get(id)?.name ?? id));
    case 'fromCommune':
    case 'destinationCommune':
    case 'residenceCommune':
      return communeName(names, single);
    case 'givenBy':
      return personName(
        i18n,
        names.family?.find((m) => m.subjectId === single),
      );
    default:
      return list ? i18n.list(list) : single;
  }
}

export const eventTypeLabel = (i18n: I18n, type: string): string => i18n.label('eventType', type);

export const statusKey = (status: string): MessageKey => `obligationStatus.${status}` as MessageKey;

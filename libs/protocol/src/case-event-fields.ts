import type { CaseEvent, CaseEventType } from '@relais/domain';

type EventData<T extends CaseEventType> = Extract<CaseEvent, { type: T }>['data'];
type FieldTable = { readonly [T in CaseEventType]: readonly (keyof EventData<T> & string)[] };
/** Names, for each event type, the data fields the table forgot; `{}` when none are. */
type Forgotten<Table extends FieldTable> = {
  readonly [T in CaseEventType]: [Exclude<keyof EventData<T>, Table[T][number]>] extends [never]
    ? unknown
    : { readonly forgottenFields: Exclude<keyof EventData<T>, Table[T][number]> };
};

/** The compiler refuses a table that lists a field an event lacks, or leaves out one it has. */
function everyField<Table extends FieldTable>(table: Table & Forgotten<Table>): Table {
  return table;
}

const LOGGED = ['caseId', 'occurredOn', 'organisationId'] as const;

/** The data fields of each case event, the ones every event carries first. */
export const CASE_EVENT_FIELDS: { readonly [T in CaseEventType]: readonly string[] } = everyField({
  CaseOpened: [...LOGGED, 'reference', 'residenceCommune', 'subjects'],
  PartnerJoined: [
    ...LOGGED,
    'partnerId',
    'partnerKind',
    'assignedStaffIds',
    'legalBasis',
    'consentId',
  ],
  PartnerLeft: [...LOGGED, 'partnerId'],
  ConsentRecorded: [...LOGGED, 'consentId', 'givenBy', 'sharingWith'],
  ConsentWithdrawn: [...LOGGED, 'consentId'],
  ReferralSent: [...LOGGED, 'referralId', 'to', 'reason'],
  ReferralAccepted: [...LOGGED, 'referralId'],
  ReferralDeclined: [...LOGGED, 'referralId', 'reason'],
  AidProgrammeChanged: [...LOGGED, 'programme'],
  CaseJudicialised: [...LOGGED, 'to'],
  CaseClosed: [...LOGGED, 'reason'],
  RisSuppressed: [...LOGGED, 'reason', 'effectiveOn'],
  FamilyRelocated: [...LOGGED, 'fromCommune', 'destinationCommune', 'effectiveOn'],
  CaseWorkerReassigned: [...LOGGED, 'assignedStaffIds', 'previousStaffIds'],
  InformationSharedOutsideRelais: [...LOGGED, 'channel', 'sharedWith', 'about', 'aboutEventId'],
});

/** The fields that hold a commune's INS code, which `communeField` may name. */
export const CASE_EVENT_COMMUNE_FIELDS: { readonly [T in CaseEventType]?: readonly string[] } = {
  CaseOpened: ['residenceCommune'],
  FamilyRelocated: ['destinationCommune', 'fromCommune'],
} satisfies { readonly [T in CaseEventType]?: readonly (keyof EventData<T>)[] };

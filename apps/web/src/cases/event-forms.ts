import {
  MAX_ITEMS,
  MAX_LENGTH,
  type CaseView,
  type OrganisationKind,
  type ReferralView,
} from '@relais/wire';
import { parseTypedDate } from '../i18n/dates.js';
import type { FieldErrors, Message } from '../problems.js';
import { tooLong, tooMany } from '../validation.js';

/**
 * The form of each case event: its fields, checked as `POST /cases/:id/events` checks them
 * (`case.dto.ts` and the case's rules), and the body and dry-run event it makes.
 */

export const LOGGABLE_TYPES = [
  'RisSuppressed',
  'FamilyRelocated',
  'AidProgrammeChanged',
  'CaseJudicialised',
  'CaseClosed',
  'InformationSharedOutsideRelais',
  'CaseWorkerReassigned',
  'PartnerLeft',
  'ConsentRecorded',
  'ConsentWithdrawn',
  'ReferralSent',
  'ReferralAccepted',
  'ReferralDeclined',
] as const;
export type LoggableType = (typeof LOGGABLE_TYPES)[number];

/** `PartnerJoined` is recorded, never logged: an organisation joins by accepting a referral. */
export const CASE_EVENT_TYPES = ['CaseOpened', 'PartnerJoined', ...LOGGABLE_TYPES] as const;

export const LEGAL_BASES = [
  'legal_obligation',
  'judicial_mandate',
  'family_informed_consent',
] as const;

/** Each enumeration with the prefix of its labels in the dictionaries. */
export const CHOICES = {
  legalBasis: { values: LEGAL_BASES, labels: 'legalBasis' },
  risReason: {
    values: [
      'resources_above_threshold',
      'no_longer_entitled',
      'moved_out_of_commune',
      'sanction',
      'other',
    ],
    labels: 'risReason',
  },
  referralReason: {
    values: [
      'joint_follow_up',
      'youth_aid_needed',
      'financial_aid_needed',
      'housing',
      'family_relocated',
      'other',
    ],
    labels: 'referralReason',
  },
  declineReason: {
    values: ['not_competent', 'no_capacity', 'family_refused', 'other'],
    labels: 'declineReason',
  },
  programme: {
    values: ['in_family_support', 'out_of_family_placement', 'specialised_service', 'other'],
    labels: 'programme',
  },
  judicialisedTo: { values: ['tribunal_de_la_jeunesse', 'spj'], labels: 'judicialisedTo' },
  closeReason: {
    values: ['objectives_reached', 'family_moved', 'handed_over', 'other'],
    labels: 'closeReason',
  },
  sharingChannel: { values: ['phone', 'meeting', 'letter'], labels: 'sharingChannel' },
  about: { values: CASE_EVENT_TYPES, labels: 'eventType' },
} as const;
export type ChoiceName = keyof typeof CHOICES;

export type FieldKind =
  | { readonly kind: 'date' }
  | { readonly kind: 'choice'; readonly choice: ChoiceName }
  /** One organisation of the network. */
  | { readonly kind: 'organisation' }
  /** Several organisations of the network. */
  | { readonly kind: 'organisations' }
  /** Staff of the organisation named by another field, or of the caller's. */
  | { readonly kind: 'staff'; readonly of: 'organisationId' | 'mine' }
  | { readonly kind: 'subject' }
  | { readonly kind: 'consent' }
  | { readonly kind: 'referral' }
  | { readonly kind: 'commune' }
  | { readonly kind: 'caseEvent' };

export interface FieldSpec {
  readonly name: string;
  readonly type: FieldKind;
  readonly optional?: boolean;
}

const field = (name: string, type: FieldKind, optional = false): FieldSpec => ({
  name,
  type,
  optional,
});

export const EVENT_FIELDS: Readonly<Record<LoggableType, readonly FieldSpec[]>> = {
  RisSuppressed: [
    field('reason', { kind: 'choice', choice: 'risReason' }),
    field('effectiveOn', { kind: 'date' }),
  ],
  FamilyRelocated: [
    field('destinationCommune', { kind: 'commune' }),
    field('effectiveOn', { kind: 'date' }),
  ],
  AidProgrammeChanged: [field('programme', { kind: 'choice', choice: 'programme' })],
  CaseJudicialised: [field('to', { kind: 'choice', choice: 'judicialisedTo' })],
  CaseClosed: [field('reason', { kind: 'choice', choice: 'closeReason' })],
  InformationSharedOutsideRelais: [
    field('channel', { kind: 'choice', choice: 'sharingChannel' }),
    field('sharedWith', { kind: 'organisation' }),
    field('about', { kind: 'choice', choice: 'about' }),
    field('aboutEventId', { kind: 'caseEvent' }, true),
  ],
  CaseWorkerReassigned: [field('assignedStaffIds', { kind: 'staff', of: 'mine' })],
  PartnerLeft: [],
  ConsentRecorded: [
    field('givenBy', { kind: 'subject' }),
    field('sharingWith', { kind: 'organisations' }),
  ],
  ConsentWithdrawn: [field('consentId', { kind: 'consent' })],
  ReferralSent: [
    field('to', { kind: 'organisation' }),
    field('reason', { kind: 'choice', choice: 'referralReason' }),
  ],
  ReferralAccepted: [
    field('referralId', { kind: 'referral' }),
    field('legalBasis', { kind: 'choice', choice: 'legalBasis' }),
    field('assignedStaffIds', { kind: 'staff', of: 'mine' }, true),
  ],
  ReferralDeclined: [
    field('referralId', { kind: 'referral' }),
    field('reason', { kind: 'choice', choice: 'declineReason' }),
  ],
};

/** Events only a partner of one kind may log (the case's rules); any partner logs the others. */
const ONLY_BY: Partial<Record<LoggableType, OrganisationKind>> = {
  AidProgrammeChanged: 'SAJ',
  CaseJudicialised: 'SAJ',
  RisSuppressed: 'CPAS',
  FamilyRelocated: 'CPAS',
};

const REFERRAL_ANSWERS: readonly LoggableType[] = ['ReferralAccepted', 'ReferralDeclined'];

/**
 * A case as the page and the forms read it: a partner's `CaseView`, or a referral waiting for the
 * caller's answer (`ReferralView`) read as a case with no family, no partners and no history.
 */
export type CaseFile = Omit<CaseView, 'access' | 'referrals'> & {
  readonly access: CaseView['access'] | ReferralView['access'];
  readonly referrals: readonly (CaseView['referrals'][number] & {
    readonly reason?: string | null;
  })[];
};

/** The events the caller's organisation can log on this case now. */
export function availableTypes(
  caseView: CaseFile,
  organisationId: string,
  kind: OrganisationKind | undefined,
): LoggableType[] {
  if (caseView.status === 'ended') return [];
  const referralWaiting = caseView.referrals.some(
    (r) => r.to === organisationId && r.status === 'sent',
  );
  const partner = caseView.partners.find((p) => p.organisationId === organisationId);
  const active = partner?.status === 'active';
  return LOGGABLE_TYPES.filter((type) => {
    if (REFERRAL_ANSWERS.includes(type)) return referralWaiting;
    if (!active) return false;
    const onlyBy = ONLY_BY[type];
    if (onlyBy && onlyBy !== kind) return false;
    if (type === 'ConsentWithdrawn') return caseView.consents.some((c) => !c.withdrawn);
    return true;
  });
}

export type FormValue = string | readonly string[];
export type FormValues = Readonly<Record<string, FormValue | undefined>>;

const text = (values: FormValues, name: string): string => {
  const value = values[name];
  return typeof value === 'string' ? value.trim() : '';
};
const many = (values: FormValues, name: string): readonly string[] => {
  const value = values[name];
  return Array.isArray(value) ? (value as readonly string[]) : [];
};

const ORGANISATION = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function dateProblem(typed: string, openedOn?: string): Message | undefined {
  if (!typed) return { key: 'validation.required' };
  const iso = parseTypedDate(typed);
  if (!iso) return { key: 'validation.date' };
  if (openedOn && iso < openedOn)
    return {
      key: 'validation.beforeOpened',
      params: { date: openedOn.split('-').reverse().join('/') },
    };
  return undefined;
}

/**
 * The same checks as the API: a real date, not before the case opened, a value from each list,
 * at least one organisation to share with. "Not in the future" is the server's to judge: its
 * clock is the reference, and its answer lands on the field too.
 */
export function validateEvent(
  type: LoggableType,
  values: FormValues,
  context: { readonly openedOn: string },
): FieldErrors {
  const errors: Record<string, Message> = {};
  const occurred = dateProblem(text(values, 'occurredOn'), context.openedOn);
  if (occurred) errors.occurredOn = occurred;
  for (const spec of EVENT_FIELDS[type]) {
    const problem = fieldProblem(spec, values);
    if (problem) errors[spec.name] = problem;
  }
  return errors;
}

function fieldProblem(spec: FieldSpec, values: FormValues): Message | undefined {
  const { type } = spec;
  switch (type.kind) {
    case 'date':
      return dateProblem(text(values, spec.name));
    case 'choice': {
      const value = text(values, spec.name);
      if (!value) return spec.optional ? undefined : { key: 'validation.required' };
      return (CHOICES[type.choice].values as readonly string[]).includes(value)
        ? undefined
        : { key: 'validation.choice' };
    }
    case 'organisations': {
      const chosen = many(values, spec.name);
      if (chosen.length === 0) return { key: 'validation.atLeastOne' };
      if (!chosen.every((id) => ORGANISATION.test(id))) return { key: 'validation.choice' };
      return (
        tooMany(chosen, MAX_ITEMS.organisations) ??
        chosen.map((id) => tooLong(id, MAX_LENGTH.slug)).find(Boolean)
      );
    }
    case 'staff': {
      const chosen = many(values, spec.name);
      if (chosen.length === 0 && !spec.optional) return { key: 'validation.atLeastOne' };
      return (
        tooMany(chosen, MAX_ITEMS.staff) ??
        chosen.map((id) => tooLong(id, MAX_LENGTH.id)).find(Boolean)
      );
    }
    case 'commune':
      return /^\d{5}$/.test(text(values, spec.name)) ? undefined : { key: 'validation.commune' };
    case 'organisation':
      return (
        matches(values, spec, ORGANISATION) ?? tooLong(text(values, spec.name), MAX_LENGTH.slug)
      );
    case 'subject':
    case 'caseEvent':
      return matches(values, spec, UUID);
    case 'consent':
    case 'referral':
      if (!text(values, spec.name))
        return spec.optional ? undefined : { key: 'validation.required' };
      return tooLong(text(values, spec.name), MAX_LENGTH.id);
    default: {
      const never: never = type;
      return never;
    }
  }
}

/** Required unless optional; when given, of the shape the API expects (a slug, a UUID). */
function matches(values: FormValues, spec: FieldSpec, shape: RegExp): Message | undefined {
  const value = text(values, spec.name);
  if (!value) return spec.optional ? undefined : { key: 'validation.required' };
  return shape.test(value) ? undefined : { key: 'validation.choice' };
}

/** The body of `POST /cases/:id/events`, once `validateEvent` found nothing. */
export function eventBody(type: LoggableType, values: FormValues): Record<string, unknown> {
  const body: Record<string, unknown> = {
    type,
    occurredOn: parseTypedDate(text(values, 'occurredOn')),
  };
  for (const spec of EVENT_FIELDS[type]) {
    const kind = spec.type.kind;
    if (kind === 'date') body[spec.name] = parseTypedDate(text(values, spec.name));
    else if (kind === 'organisations' || kind === 'staff')
      body[spec.name] = [...many(values, spec.name)];
    else {
      const value = text(values, spec.name);
      if (value || !spec.optional) body[spec.name] = value;
    }
  }
  return body;
}

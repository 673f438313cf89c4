import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validate, ValidationError } from 'class-validator';
import { MAX_ITEMS, MAX_LENGTH } from '@relais/wire';
import { CASE_EVENT_BODIES, OpenCaseDto } from '../../apps/api/src/cases/case.dto';
import { validateEvent, type LoggableType } from '../../apps/web/src/cases/event-forms';
import { validateOpenCase, type OpenCaseValues } from '../../apps/web/src/cases/open-case';

/**
 * The web forms check what the API checks: for the same body, the same fields are refused.
 * (Dates are given as the API takes them, ISO; the forms also read `dd/mm/yyyy`.)
 */

function paths(errors: readonly ValidationError[], prefix = ''): string[] {
  return errors.flatMap((error) => {
    const path = prefix ? `${prefix}.${error.property}` : error.property;
    return [...(error.constraints ? [path] : []), ...paths(error.children ?? [], path)];
  });
}

async function refusedByApi(type: LoggableType, body: Record<string, unknown>): Promise<string[]> {
  const dto = CASE_EVENT_BODIES[type];
  if (!dto) throw new Error(`No body for ${type}`);
  const errors = await validate(plainToInstance(dto, { type, ...body }), {
    whitelist: true,
    forbidNonWhitelisted: true,
  });
  return [...new Set(paths(errors))].sort();
}

const refusedByForm = (type: LoggableType, body: Record<string, unknown>) =>
  Object.keys(
    validateEvent(type, body as Record<string, string | string[]>, { openedOn: '2000-01-01' }),
  ).sort();

const SUBJECT = '3f0e2c4a-9b1d-4c55-8a7e-2d6f1b0c9e11';
/** An organisation id of `n` characters. */
const slug = (n: number) => `a${'-b'.repeat((n - 1) / 2)}${n % 2 === 0 ? 'c' : ''}`;
const ids = (n: number) => Array.from({ length: n }, (_, i) => `staff-${i}`);

const CASES: [LoggableType, Record<string, unknown>][] = [
  ['RisSuppressed', { occurredOn: '2026-11-20', reason: 'other', effectiveOn: '2026-12-01' }],
  ['RisSuppressed', { occurredOn: '2026-02-30', reason: 'other', effectiveOn: '2026-12-01' }],
  ['RisSuppressed', { occurredOn: '2026-13-01', reason: 'bored', effectiveOn: '' }],
  ['RisSuppressed', { occurredOn: 'yesterday', effectiveOn: '2026-11-31' }],
  [
    'FamilyRelocated',
    { occurredOn: '2026-11-19', destinationCommune: '91114', effectiveOn: '2026-11-19' },
  ],
  [
    'FamilyRelocated',
    { occurredOn: '2026-11-19', destinationCommune: 'Rochefort', effectiveOn: '2026-11-19' },
  ],
  ['AidProgrammeChanged', { occurredOn: '2026-11-20', programme: 'in_family_support' }],
  ['AidProgrammeChanged', { occurredOn: '2026-11-20', programme: 'holidays' }],
  ['CaseJudicialised', { occurredOn: '2026-11-20', to: 'spj' }],
  ['CaseJudicialised', { occurredOn: '2026-11-20' }],
  ['CaseClosed', { occurredOn: '2026-11-20', reason: 'objectives_reached' }],
  ['CaseClosed', { occurredOn: '2026-11-20', reason: 'sanction' }],
  ['ReferralSent', { occurredOn: '2026-11-03', to: 'saj-dinant', reason: 'joint_follow_up' }],
  ['ReferralSent', { occurredOn: '2026-11-03', to: 'SAJ Dinant', reason: 'friendship' }],
  ['PartnerLeft', { occurredOn: '2026-11-20' }],
  ['PartnerLeft', { occurredOn: '20-11-2026x' }],
  ['ConsentRecorded', { occurredOn: '2026-11-20', givenBy: SUBJECT, sharingWith: ['saj-dinant'] }],
  ['ConsentRecorded', { occurredOn: '2026-11-20', givenBy: 'Sophie', sharingWith: [] }],
  ['ConsentRecorded', { occurredOn: '2026-11-20', givenBy: SUBJECT, sharingWith: ['SAJ'] }],
  ['ConsentWithdrawn', { occurredOn: '2026-11-20', consentId: 'c-1' }],
  ['ConsentWithdrawn', { occurredOn: '2026-11-20', consentId: '' }],
  ['ReferralSent', { occurredOn: '2026-11-20', to: 'spj-dinant', reason: 'housing' }],
  ['ReferralSent', { occurredOn: '2026-11-20', to: '', reason: 'money' }],
  [
    'ReferralAccepted',
    {
      occurredOn: '2026-11-20',
      referralId: 'r-1',
      assignedStaffIds: [],
      legalBasis: 'legal_obligation',
    },
  ],
  [
    'ReferralAccepted',
    { occurredOn: '2026-11-20', referralId: '', assignedStaffIds: [], legalBasis: '' },
  ],
  ['ReferralDeclined', { occurredOn: '2026-11-20', referralId: 'r-1', reason: 'no_capacity' }],
  ['ReferralDeclined', { occurredOn: '2026-11-20', referralId: 'r-1', reason: 'busy' }],
  [
    'InformationSharedOutsideRelais',
    {
      occurredOn: '2026-11-20',
      channel: 'phone',
      sharedWith: 'saj-dinant',
      about: 'RisSuppressed',
    },
  ],
  [
    'InformationSharedOutsideRelais',
    {
      occurredOn: '2026-11-20',
      channel: 'phone',
      sharedWith: 'saj-dinant',
      about: 'RisSuppressed',
      aboutEventId: SUBJECT,
    },
  ],
  ['CaseWorkerReassigned', { occurredOn: '2026-11-20', assignedStaffIds: ['staff-1'] }],
  ['CaseWorkerReassigned', { occurredOn: '2026-11-20', assignedStaffIds: [] }],
  [
    'CaseWorkerReassigned',
    { occurredOn: '2026-11-20', assignedStaffIds: ids(MAX_ITEMS.staff + 1) },
  ],
  // Each text and list at its maximum, and one over it.
  ['ConsentWithdrawn', { occurredOn: '2026-11-20', consentId: 'c'.repeat(MAX_LENGTH.id) }],
  ['ConsentWithdrawn', { occurredOn: '2026-11-20', consentId: 'c'.repeat(MAX_LENGTH.id + 1) }],
  ['ReferralDeclined', { occurredOn: '2026-11-20', referralId: 'r'.repeat(101), reason: 'other' }],
  ['ReferralSent', { occurredOn: '2026-11-20', to: slug(MAX_LENGTH.slug), reason: 'housing' }],
  ['ReferralSent', { occurredOn: '2026-11-20', to: slug(MAX_LENGTH.slug + 1), reason: 'housing' }],
  [
    'ConsentRecorded',
    {
      occurredOn: '2026-11-20',
      givenBy: SUBJECT,
      sharingWith: Array.from({ length: MAX_ITEMS.organisations + 1 }, (_, i) => `org-${i}`),
    },
  ],
  [
    'ConsentRecorded',
    { occurredOn: '2026-11-20', givenBy: SUBJECT, sharingWith: [slug(MAX_LENGTH.slug + 1)] },
  ],
  [
    'ReferralAccepted',
    {
      occurredOn: '2026-11-03',
      referralId: 'referral-1',
      assignedStaffIds: ids(MAX_ITEMS.staff),
      legalBasis: 'judicial_mandate',
    },
  ],
  [
    'ReferralAccepted',
    {
      occurredOn: '2026-11-03',
      referralId: 'referral-1',
      assignedStaffIds: ids(MAX_ITEMS.staff + 1),
      legalBasis: 'judicial_mandate',
    },
  ],
  [
    'ReferralAccepted',
    {
      occurredOn: '2026-11-20',
      referralId: 'r-1',
      assignedStaffIds: ['s'.repeat(MAX_LENGTH.id + 1)],
      legalBasis: 'legal_obligation',
    },
  ],
  [
    'InformationSharedOutsideRelais',
    {
      occurredOn: '2026-11-20',
      channel: 'phone',
      sharedWith: slug(MAX_LENGTH.slug + 1),
      about: 'RisSuppressed',
    },
  ],
  [
    'InformationSharedOutsideRelais',
    {
      occurredOn: '2026-11-20',
      channel: 'pigeon',
      sharedWith: 'Le SAJ',
      about: 'Gossip',
      aboutEventId: 'not-a-uuid',
    },
  ],
];

describe('the event forms refuse what POST /cases/:id/events refuses', () => {
  it.each(CASES)('%s %j', async (type, body) => {
    expect(refusedByForm(type, body)).toEqual(await refusedByApi(type, body));
  });

  it('covers every event the API takes from a form', () => {
    const loggable = Object.entries(CASE_EVENT_BODIES)
      .filter(([, body]) => body !== undefined)
      .map(([type]) => type)
      .sort();
    expect([...new Set(CASES.map(([type]) => type))].sort()).toEqual(loggable);
  });
});

describe('the form to open a case refuses what POST /cases refuses', () => {
  const member = {
    role: 'parent',
    firstName: 'Anne',
    lastName: 'Exemple',
    birthDate: '',
    niss: '',
    street: '',
    postalCode: '',
    municipality: '',
  };
  const values = (overrides: Partial<OpenCaseValues>): OpenCaseValues => ({
    occurredOn: '2026-11-20',
    residenceCommune: '91030',
    legalBasis: 'legal_obligation',
    assignedStaffIds: [],
    members: [member],
    ...overrides,
  });
  /** The body the API would get from these values, as the form builds it. */
  const asBody = (v: OpenCaseValues) => ({
    occurredOn: v.occurredOn,
    residenceCommune: v.residenceCommune,
    legalBasis: v.legalBasis,
    familyMembers: v.members.map((m) => ({
      role: m.role,
      firstName: m.firstName,
      lastName: m.lastName,
      ...(m.birthDate ? { birthDate: m.birthDate } : {}),
      ...(m.niss ? { niss: m.niss } : {}),
      ...(m.street || m.postalCode || m.municipality
        ? { address: { street: m.street, postalCode: m.postalCode, municipality: m.municipality } }
        : {}),
    })),
  });

  /** Every text of a family member at its maximum length, plus `over`. */
  const atMost = (over: number) => ({
    firstName: 'f'.repeat(MAX_LENGTH.personName + over),
    lastName: 'l'.repeat(MAX_LENGTH.personName + over),
    street: 's'.repeat(MAX_LENGTH.street + over),
    postalCode: 'p'.repeat(MAX_LENGTH.postalCode + over),
    municipality: 'm'.repeat(MAX_LENGTH.municipality + over),
  });

  it.each([
    values({}),
    values({ occurredOn: '2026-02-29', residenceCommune: '9103' }),
    values({ members: [{ ...member, role: 'cousin', firstName: '', niss: '123' }] }),
    values({ members: [{ ...member, birthDate: '2012-04-31', street: 'Rue Haute 1' }] }),
    values({
      members: [{ ...member, street: 'Rue Haute 1', postalCode: '5590', municipality: 'Ciney' }],
    }),
    values({ members: [{ ...member, ...atMost(0) }] }),
    values({ members: [{ ...member, ...atMost(1) }] }),
  ])('%j', async (v) => {
    const errors = await validate(plainToInstance(OpenCaseDto, asBody(v)), {
      whitelist: true,
      forbidNonWhitelisted: true,
    });
    expect(Object.keys(validateOpenCase(v)).sort()).toEqual([...new Set(paths(errors))].sort());
  });
});

describe('a text too long for the API is too long for the form, in words that say so', () => {
  it('says a first name of 101 characters is too long, not missing', () => {
    const errors = validateOpenCase({
      occurredOn: '2026-11-20',
      residenceCommune: '91030',
      legalBasis: 'legal_obligation',
      assignedStaffIds: [],
      members: [
        {
          role: 'parent',
          firstName: 'f'.repeat(MAX_LENGTH.personName + 1),
          lastName: 'Exemple',
          birthDate: '',
          niss: '',
          street: '',
          postalCode: '',
          municipality: '',
        },
      ],
    });
    expect(errors).toEqual({
      'familyMembers.0.firstName': {
        key: 'validation.tooLong',
        params: { n: MAX_LENGTH.personName },
      },
    });
  });

  it('says an id too long for the API is too long', () => {
    expect(
      validateEvent(
        'ConsentWithdrawn',
        { occurredOn: '2026-11-20', consentId: 'c'.repeat(MAX_LENGTH.id + 1) },
        { openedOn: '2000-01-01' },
      ),
    ).toEqual({ consentId: { key: 'validation.tooLong', params: { n: MAX_LENGTH.id } } });
  });
});

import { MAX_ITEMS, MAX_LENGTH } from '@relais/wire';
import { parseTypedDate } from '../i18n/dates.js';
import type { FieldErrors, Message } from '../problems.js';
import { tooLong } from '../validation.js';

/** The form of `POST /cases`, checked as `OpenCaseDto` and the case's rules check it. */

export const SUBJECT_ROLES = ['parent', 'child', 'other_adult'] as const;
/** A case cannot open on a consent not yet recorded (`NO_ACTIVE_CONSENT`): not offered. */
export const OPENING_LEGAL_BASES = ['legal_obligation', 'judicial_mandate'] as const;
export const MAX_MEMBERS = MAX_ITEMS.familyMembers;

export interface MemberValues {
  readonly role: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly birthDate: string;
  readonly niss: string;
  readonly street: string;
  readonly postalCode: string;
  readonly municipality: string;
}

export interface OpenCaseValues {
  readonly occurredOn: string;
  readonly residenceCommune: string;
  readonly legalBasis: string;
  readonly assignedStaffIds: readonly string[];
  readonly members: readonly MemberValues[];
}

export const emptyMember = (): MemberValues => ({
  role: 'parent',
  firstName: '',
  lastName: '',
  birthDate: '',
  niss: '',
  street: '',
  postalCode: '',
  municipality: '',
});

/** Required, and at most `max` characters once trimmed (what the form sends). */
const required = (value: string, max: number): Message | undefined =>
  value.trim() ? tooLong(value.trim(), max) : { key: 'validation.required' };

export function validateOpenCase(values: OpenCaseValues): FieldErrors {
  const errors: Record<string, Message> = {};
  if (!values.occurredOn.trim()) errors.occurredOn = { key: 'validation.required' };
  else if (!parseTypedDate(values.occurredOn)) errors.occurredOn = { key: 'validation.date' };
  if (!/^\d{5}$/.test(values.residenceCommune))
    errors.residenceCommune = { key: 'validation.commune' };
  if (!values.legalBasis) errors.legalBasis = { key: 'validation.required' };
  else if (!(OPENING_LEGAL_BASES as readonly string[]).includes(values.legalBasis))
    errors.legalBasis = { key: 'problem.NO_ACTIVE_CONSENT' };
  values.members.forEach((member, i) => {
    const at = `familyMembers.${i}`;
    if (!(SUBJECT_ROLES as readonly string[]).includes(member.role))
      errors[`${at}.role`] = { key: 'validation.choice' };
    const firstName = required(member.firstName, MAX_LENGTH.personName);
    if (firstName) errors[`${at}.firstName`] = firstName;
    const lastName = required(member.lastName, MAX_LENGTH.personName);
    if (lastName) errors[`${at}.lastName`] = lastName;
    if (member.birthDate.trim() && !parseTypedDate(member.birthDate))
      errors[`${at}.birthDate`] = { key: 'validation.date' };
    if (member.niss.trim() && !/^\d{11}$/.test(member.niss.trim()))
      errors[`${at}.niss`] = { key: 'validation.niss' };
    const address = [member.street, member.postalCode, member.municipality].map((v) => v.trim());
    if (address.some(Boolean)) {
      const parts = [
        ['street', member.street, MAX_LENGTH.street],
        ['postalCode', member.postalCode, MAX_LENGTH.postalCode],
        ['municipality', member.municipality, MAX_LENGTH.municipality],
      ] as const;
      for (const [part, value, max] of parts) {
        const problem: Message | undefined = value.trim()
          ? tooLong(value.trim(), max)
          : { key: 'validation.address' };
        if (problem) errors[`${at}.address.${part}`] = problem;
      }
    }
  });
  return errors;
}

export function openCaseBody(values: OpenCaseValues): Record<string, unknown> {
  return {
    occurredOn: parseTypedDate(values.occurredOn),
    residenceCommune: values.residenceCommune,
    legalBasis: values.legalBasis,
    ...(values.assignedStaffIds.length > 0
      ? { assignedStaffIds: [...values.assignedStaffIds] }
      : {}),
    familyMembers: values.members.map((member) => {
      const birthDate = parseTypedDate(member.birthDate);
      const hasAddress = [member.street, member.postalCode, member.municipality].some((v) =>
        v.trim(),
      );
      return {
        role: member.role,
        firstName: member.firstName.trim(),
        lastName: member.lastName.trim(),
        ...(birthDate ? { birthDate } : {}),
        ...(member.niss.trim() ? { niss: member.niss.trim() } : {}),
        ...(hasAddress
          ? {
              address: {
                street: member.street.trim(),
                postalCode: member.postalCode.trim(),
                municipality: member.municipality.trim(),
              },
            }
          : {}),
      };
    }),
  };
}

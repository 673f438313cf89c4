import { parseTypedDate } from '../i18n/dates.js';
import type { FieldErrors, Message } from '../problems.js';

/** The form of `POST /cases`, checked as `OpenCaseDto` and the case's rules check it. */

export const SUBJECT_ROLES = ['parent', 'child', 'other_adult'] as const;
/** A case cannot open on a consent not yet recorded (`NO_ACTIVE_CONSENT`): not offered. */
export const OPENING_LEGAL_BASES = ['legal_obligation', 'judicial_mandate'] as const;
export const MAX_MEMBERS = 20;

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

const between = (value: string, min: number, max: number) =>
  value.trim().length >= min && value.trim().length <= max;

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
    if (!between(member.firstName, 1, 100))
      errors[`${at}.firstName`] = { key: 'validation.required' };
    if (!between(member.lastName, 1, 100))
      errors[`${at}.lastName`] = { key: 'validation.required' };
    if (member.birthDate.trim() && !parseTypedDate(member.birthDate))
      errors[`${at}.birthDate`] = { key: 'validation.date' };
    if (member.niss.trim() && !/^\d{11}$/.test(member.niss.trim()))
      errors[`${at}.niss`] = { key: 'validation.niss' };
    const address = [member.street, member.postalCode, member.municipality].map((v) => v.trim());
    if (address.some(Boolean)) {
      if (!between(member.street, 1, 200))
        errors[`${at}.address.street`] = { key: 'validation.address' };
      if (!between(member.postalCode, 1, 20))
        errors[`${at}.address.postalCode`] = { key: 'validation.address' };
      if (!between(member.municipality, 1, 100))
        errors[`${at}.address.municipality`] = { key: 'validation.address' };
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

import { COORDINATION_ITEMS, COORDINATION_LENGTH, MAX_LENGTH } from '@relais/wire';
import { parseTypedDate } from '../i18n/dates.js';
import type { FieldErrors, Message } from '../problems.js';
import { tooLong, tooMany } from '../validation.js';

/** The coordination's forms: what each checks before sending (what the API checks), and what it sends. */

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^\+?[0-9][0-9 ./()-]{5,38}$/;
const URL_LIKE = /^https?:\/\/[^\s/]+\.[^\s]+$/;

/** Lines typed one item per line, trimmed, without the empty ones. */
export const lines = (text: string): string[] =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);

/** The errors a form's own checks found, without the fields that passed. */
export function found(checks: Readonly<Record<string, Message | undefined>>): FieldErrors {
  return Object.fromEntries(
    Object.entries(checks).filter((entry): entry is [string, Message] => entry[1] !== undefined),
  );
}

/** The member form's fields, by the API's paths. */
export const MEMBER_FORM = {
  name: '',
  sector: 'association',
  fields: [] as string[],
  'address.street': '',
  'address.postalCode': '',
  'address.city': '',
  'address.province': 'Namur',
  'contact.email': '',
  'contact.phone': '',
  'contact.website': '',
  servicesOffered: '',
  charterSignedOn: '',
};
export type MemberValues = typeof MEMBER_FORM;
export type MemberTextField = Exclude<keyof MemberValues, 'fields'>;

const minLength = (value: string, n: number): Message | undefined =>
  value.trim().length < n ? { key: 'validation.minLength', params: { n } } : undefined;

/** What the API would refuse, found before sending: the same fields, in French. */
export function validateMember(values: MemberValues): FieldErrors {
  return found({
    name: minLength(values.name, 2) ?? tooLong(values.name.trim(), COORDINATION_LENGTH.name),
    fields: values.fields.length === 0 ? { key: 'validation.choice' } : undefined,
    'address.street':
      minLength(values['address.street'], 2) ??
      tooLong(values['address.street'].trim(), COORDINATION_LENGTH.street),
    'address.postalCode': /^\d{4}$/.test(values['address.postalCode'].trim())
      ? undefined
      : { key: 'coord.postalCodeInvalid' },
    'address.city':
      minLength(values['address.city'], 2) ??
      tooLong(values['address.city'].trim(), COORDINATION_LENGTH.city),
    'address.province':
      minLength(values['address.province'], 2) ??
      tooLong(values['address.province'].trim(), COORDINATION_LENGTH.province),
    'contact.email': EMAIL.test(values['contact.email'].trim())
      ? tooLong(values['contact.email'].trim(), MAX_LENGTH.email)
      : { key: 'validation.email' },
    'contact.phone':
      values['contact.phone'].trim() && !PHONE.test(values['contact.phone'].trim())
        ? { key: 'coord.phoneInvalid' }
        : undefined,
    'contact.website':
      values['contact.website'].trim() && !URL_LIKE.test(values['contact.website'].trim())
        ? { key: 'coord.websiteInvalid' }
        : undefined,
    servicesOffered:
      tooMany(lines(values.servicesOffered), COORDINATION_ITEMS.servicesOffered) ??
      lines(values.servicesOffered)
        .map((s) => minLength(s, 2) ?? tooLong(s, COORDINATION_LENGTH.serviceName))
        .find(Boolean),
    charterSignedOn:
      values.charterSignedOn.trim() && !parseTypedDate(values.charterSignedOn)
        ? { key: 'validation.date' }
        : undefined,
  });
}

/** What the member form sends: `POST /coordination/members`. */
export function memberBody(v: MemberValues) {
  const optional = (value: string) => value.trim() || undefined;
  return {
    name: v.name.trim(),
    sector: v.sector,
    fields: v.fields,
    address: {
      street: v['address.street'].trim(),
      postalCode: v['address.postalCode'].trim(),
      city: v['address.city'].trim(),
      province: v['address.province'].trim(),
    },
    contact: {
      email: v['contact.email'].trim(),
      phone: optional(v['contact.phone']),
      website: optional(v['contact.website']),
    },
    servicesOffered: lines(v.servicesOffered),
    charterSignedOn: optional(v.charterSignedOn) && parseTypedDate(v.charterSignedOn),
  };
}

export const MEETING_FORM = { date: '', place: '', agenda: '' };
export type MeetingValues = typeof MEETING_FORM;

export function validateMeeting(values: MeetingValues): FieldErrors {
  const agenda = lines(values.agenda);
  return found({
    date: parseTypedDate(values.date) ? undefined : { key: 'validation.date' },
    place:
      values.place.trim().length < 2
        ? { key: 'validation.minLength', params: { n: 2 } }
        : tooLong(values.place.trim(), COORDINATION_LENGTH.place),
    agenda:
      tooMany(agenda, COORDINATION_ITEMS.agenda) ??
      agenda
        .map((item) =>
          item.length < 2
            ? ({ key: 'validation.minLength', params: { n: 2 } } as const)
            : tooLong(item, COORDINATION_LENGTH.agendaItem),
        )
        .find(Boolean),
  });
}

/** What the meeting form sends: `POST /coordination/meetings`. */
export function meetingBody(bodyId: string, v: MeetingValues) {
  return {
    bodyId,
    date: parseTypedDate(v.date) ?? v.date,
    place: v.place.trim(),
    agenda: lines(v.agenda),
  };
}

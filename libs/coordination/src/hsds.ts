import { uuidFromName } from '@relais/kernel';
import {
  COORDINATION_ITEMS,
  COORDINATION_LENGTH,
  type FieldProblem,
  isCalendarDate,
  MAX_LENGTH,
  MEMBER_FIELDS,
  type MemberField,
  type MemberSector,
  type MemberServiceView,
} from '@relais/wire';
import type { MemberServiceProfile } from './member-service';

/**
 * The member directory in the Open Referral Human Services Data Specification 3.0: one HSDS
 * organisation per member service, with its services, its address as a physical location, its
 * fields as attributes of a Relais taxonomy and its charter signature date as one more. Ids are
 * UUIDs derived from the member's, so an export is the same every time.
 */
export const HSDS_FIELD_TAXONOMY = 'relais-coordination-field';
export const HSDS_CHARTER_CODE = 'charter_signed_on';
export const HSDS_RELAIS_ORGANISATION = 'relais-organisation';

const FIELD_LABELS: Readonly<Record<MemberField, string>> = {
  social: 'Social',
  health: 'Santé',
  education: 'Éducation',
  culture: 'Culture',
  training: 'Formation',
  employment: 'Emploi',
};

const LEGAL_STATUS: Readonly<Record<MemberSector, string>> = {
  public: 'Service public',
  association: 'Association sans but lucratif (ASBL)',
};

const idOf = (...parts: string[]) => uuidFromName(`hsds:${parts.join(':')}`);

export interface HsdsPage {
  readonly total_items: number;
  readonly total_pages: number;
  readonly page_number: number;
  readonly size: number;
  readonly first_page: boolean;
  readonly last_page: boolean;
  readonly empty: boolean;
  readonly contents: readonly Record<string, unknown>[];
}

export function toHsds(members: readonly MemberServiceView[]): HsdsPage {
  return {
    total_items: members.length,
    total_pages: 1,
    page_number: 1,
    size: members.length,
    first_page: true,
    last_page: true,
    empty: members.length === 0,
    contents: members.map(hsdsOrganization),
  };
}

function hsdsOrganization(member: MemberServiceView): Record<string, unknown> {
  const { id } = member;
  const locationId = idOf(id, 'location');
  const term = (code: string, name: string, description: string, taxonomy: string) => ({
    id: idOf('term', taxonomy, code),
    code,
    name,
    description,
    taxonomy,
  });
  return {
    id,
    name: member.name,
    description: `${LEGAL_STATUS[member.sector]} — ${member.fields.map((f) => FIELD_LABELS[f]).join(', ')}`,
    email: member.contact.email,
    ...(member.contact.website ? { website: member.contact.website } : {}),
    legal_status: LEGAL_STATUS[member.sector],
    phones: member.contact.phone
      ? [{ id: idOf(id, 'phone'), organization_id: id, number: member.contact.phone }]
      : [],
    locations: [
      {
        id: locationId,
        location_type: 'physical',
        organization_id: id,
        name: member.name,
        addresses: [
          {
            id: idOf(id, 'address'),
            location_id: locationId,
            address_1: member.address.street,
            city: member.address.city,
            state_province: member.address.province,
            postal_code: member.address.postalCode,
            country: 'BE',
            address_type: 'physical',
          },
        ],
      },
    ],
    organization_identifiers: member.organisationId
      ? [
          {
            id: idOf(id, 'identifier'),
            organization_id: id,
            identifier_type: HSDS_RELAIS_ORGANISATION,
            identifier: member.organisationId,
          },
        ]
      : [],
    attributes: [
      ...member.fields.map((field) => {
        const taxonomyTerm = term(
          field,
          FIELD_LABELS[field],
          `Champ d’action : ${FIELD_LABELS[field]}`,
          HSDS_FIELD_TAXONOMY,
        );
        return {
          id: idOf(id, 'field', field),
          link_id: id,
          link_type: 'field',
          link_entity: 'organization',
          taxonomy_term_id: taxonomyTerm.id,
          taxonomy_term: taxonomyTerm,
        };
      }),
      ...(member.charterSignedOn
        ? [
            {
              id: idOf(id, 'charter'),
              link_id: id,
              link_type: 'charter',
              link_entity: 'organization',
              value: member.charterSignedOn,
              taxonomy_term: term(
                HSDS_CHARTER_CODE,
                'Charte signée le',
                'Date à laquelle le service a signé la charte de la coordination sociale',
                'relais-coordination',
              ),
            },
          ]
        : []),
    ],
    services: member.servicesOffered.map((name) => ({
      id: idOf(id, 'service', name),
      organization_id: id,
      name,
      status: 'active',
    })),
  };
}

/** A member service read from an HSDS organisation: its id, its profile, its charter date. */
export interface ImportedMemberService {
  readonly memberId: string;
  readonly profile: MemberServiceProfile;
  readonly charterSignedOn?: string;
}

type Json = Record<string, unknown>;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const isObject = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/**
 * The member services of an HSDS 3.0 page (or a bare list) of organisations; what Relais needs and
 * cannot find is reported by its path (`contents.2.email`), nothing is half-read. Fields come from
 * the Relais taxonomy's attributes (social when there are none), the sector from the legal status.
 */
export function fromHsds(document: unknown): {
  members: ImportedMemberService[];
  problems: FieldProblem[];
} {
  const problems: FieldProblem[] = [];
  const organizations = Array.isArray(document)
    ? document
    : isObject(document)
      ? document.contents
      : undefined;
  const prefix = Array.isArray(document) ? '' : 'contents.';
  if (!Array.isArray(organizations)) {
    return {
      members: [],
      problems: [{ field: 'contents', message: 'contents must list HSDS organizations' }],
    };
  }
  if (organizations.length > COORDINATION_ITEMS.hsdsOrganizations) {
    return {
      members: [],
      problems: [
        {
          field: 'contents',
          message: `at most ${COORDINATION_ITEMS.hsdsOrganizations} organizations at once`,
        },
      ],
    };
  }
  const members: ImportedMemberService[] = [];
  organizations.forEach((organization: unknown, i) => {
    const at = `${prefix}${i}`;
    const problem = (field: string, message: string) =>
      problems.push({ field: `${at}.${field}`, message });
    if (!isObject(organization)) return problem('id', 'an organization must be an object');
    const text = (value: unknown, field: string, max: number): string => {
      if (typeof value !== 'string' || value.trim().length < 2 || value.length > max) {
        problem(field, `${field} must be a text of 2 to ${max} characters`);
        return '';
      }
      return value.trim();
    };
    const id = organization.id;
    if (typeof id !== 'string' || !UUID.test(id)) problem('id', 'id must be a UUID');
    const name = text(organization.name, 'name', COORDINATION_LENGTH.name);
    const email = organization.email;
    if (typeof email !== 'string' || email.length > MAX_LENGTH.email || !EMAIL.test(email)) {
      problem('email', 'email must be an e-mail address');
    }
    const location = list(organization.locations).find(isObject);
    const address = location ? list(location.addresses).find(isObject) : undefined;
    if (!address) return problem('locations', 'an organization needs a location with an address');
    const street = text(
      address.address_1,
      'locations.0.addresses.0.address_1',
      COORDINATION_LENGTH.street,
    );
    const city = text(address.city, 'locations.0.addresses.0.city', COORDINATION_LENGTH.city);
    const province = text(
      address.state_province,
      'locations.0.addresses.0.state_province',
      COORDINATION_LENGTH.province,
    );
    const postalCode = address.postal_code;
    if (typeof postalCode !== 'string' || !/^\d{4}$/.test(postalCode)) {
      problem(
        'locations.0.addresses.0.postal_code',
        'postal_code must be a Belgian postal code (4 digits)',
      );
    }
    const attributes = list(organization.attributes).filter(isObject);
    const termOf = (a: Json) => (isObject(a.taxonomy_term) ? a.taxonomy_term : {});
    const fields = attributes
      .map(termOf)
      .filter((t) => t.taxonomy === HSDS_FIELD_TAXONOMY)
      .map((t) => t.code)
      .filter((code): code is MemberField => (MEMBER_FIELDS as readonly unknown[]).includes(code));
    const charter = attributes.find((a) => termOf(a).code === HSDS_CHARTER_CODE)?.value;
    if (charter !== undefined && !isCalendarDate(charter)) {
      problem('attributes', 'the charter signature date must be YYYY-MM-DD');
    }
    const services = list(organization.services)
      .filter(isObject)
      .map((s) => s.name)
      .filter((n): n is string => typeof n === 'string' && n.trim().length >= 2)
      .map((n) => n.trim().slice(0, COORDINATION_LENGTH.serviceName))
      .slice(0, COORDINATION_ITEMS.servicesOffered);
    const phone = list(organization.phones).filter(isObject)[0]?.number;
    const website = organization.website;
    const identifier = list(organization.organization_identifiers)
      .filter(isObject)
      .find((x) => x.identifier_type === HSDS_RELAIS_ORGANISATION)?.identifier;
    if (problems.some((p) => p.field.startsWith(`${at}.`))) return;
    members.push({
      memberId: (id as string).toLowerCase(),
      profile: {
        name,
        sector: organization.legal_status === LEGAL_STATUS.public ? 'public' : 'association',
        fields: fields.length ? [...new Set(fields)] : ['social'],
        address: { street, postalCode: postalCode as string, city, province },
        contact: {
          email: (email as string).toLowerCase(),
          ...(typeof phone === 'string' && /^\+?[0-9][0-9 ./()-]{5,38}$/.test(phone)
            ? { phone }
            : {}),
          ...(typeof website === 'string' &&
          website.length <= MAX_LENGTH.url &&
          /^https?:\/\//.test(website)
            ? { website }
            : {}),
        },
        servicesOffered: [...new Set(services)],
        ...(typeof identifier === 'string' && /^[a-z0-9]+(-[a-z0-9]+)*$/.test(identifier)
          ? { organisationId: identifier }
          : {}),
      },
      ...(typeof charter === 'string' ? { charterSignedOn: charter } : {}),
    });
  });
  return { members, problems };
}

import { CASE_EVENT_TYPES, ORGANISATION_KINDS } from '@relais/domain';
import { MAX_LENGTH } from '@relais/wire';
import { CHANNELS, type CompetentKind } from './protocol-definition';

export const PROTOCOL_ID_PATTERN = '^[a-z0-9]+(-[a-z0-9]+)*$';
export const ISO_DATE_PATTERN = '^[0-9]{4}-[0-9]{2}-[0-9]{2}$';
export const COMPETENT_KINDS = ['CPAS', 'SAJ', 'SPJ'] as const satisfies readonly CompetentKind[];

/*
 * A union whose members are told apart by a key (`organisation`, `kind`, …) is written as a chain of
 * `if: { required: [key] }`, not `oneOf`: a typo in a member then yields that member's errors only,
 * not one per member. `description` says what the union accepts; the loader uses it as the message
 * when a value fits none of the members.
 */
interface Member {
  readonly key: string;
  readonly properties: Record<string, object>;
  readonly required: readonly string[];
}

function unionByKey(description: string, members: readonly Member[]): object {
  const has = (key: string) => ({ properties: { [key]: true }, required: [key] });
  const chain = members.reduceRight<object>(
    (otherwise, member) => ({
      if: has(member.key),
      then: {
        properties: member.properties,
        required: member.required,
        additionalProperties: false,
      },
      else: otherwise,
    }),
    { description, anyOf: members.map((member) => has(member.key)) },
  );
  return { type: 'object', description, ...chain };
}

const idString = { type: 'string', maxLength: MAX_LENGTH.slug, pattern: PROTOCOL_ID_PATTERN };
const text = { type: 'string', minLength: 1, maxLength: MAX_LENGTH.protocolText };
const nonEmptyList = (items: object) => ({
  type: 'array',
  minItems: 1,
  uniqueItems: true,
  items,
});
const workingDays = (minimum: number) => ({
  type: 'integer',
  minimum,
  maximum: 60,
});
const constantOrWorkingDays = (constant: string, minimum: number) => {
  const description = `"${constant}" or { workingDays: ${minimum}..60 }`;
  return {
    description,
    if: { type: 'string' },
    then: { description, const: constant },
    else: {
      description,
      type: 'object',
      properties: { workingDays: workingDays(minimum) },
      required: ['workingDays'],
      additionalProperties: false,
    },
  };
};

const organisationKind = { type: 'string', enum: ORGANISATION_KINDS };
const competentKind = { type: 'string', enum: COMPETENT_KINDS };

const condition = unionByKey('{ field, in } or { communeField, outsideTerritoryOfPartner }', [
  {
    key: 'field',
    properties: { field: text, in: nonEmptyList(text) },
    required: ['field', 'in'],
  },
  {
    key: 'communeField',
    properties: { communeField: text, outsideTerritoryOfPartner: competentKind },
    required: ['communeField', 'outsideTerritoryOfPartner'],
  },
]);
const conditions = { type: 'array', minItems: 1, items: condition };

const recipient = unionByKey(
  '{ partnersOfKind }, { competentFor, communeField } or { organisation }, each with an optional when',
  [
    {
      key: 'partnersOfKind',
      properties: { partnersOfKind: organisationKind, when: conditions },
      required: ['partnersOfKind'],
    },
    {
      key: 'competentFor',
      properties: { competentFor: competentKind, communeField: text, when: conditions },
      required: ['competentFor', 'communeField'],
    },
    {
      key: 'organisation',
      properties: { organisation: text, when: conditions },
      required: ['organisation'],
    },
  ],
);

const partner = unionByKey('{ organisation } or { kind, arrondissements }', [
  { key: 'organisation', properties: { organisation: text }, required: ['organisation'] },
  {
    key: 'kind',
    properties: { kind: organisationKind, arrondissements: nonEmptyList(text) },
    required: ['kind', 'arrondissements'],
  },
]);

const rule = {
  type: 'object',
  properties: {
    id: idString,
    title: text,
    trigger: {
      type: 'object',
      properties: {
        event: { type: 'string', enum: CASE_EVENT_TYPES },
        conditions,
      },
      required: ['event'],
      additionalProperties: false,
    },
    obliged: {
      type: 'object',
      properties: { kind: organisationKind },
      required: ['kind'],
      additionalProperties: false,
    },
    recipients: { type: 'array', minItems: 1, items: recipient },
    deadline: constantOrWorkingDays('immediate', 0),
    acknowledgement: constantOrWorkingDays('none', 1),
    share: nonEmptyList(text),
    shareAssignedWorkerContact: { type: 'boolean' },
    channels: nonEmptyList({ type: 'string', enum: CHANNELS }),
    escalation: {
      type: 'object',
      properties: {
        unacknowledged: { type: 'string', enum: ['recipient_managers', 'none'] },
        loggedLate: { type: 'string', enum: ['obliged_managers', 'none'] },
        breachAfterWorkingDays: { type: 'integer', minimum: 0, maximum: 60 },
      },
      required: ['unacknowledged', 'loggedLate'],
      additionalProperties: false,
    },
  },
  required: [
    'id',
    'title',
    'trigger',
    'obliged',
    'recipients',
    'deadline',
    'acknowledgement',
    'share',
    'shareAssignedWorkerContact',
    'channels',
    'escalation',
  ],
  additionalProperties: false,
};

/** JSON Schema (draft-07) of a `ProtocolDefinition` document. */
export const PROTOCOL_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://relais.example/schemas/protocol.json',
  title: 'Relais protocol',
  type: 'object',
  properties: {
    id: idString,
    title: text,
    version: { type: 'integer', minimum: 1 },
    effectiveFrom: { type: 'string', maxLength: MAX_LENGTH.date, pattern: ISO_DATE_PATTERN },
    partners: { type: 'array', minItems: 1, items: partner },
    rules: { type: 'array', minItems: 1, items: rule },
  },
  required: ['id', 'title', 'version', 'effectiveFrom', 'partners', 'rules'],
  additionalProperties: false,
} as const;

import Ajv, { type ErrorObject } from 'ajv';
import type { ProtocolDefinition } from './protocol-definition';
import { ISO_DATE_PATTERN, PROTOCOL_ID_PATTERN, PROTOCOL_SCHEMA } from './protocol.schema';
import type { DocumentPath, Finding } from './protocol-problem';
import { MAX_LENGTH } from '@relais/wire';

const validate = new Ajv({
  allErrors: true,
  verbose: true,
  strict: true,
}).compile<ProtocolDefinition>(PROTOCOL_SCHEMA);

/** What the schema finds wrong with `value`, one finding per mistake, in readable words. */
export function schemaFindings(value: unknown): readonly Finding[] | 'valid' {
  if (validate(value)) return 'valid';
  const errors = validate.errors ?? [];
  const unions = errors.filter((error) => error.keyword === 'anyOf');
  return errors
    .filter((error) => error.keyword !== 'if')
    .filter((error) => !unions.some((union) => isInside(error, union)))
    .map((error) => describe(error, pathIn(value, error.instancePath)));
}

/** The `required` errors of each member of a failed union say nothing the union's own does not. */
function isInside(error: ErrorObject, union: ErrorObject): boolean {
  return (
    error.instancePath === union.instancePath && error.schemaPath.startsWith(`${union.schemaPath}/`)
  );
}

/** A JSON pointer's segments, indices as numbers where the data at that point is a list. */
function pathIn(value: unknown, pointer: string): DocumentPath {
  if (pointer === '') return [];
  const path: (string | number)[] = [];
  let here: unknown = value;
  for (const raw of pointer.slice(1).split('/')) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(here)) {
      path.push(Number(segment));
      here = here[Number(segment)];
    } else {
      path.push(segment);
      here =
        typeof here === 'object' && here !== null
          ? (here as Record<string, unknown>)[segment]
          : undefined;
    }
  }
  return path;
}

function describe(error: ErrorObject, at: DocumentPath): Finding {
  const param = (name: string): unknown => (error.params as Record<string, unknown>)[name];
  const description = (error.parentSchema as { description?: unknown } | undefined)?.description;
  switch (error.keyword) {
    case 'required':
      return {
        at: [...at, String(param('missingProperty'))],
        code: 'PROTOCOL_FIELD_REQUIRED',
        message: 'is required',
      };
    case 'additionalProperties': {
      const field = String(param('additionalProperty'));
      const known = Object.keys((error.parentSchema as { properties?: object }).properties ?? {});
      const suggestion = closestOf(field, known);
      return {
        at: [...at, field],
        ...(suggestion === undefined
          ? { code: 'PROTOCOL_UNKNOWN_FIELD', params: { value: field } }
          : { code: 'PROTOCOL_DID_YOU_MEAN', params: { value: field, suggestion } }),
        message: `is not a known field${didYouMean(field, known)}`,
      };
    }
    case 'enum': {
      const allowed = (param('allowedValues') as readonly unknown[]).map(String);
      const given = String(error.data);
      const hint = didYouMean(given, allowed);
      const suggestion = closestOf(given, allowed);
      return suggestion === undefined
        ? {
            at,
            code: 'PROTOCOL_NOT_ALLOWED',
            params: { allowed: allowed.join(', ') },
            message: `must be one of ${allowed.join(', ')}`,
          }
        : {
            at,
            code: 'PROTOCOL_DID_YOU_MEAN',
            params: { value: given, suggestion },
            message: `is not an allowed value${hint}`,
          };
    }
    case 'anyOf':
    case 'const':
    case 'type':
      if (typeof description === 'string')
        return { at, code: 'PROTOCOL_WRONG_TYPE', message: `must be ${description}` };
      return {
        at,
        code: 'PROTOCOL_WRONG_TYPE',
        message: `must be ${article(String(param('type')))}`,
      };
    case 'pattern':
      if (param('pattern') === PROTOCOL_ID_PATTERN) {
        return {
          at,
          code: 'PROTOCOL_NOT_A_SLUG',
          message: 'must be lower-case letters and digits, words joined by hyphens',
        };
      }
      if (param('pattern') === ISO_DATE_PATTERN) {
        return { at, code: 'PROTOCOL_NOT_A_DATE', message: 'must be a date written YYYY-MM-DD' };
      }
      return { at, code: 'PROTOCOL_INVALID', message: error.message ?? 'is invalid' };
    case 'minItems':
      if (param('limit') === 1) return { at, code: 'PROTOCOL_EMPTY', message: 'must not be empty' };
      return { at, code: 'PROTOCOL_INVALID', message: error.message ?? 'is too short' };
    case 'minLength':
      return { at, code: 'PROTOCOL_EMPTY', message: 'must not be empty' };
    case 'maxLength':
      return {
        at,
        code: 'PROTOCOL_TOO_LONG',
        params: { n: Number(param('limit')) },
        message: `must be at most ${String(param('limit'))} characters`,
      };
    case 'minimum':
    case 'maximum':
      return {
        at,
        code: error.keyword === 'minimum' ? 'PROTOCOL_AT_LEAST' : 'PROTOCOL_AT_MOST',
        params: { n: Number(param('limit')) },
        message: error.message ?? 'is out of range',
      };
    case 'uniqueItems': {
      const [first, repeat] = [Number(param('i')), Number(param('j'))].sort((a, b) => a - b);
      return {
        at: [...at, repeat ?? 0],
        code: 'PROTOCOL_REPEATED_ITEM',
        params: { first: first ?? 0 },
        message: `repeats item ${first ?? 0}`,
      };
    }
    default:
      return { at, code: 'PROTOCOL_INVALID', message: error.message ?? 'is invalid' };
  }
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function didYouMean(given: string, candidates: readonly string[]): string {
  const closest = closestOf(given, candidates);
  return closest === undefined ? '' : ` (did you mean ${closest}?)`;
}

function closestOf(given: string, candidates: readonly string[]): string | undefined {
  if (given.length > MAX_LENGTH.slug) return undefined;
  return candidates
    .map((candidate) => ({
      candidate,
      distance: editDistance(given.toLowerCase(), candidate.toLowerCase()),
    }))
    .filter(({ distance }) => distance <= Math.max(1, Math.floor(given.length / 4)))
    .sort((a, b) => a.distance - b.distance)[0]?.candidate;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

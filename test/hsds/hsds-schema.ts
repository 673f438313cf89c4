import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const SCHEMA_DIR = join(__dirname, 'schema');

const FORMATS: Readonly<Record<string, RegExp>> = {
  uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
  email: /^[^\s@]+@[^\s@]+\.[^\s@]+$/,
  uri: /^[a-z][a-z0-9+.-]*:[^\s]*$/i,
  'date-time': /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/,
};

/**
 * A validator of an HSDS 3.0 page of organisations, from the schema files shipped beside it: the
 * page as the HSDS OpenAPI's `Page`, each organisation as `organization.json`, its services as
 * `service.json` (what the compiled `organization.json` nests). Every format the schemas name is
 * checked; their extra keywords (`core`, `constraints`, `datapackage_metadata`…) are not JSON Schema.
 */
export function hsdsPageValidator(): (document: unknown) => ErrorObject[] {
  const ajv = new Ajv({ strict: false, allErrors: true });
  for (const [name, pattern] of Object.entries(FORMATS)) ajv.addFormat(name, pattern);
  ajv.addFormat('datetime', FORMATS['date-time'] as RegExp); // as one schema spells it
  for (const file of readdirSync(SCHEMA_DIR).filter(
    (f) => f.endsWith('.json') && f !== 'openapi.json',
  )) {
    ajv.addSchema(JSON.parse(readFileSync(join(SCHEMA_DIR, file), 'utf8')) as object, file);
  }
  const openapi = JSON.parse(readFileSync(join(SCHEMA_DIR, 'openapi.json'), 'utf8')) as {
    components: { schemas: { Page: object } };
  };
  const validate: ValidateFunction = ajv.compile({
    allOf: [openapi.components.schemas.Page],
    required: ['contents'],
    properties: {
      contents: {
        type: 'array',
        items: {
          allOf: [{ $ref: 'organization.json' }],
          properties: { services: { type: 'array', items: { $ref: 'service.json' } } },
        },
      },
    },
  });
  return (document) => (validate(document) ? [] : [...(validate.errors ?? [])]);
}

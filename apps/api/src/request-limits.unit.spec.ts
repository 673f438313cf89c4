import 'reflect-metadata';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { PROTOCOL_SCHEMA } from '@relais/protocol';
import type { MetadataStorage as TypeStorage } from 'class-transformer/types/MetadataStorage';
import {
  ArrayMaxSize,
  getMetadataStorage,
  IsArray,
  IsEmail,
  IsIn,
  IsString,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { Type } from 'class-transformer';
import { ApiModule } from './api.module';
import { CaseEventBodyPipe } from './cases/case-event-body.pipe';
import { CASE_EVENT_BODIES } from './cases/case.dto';
import { ProtocolDocumentPipe } from './protocols/protocol-document.body';

// class-transformer keeps what @Type() says in this storage, and exports no way to read it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { defaultMetadataStorage: types } = require('class-transformer/cjs/storage') as {
  defaultMetadataStorage: TypeStorage;
};

type Class = new (...args: never[]) => unknown;

/** Constraints that say a value is text. */
const TEXT = new Set(['isString', 'matches', 'isEmail', 'isUrl', 'minLength', 'maxLength']);
/** Constraints that bound a text's length: a maximum, a list of values, or a fixed format. */
const BOUNDED = new Set(['maxLength', 'isIn', 'isUuid', 'isCalendarDate']);
const LIST = new Set(['isArray', 'arrayMinSize', 'arrayMaxSize', 'arrayUnique']);

/**
 * Every property of a request body class (and of the classes nested in it) that holds text has a
 * maximum length; every list has a maximum size, and its items a maximum length. Returns each
 * property that has not, as `Class.property: what is missing`.
 */
function unboundedFields(root: Class): string[] {
  const problems: string[] = [];
  const seen = new Set<Class>();
  const visit = (target: Class) => {
    if (seen.has(target)) return;
    seen.add(target);
    const metadata = getMetadataStorage().getTargetValidationMetadatas(target, '', true, false);
    const properties = new Set(metadata.map((m) => m.propertyName));
    for (const property of properties) {
      const own = metadata.filter((m) => m.propertyName === property);
      const names = (each: boolean) =>
        new Set(own.filter((m) => Boolean(m.each) === each).map((m) => m.name ?? m.type));
      const [scalar, items] = [names(false), names(true)];
      const designType = Reflect.getMetadata(
        'design:type',
        target.prototype as object,
        property,
      ) as unknown;
      const nested = own.some((m) => m.type === 'nestedValidation');
      const at = `${target.name}.${property}`;
      const isList = designType === Array || [...scalar].some((n) => LIST.has(n)) || items.size > 0;
      if (isList) {
        if (!scalar.has('arrayMaxSize')) problems.push(`${at}: no @ArrayMaxSize`);
        if ([...items].some((n) => TEXT.has(n)) && ![...items].some((n) => BOUNDED.has(n)))
          problems.push(`${at}: items without @MaxLength({ each: true })`);
      } else if (
        (designType === String || [...scalar].some((n) => TEXT.has(n))) &&
        ![...scalar].some((n) => BOUNDED.has(n))
      ) {
        problems.push(`${at}: no @MaxLength`);
      }
      if (nested) {
        const nestedType = types.findTypeMetadata(target, property)?.typeFunction();
        if (typeof nestedType === 'function') visit(nestedType as Class);
        else problems.push(`${at}: nested without @Type()`);
      }
    }
  };
  visit(root);
  return problems;
}

interface RouteArgument {
  readonly index: number;
  readonly pipes?: readonly unknown[];
}

/** Each controller of a module and of the modules it imports. */
function controllersOf(module: unknown): Class[] {
  if (typeof module !== 'function') return [];
  const own = (Reflect.getMetadata('controllers', module) ?? []) as Class[];
  const imports = (Reflect.getMetadata('imports', module) ?? []) as unknown[];
  return [...own, ...imports.flatMap(controllersOf)];
}

/** What each route's `@Body()` is validated as: a class, or what its pipe validates it as. */
interface RequestBody {
  readonly route: string;
  readonly body: Class | 'protocol document';
}

function requestBodies(): RequestBody[] {
  return controllersOf(ApiModule).flatMap((controller) =>
    Object.getOwnPropertyNames(controller.prototype).flatMap((method) => {
      const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, method) ?? {}) as Record<
        string,
        RouteArgument
      >;
      const parameters = (Reflect.getMetadata(
        'design:paramtypes',
        controller.prototype as object,
        method,
      ) ?? []) as unknown[];
      return Object.entries(args)
        .filter(([key]) => key.startsWith(`${RouteParamtypes.BODY}:`))
        .flatMap(([, { index, pipes = [] }]): RequestBody[] => {
          const route = `${controller.name}.${method}`;
          if (pipes.includes(CaseEventBodyPipe))
            return Object.values(CASE_EVENT_BODIES)
              .filter((body) => body !== undefined)
              .map((body) => ({ route, body }));
          if (pipes.includes(ProtocolDocumentPipe)) return [{ route, body: 'protocol document' }];
          return [{ route, body: parameters[index] as Class }];
        });
    }),
  );
}

/**
 * Each `type: string` of a JSON schema without `maxLength`, `enum` or `const`, by its path; the
 * conditions of an `if` only choose a branch, which says what is taken.
 */
function unboundedSchemaStrings(schema: unknown, path = '#'): string[] {
  if (typeof schema !== 'object' || schema === null) return [];
  const node = schema as Record<string, unknown>;
  const own =
    node.type === 'string' && !('maxLength' in node) && !('enum' in node) && !('const' in node)
      ? [path]
      : [];
  return [
    ...own,
    ...Object.entries(node)
      .filter(([key]) => key !== 'if')
      .flatMap(([key, child]) => unboundedSchemaStrings(child, `${path}/${key}`)),
  ];
}

describe('every request body is bounded', () => {
  const bodies = requestBodies();

  it('finds the bodies of the routes that take one', () => {
    const routes = bodies.map((b) => b.route);
    expect(routes).toEqual(
      expect.arrayContaining([
        'AuthController.token',
        'NetworkController.registerOrganisation',
        'NetworkController.registerStaff',
        'CasesController.open',
        'CasesController.log',
        'WebhooksController.set',
        'ProtocolsController.upload',
        'ProtocolsController.simulate',
      ]),
    );
  });

  it('validates each body as a class with class-validator, or as a protocol document', () => {
    const unvalidated = bodies
      .filter(({ body }) => body !== 'protocol document')
      .filter(
        ({ body }) =>
          typeof body !== 'function' ||
          getMetadataStorage().getTargetValidationMetadatas(body, '', true, false).length === 0,
      )
      .map(({ route }) => route);
    expect(unvalidated).toEqual([]);
  });

  it('gives every text a maximum length and every list a maximum size', () => {
    const classes = [...new Set(bodies.map((b) => b.body))].filter(
      (body): body is Class => typeof body === 'function',
    );
    expect(classes.flatMap(unboundedFields)).toEqual([]);
  });

  it('gives every text of a protocol document a maximum length', () => {
    expect(unboundedSchemaStrings(PROTOCOL_SCHEMA)).toEqual([]);
  });

  it('finds a text or a list left unbounded', () => {
    class Item {
      @IsString() readonly note!: string;
    }
    class Careless {
      @IsEmail() readonly email!: string;
      @IsIn(['a', 'b']) readonly choice!: string;
      @IsString() @MaxLength(10) readonly bounded!: string;
      @IsArray() @IsString({ each: true }) readonly tags!: string[];
      @IsArray()
      @ArrayMaxSize(3)
      @ValidateNested({ each: true })
      @Type(() => Item)
      readonly items!: Item[];
    }
    expect(unboundedFields(Careless)).toEqual([
      'Careless.email: no @MaxLength',
      'Careless.tags: no @ArrayMaxSize',
      'Careless.tags: items without @MaxLength({ each: true })',
      'Item.note: no @MaxLength',
    ]);
    expect(unboundedSchemaStrings({ properties: { a: { type: 'string' } } })).toEqual([
      '#/properties/a',
    ]);
  });
});

import { BODY_LIMITS } from '@relais/wire';

/**
 * NUL, which PostgreSQL's text and jsonb refuse, and a surrogate without its pair, which is not
 * text at all (jsonb refuses it too, and `encodeURI` throws on it).
 */
// eslint-disable-next-line no-control-regex -- NUL is what it looks for
const FORBIDDEN = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export function hasForbiddenCharacters(text: string): boolean {
  return FORBIDDEN.test(text);
}

export const forbiddenCharactersMessage = (field: string) =>
  `${field} must not contain a NUL character or a lone surrogate`;

export type InputProblem =
  | { readonly kind: 'depth'; readonly limit: number }
  | { readonly kind: 'entries'; readonly limit: number }
  | {
      readonly kind: 'characters';
      readonly errors: readonly { readonly field: string; readonly message: string }[];
    };

export interface InputBounds {
  readonly depth: number;
  readonly entries: number;
}

const fieldOf = (path: string, key: string) => (path ? `${path}.${key}` : key);

/**
 * What is wrong with a parsed body as a whole, before anything recursive (class-transformer,
 * class-validator, the database) sees it: nested deeper than `depth` objects and arrays, more than
 * `entries` keys and items in all, or strings (values or keys) that hold forbidden characters,
 * each named by its path (`familyMembers.0.firstName`). Iterative: any depth is safe to inspect.
 */
export function inspectInput(
  root: unknown,
  bounds: InputBounds = BODY_LIMITS,
): InputProblem | undefined {
  const pending: { value: unknown; path: string; depth: number }[] = [
    { value: root, path: '', depth: 0 },
  ];
  const errors: { field: string; message: string }[] = [];
  let entries = 0;
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const { value, path, depth } = next;
    if (typeof value === 'string') {
      if (hasForbiddenCharacters(value))
        errors.push({ field: path, message: forbiddenCharactersMessage(path || 'the body') });
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= bounds.depth) return { kind: 'depth', limit: bounds.depth };
    const keys = Array.isArray(value) ? undefined : Object.keys(value);
    entries += keys ? keys.length : (value as unknown[]).length;
    if (entries > bounds.entries) return { kind: 'entries', limit: bounds.entries };
    const children: { value: unknown; path: string; depth: number }[] = keys
      ? keys.map((key) => {
          if (hasForbiddenCharacters(key)) {
            const field = fieldOf(path, key.replace(new RegExp(FORBIDDEN, 'g'), '\ufffd'));
            errors.push({ field, message: forbiddenCharactersMessage('a key') });
          }
          const child = (value as Record<string, unknown>)[key];
          return { value: child, path: fieldOf(path, key), depth: depth + 1 };
        })
      : (value as unknown[]).map((child, i) => ({
          value: child,
          path: fieldOf(path, String(i)),
          depth: depth + 1,
        }));
    pending.push(...children.reverse());
  }
  return errors.length > 0 ? { kind: 'characters', errors } : undefined;
}

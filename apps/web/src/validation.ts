import type { Message } from './problems.js';

/** What the form says of a text longer than its field takes (`MAX_LENGTH`). */
export const tooLongMessage = (max: number): Message => ({
  key: 'validation.tooLong',
  params: { n: max },
});

/** A text longer than its field takes (the API's `@MaxLength`, the input's `maxlength`). */
export function tooLong(value: string, max: number): Message | undefined {
  return value.length > max ? tooLongMessage(max) : undefined;
}

/** A list longer than its field takes (the API's `@ArrayMaxSize`). */
export function tooMany(values: readonly unknown[], max: number): Message | undefined {
  return values.length > max ? { key: 'validation.tooMany', params: { n: max } } : undefined;
}

import type { Problem as ApiProblem } from '@relais/wire';
import { fr, type MessageKey } from './i18n/fr.js';

/** The API's problem, or one the web app makes when no answer came (`status` 0). */
export type Problem = Partial<ApiProblem> & Pick<ApiProblem, 'status'>;

/** A message to show, translated when it is shown (the language may change meanwhile). */
export type Message =
  | { readonly key: MessageKey; readonly params?: Readonly<Record<string, string | number>> }
  | { readonly text: string };

/** Errors by field, keyed by the API's field path (`occurredOn`, `familyMembers.0.niss`). */
export type FieldErrors = Readonly<Record<string, Message>>;

/** The codes the app has words for: every code the API sends (test/web/problem-codes.unit.spec.ts). */
function codeKey(code: string | undefined): MessageKey | undefined {
  const key = `problem.${code ?? ''}`;
  return code && key in fr ? (key as MessageKey) : undefined;
}

/**
 * The API's English validation messages, recognised by what they say, in the user's language; a
 * number the message holds (a maximum) is the message's `{n}`.
 */
const VALIDATION_MESSAGES: readonly [RegExp, MessageKey][] = [
  [/must be (?:shorter than or equal to|at most) (\d+) characters/i, 'validation.tooLong'],
  [/must contain no more than (\d+) elements/i, 'validation.tooMany'],
  [/must not contain a NUL character or a lone surrogate/i, 'validation.characters'],
  [/must be a date|must be a month|YYYY-MM-DD|ISO 8601/i, 'validation.date'],
  [/must not be after/i, 'validation.reversedPeriod'],
  [
    /must be one of|must be an? (array|string)|should not be empty|must contain at least/i,
    'validation.choice',
  ],
  [/niss must be 11 digits/i, 'validation.niss'],
  [/must hold a first name and a last name/i, 'dpo.needsFullName'],
  [/5-digit INS/i, 'validation.commune'],
  [/must be an email/i, 'validation.email'],
  [/lower-case words joined by hyphens|must match/i, 'validation.slug'],
];

/** What a problem says in general: its code's message when the app knows it. */
export function problemMessage(problem: Problem): Message {
  const key = codeKey(problem.code);
  if (key) return problem.params ? { key, params: problem.params } : { key };
  if (problem.status === 0) return { key: 'problem.network' };
  if (problem.status === 403) return { key: 'problem.forbidden' };
  if (problem.status === 404) return { key: 'problem.notFound' };
  return { key: 'problem.generic', params: { status: problem.status } };
}

/**
 * A problem's errors by field, the first for each; `prefix` is stripped (`event.` in a dry run).
 * A refused rule (422) names its field too: it goes there, in words the user reads.
 */
export function fieldErrorsOf(problem: Problem, prefix = ''): FieldErrors {
  const errors: Record<string, Message> = {};
  for (const { field, message, code, params } of problem.errors ?? []) {
    const path = prefix && field.startsWith(prefix) ? field.slice(prefix.length) : field;
    if (path in errors) continue;
    const own = codeKey(code);
    if (own) {
      errors[path] = params ? { key: own, params } : { key: own };
      continue;
    }
    const key = problem.code === 'VALIDATION_FAILED' ? undefined : codeKey(problem.code);
    if (key) {
      errors[path] = problem.params ? { key, params: problem.params } : { key };
      continue;
    }
    errors[path] = validationMessage(message);
  }
  return errors;
}

function validationMessage(message: string): Message {
  for (const [pattern, key] of VALIDATION_MESSAGES) {
    const match = pattern.exec(message);
    if (!match) continue;
    return match[1] === undefined ? { key } : { key, params: { n: Number(match[1]) } };
  }
  return { text: message };
}

/** Field errors the form shows, and the rest (fields it does not have) as one general message. */
export function splitByFields(
  errors: FieldErrors,
  fields: readonly string[],
): { atFields: FieldErrors; elsewhere: Message[] } {
  const atFields: Record<string, Message> = {};
  const elsewhere: Message[] = [];
  for (const [field, message] of Object.entries(errors)) {
    if (fields.includes(field)) atFields[field] = message;
    else elsewhere.push(message);
  }
  return { atFields, elsewhere };
}

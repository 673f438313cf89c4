import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { en } from '../../apps/web/src/i18n/en';
import { fr } from '../../apps/web/src/i18n/fr';
import { nl } from '../../apps/web/src/i18n/nl';
import { problemMessage } from '../../apps/web/src/problems';

/**
 * Every stable code the API can put in a problem+json answer, read from the code that sends
 * them: a refusal's `code: 'X'`, a rule's `refuse('X', …)` or `new SomeRefusal('X', …)`, and the
 * members of a `…Code` type. The web app words each in the user's language.
 */
const ROOT = join(__dirname, '..', '..');
const SENDERS = [
  'apps/api/src',
  // libs/config refuses a configuration at start-up, never in an answer.
  ...readdirSync(join(ROOT, 'libs'))
    .filter((lib) => lib !== 'config')
    .map((lib) => `libs/${lib}/src`),
];
/** Node's own error codes, which the code compares and never sends. */
const NOT_SENT = new Set(['ENOENT', 'ENOTFOUND', 'ETIMEDOUT', 'ECONNREFUSED', 'ECONNRESET']);

function sourcesUnder(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return sourcesUnder(path);
    return entry.name.endsWith('.ts') && !entry.name.includes('.spec.') ? [path] : [];
  });
}

function codesSentBy(source: string): string[] {
  const found = [
    ...source.matchAll(/\bcode:\s*'([A-Z][A-Z0-9_]+)'/g),
    ...source.matchAll(
      /(?:\brefuse|\bunavailable|\bsuper|\bnew [A-Z]\w*)\(\s*'([A-Z][A-Z0-9_]+)'/g,
    ),
  ].map((m) => m[1] ?? '');
  for (const union of source.matchAll(/type \w*Code\w* =([^;]+);/g))
    found.push(...[...(union[1] ?? '').matchAll(/'([A-Z][A-Z0-9_]+)'/g)].map((m) => m[1] ?? ''));
  return found.filter((code) => code.includes('_') && !NOT_SENT.has(code));
}

const CODES = [
  ...new Set(
    SENDERS.flatMap(sourcesUnder).flatMap((f) => codesSentBy(readFileSync(join(ROOT, f), 'utf8'))),
  ),
].sort();

describe('every code the API can send, in French, Dutch and English', () => {
  it('finds the codes it sends', () => {
    expect(CODES).toEqual(
      expect.arrayContaining(['NOT_YOUR_ORGANISATION', 'OCCURRED_IN_FUTURE', 'VALIDATION_FAILED']),
    );
  });

  it.each([
    ['fr', fr],
    ['nl', nl],
    ['en', en],
  ] as const)('has a message for each in %s', (_language, messages) => {
    const missing = CODES.filter((code) => !(`problem.${code}` in messages));
    expect(missing).toEqual([]);
  });

  it('shows each code’s own message, not a generic one', () => {
    const generic = CODES.filter(
      (code) =>
        !('key' in problemMessage({ status: 422, code })) ||
        (problemMessage({ status: 422, code }) as { key: string }).key !== `problem.${code}`,
    );
    expect(generic).toEqual([]);
  });
});

import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import * as en from '@zxcvbn-ts/language-en';
import * as fr from '@zxcvbn-ts/language-fr';

/**
 * zxcvbn's score (0–4): 3 is "safely unguessable", about 10^8 guesses — out of reach of an
 * attacker who can only try a few passwords a quarter of an hour at the sign-in form, and long
 * for one who got a copy of the hashes.
 */
export const MIN_PASSWORD_SCORE = 3;

/** Only the first characters are judged: a long password is not trivial for its tail. */
const JUDGED_LENGTH = 64;

export interface PasswordPolicyOptions {
  /** Refused whatever their strength: the demo's password, outside the demo. */
  readonly refused?: readonly string[];
  /** Accepted whatever their strength: the demo's password, in the demo. */
  readonly accepted?: readonly string[];
}

/**
 * Which passwords an account may be given: none of the 50,000 or so most common ones (zxcvbn's
 * list), nothing built on a French word, a first name or surname, nor on what the account is known
 * by, no keyboard row (AZERTY included), repeat, sequence or date.
 */
export class PasswordPolicy {
  private estimator: ZxcvbnFactory | undefined;

  constructor(private readonly options: PasswordPolicyOptions = {}) {}

  /**
   * Why this password may not be set, or undefined when it may. `context` is what the account is
   * known by (e-mail, name, organisation): a password made of it is easy to guess for whoever
   * knows the person.
   */
  problem(password: string, context: readonly string[] = []): string | undefined {
    if (this.options.accepted?.includes(password)) return undefined;
    if (this.options.refused?.includes(password)) {
      return 'password is the demo password, known to anyone who read the documentation: choose another';
    }
    const inputs = [...context, ...(this.options.refused ?? []), 'relais']
      .flatMap(variants)
      .filter((value) => value.length >= 3);
    const { score, feedback } = this.zxcvbn().check(password, inputs);
    if (score >= MIN_PASSWORD_SCORE) return undefined;
    return [
      'password is too easy to guess',
      feedback.warning ? `: ${feedback.warning.replace(/\.$/, '')}` : '',
      '. Choose a longer one, for instance a few unrelated words',
    ].join('');
  }

  /** Its dictionaries take a moment to load: only once a password is set. */
  private zxcvbn(): ZxcvbnFactory {
    this.estimator ??= new ZxcvbnFactory({
      dictionary: {
        ...common.dictionary,
        ...without(en.dictionary, ['wikipedia-en', 'commonWords-en', 'lastnames-en']),
        ...without(fr.dictionary, ['wikipedia-fr']),
      },
      graphs: common.adjacencyGraphs,
      translations: en.translations,
      maxLength: JUDGED_LENGTH,
      l33tMaxSubstitutions: 16,
    });
    return this.estimator;
  }
}

/** `Claire Martin` as `claire`, `martin`, `claire.martin`, `clairemartin`…; an e-mail's local part too. */
function variants(value: string): string[] {
  const lower = value.toLowerCase();
  const words = lower.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  const local = lower.split('@')[0] ?? lower;
  return [lower, local, ...words, ...['', '.', '-', '_'].map((glue) => words.join(glue))];
}

/**
 * The largest lists cost a second's work per password on this machine's size and catch little
 * that the common-password list and the French ones do not.
 */
function without<T extends Record<string, unknown>>(dictionary: T, lists: readonly string[]) {
  return Object.fromEntries(Object.entries(dictionary).filter(([name]) => !lists.includes(name)));
}

import { createHmac } from 'node:crypto';
import { derivedKey } from '@relais/kernel';
import type { PersonalData } from './personal-data';

/**
 * What a person is found by: the NISS, the full name in either order, or one word of a name
 * (`token`: a partner's search within its own cases).
 */
export type LookupKind = 'niss' | 'name' | 'token';

export interface LookupDigest {
  readonly kind: LookupKind;
  readonly digest: Buffer;
}

/** Digits only: `85.07.30-033.28` is `85073003328`. */
export function normalisedNiss(niss: string): string {
  return niss.replace(/\D/g, '');
}

/**
 * Lower case, accents removed, hyphens, apostrophes and dots read as spaces, spaces collapsed:
 * `Aurélie  Journal-Accès` and `aurelie journal acces` are one name.
 */
export function normalisedName(name: string): string {
  return name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[\s\-'’.]+/g, ' ')
    .trim();
}

/** The distinct words of a normalised name: `Journal-Accès` is `journal` and `acces`. */
export function nameTokens(name: string): string[] {
  return [
    ...new Set(
      normalisedName(name)
        .split(' ')
        .filter((t) => t.length > 0),
    ),
  ];
}

/**
 * The blind index of the vault: HMAC-SHA-256 digests of a person's normalised NISS and full name
 * (first name then last name, and last name then first name), under a key derived from the master
 * key. The index finds a person from what the DPO types without holding it in clear; without the
 * master key its digests tell nothing.
 */
export class SubjectLookup {
  private readonly key: Buffer;

  constructor(masterKey: Buffer) {
    this.key = derivedKey(masterKey, 'relais:subject-blind-index');
  }

  digestsOf(data: PersonalData): LookupDigest[] {
    const names = new Set([
      normalisedName(`${data.firstName} ${data.lastName}`),
      normalisedName(`${data.lastName} ${data.firstName}`),
    ]);
    return [
      ...(data.niss === undefined ? [] : [this.niss(data.niss)]),
      ...[...names].map((name) => this.digest('name', name)),
      ...nameTokens(`${data.firstName} ${data.lastName}`).map((t) => this.digest('token', t)),
    ];
  }

  /** One digest per word of what was typed, normalised as names are. */
  tokens(typed: string): LookupDigest[] {
    return nameTokens(typed).map((t) => this.digest('token', t));
  }

  niss(niss: string): LookupDigest {
    return this.digest('niss', normalisedNiss(niss));
  }

  name(name: string): LookupDigest {
    return this.digest('name', normalisedName(name));
  }

  private digest(kind: LookupKind, value: string): LookupDigest {
    return { kind, digest: createHmac('sha256', this.key).update(`${kind}:${value}`).digest() };
  }
}

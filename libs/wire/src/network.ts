import type { OrganisationKind, StaffRole, Territory } from './vocabulary.js';

/** `GET /organisations`, `GET /organisations/:id`. */
export interface OrganisationView {
  readonly id: string;
  readonly name: string;
  readonly kind: OrganisationKind;
  readonly territory: Territory;
  readonly contactEmail: string;
  readonly closureDays: readonly string[];
}

/** `GET /staff`. */
export interface StaffView {
  readonly id: string;
  readonly organisationId: string;
  readonly name: string;
  readonly email: string;
  readonly roles: readonly StaffRole[];
  /** False once deactivated: listed, never assigned, never signed in. */
  readonly active: boolean;
  /** Professional phone, `+32…` (see `belgianPhoneNumber`); null when not given. */
  readonly phone: string | null;
}

/** A worker's professional contact, as the staff directory holds it now: never a family's data. */
export interface WorkerContact {
  readonly name: string;
  readonly email: string;
  /** Professional phone, `+32…`; null when the directory has none. */
  readonly phone: string | null;
  readonly organisationId: string;
}

export interface Commune {
  /** Statbel refnis (INS/NIS) code, five digits. */
  readonly ins: string;
  /** Official French name. */
  readonly name: string;
  readonly slug: string;
  /** Administrative arrondissement id. */
  readonly arrondissement: string;
  readonly province: string;
}

/** `GET /communes`: each commune with the organisations competent for it, if Relais knows them. */
export interface CommuneCompetence extends Commune {
  readonly cpasId: string | null;
  readonly sajId: string | null;
  readonly spjId: string | null;
}

/** The authenticated member of staff behind a request. */
export interface Principal {
  readonly staffId: string;
  readonly organisationId: string;
  readonly roles: readonly StaffRole[];
  readonly email: string;
  readonly name?: string;
}

/** `GET /me`. */
export interface Me extends Principal {
  readonly organisation: OrganisationView | null;
  /** What the caller may grant, from the API's role-granting table. */
  readonly grantableRoles: readonly StaffRole[];
}

/** `POST /auth/token`. */
export interface TokenAnswer {
  readonly accessToken: string;
  readonly tokenType: 'Bearer';
  /** ISO instant. */
  readonly expiresAt: string;
}

/** `GET /auth/options`: how the login page may sign people in. */
export interface SignInOptions {
  readonly localAccounts: boolean;
  /** The organisation's OpenID Connect provider, when Relais is registered with it. */
  readonly provider: {
    readonly authorizationEndpoint: string;
    readonly clientId: string;
    readonly scope: string;
  } | null;
}

/** `POST /auth/oidc`: what the provider sent back, with the secrets the tab kept. */
export interface ProviderReturn {
  readonly code: string;
  readonly codeVerifier: string;
  readonly redirectUri: string;
  readonly nonce: string;
}

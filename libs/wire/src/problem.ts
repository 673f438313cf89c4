/** One bad field of a request, by its path (`familyMembers.0.niss`). */
export interface FieldProblem {
  readonly field: string;
  /** In English, for logs and scripts; a client words `code` with `params` instead. */
  readonly message: string;
  readonly code?: string;
  readonly params?: Readonly<Record<string, string | number>>;
}

/** An `application/problem+json` answer (RFC 9457), as the API sends every error. */
export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail?: string;
  /** Stable, machine-readable: `VALIDATION_FAILED`, `NOT_A_PARTNER`, ... */
  readonly code?: string;
  /** What the code's message names (`{ organisation: 'saj-dinant' }`), for the client to word it. */
  readonly params?: Readonly<Record<string, string | number>>;
  readonly errors?: readonly FieldProblem[];
}

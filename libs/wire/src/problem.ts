/** One bad field of a request, by its path (`familyMembers.0.niss`). */
export interface FieldProblem {
  readonly field: string;
  readonly message: string;
}

/** An `application/problem+json` answer (RFC 9457), as the API sends every error. */
export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail?: string;
  /** Stable, machine-readable: `VALIDATION_FAILED`, `NOT_A_PARTNER`, ... */
  readonly code?: string;
  readonly errors?: readonly FieldProblem[];
}

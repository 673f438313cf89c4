/** An aggregate as pure functions: the state it folds from its events, and what a command decides. */
export interface Decider<Command, Event, State, Context> {
  readonly initialState: State;
  evolve(state: State, event: Event): State;
  decide(command: Command, state: State, context: Context): readonly Event[];
}

/** A rule of the domain refused the command; `code` is stable and machine-readable. */
export class DomainRuleViolation<Code extends string = string> extends Error {
  constructor(
    readonly code: Code,
    message: string,
    /** The input field the refusal is about, when there is one. */
    readonly field?: string,
  ) {
    super(message);
    this.name = 'DomainRuleViolation';
  }
}

/** The caller may not do this, whatever the input: HTTP 403 with the rule's code. */
export class PermissionDenied<Code extends string = string> extends DomainRuleViolation<Code> {
  override readonly name = 'PermissionDenied';
}

/** What the command is about does not exist (or is not the caller's to see): HTTP 404. */
export class NotFound<Code extends string = string> extends DomainRuleViolation<Code> {
  override readonly name = 'NotFound';
}

export function fold<Event, State>(
  decider: Pick<Decider<unknown, Event, State, unknown>, 'evolve' | 'initialState'>,
  events: readonly Event[],
): State {
  return events.reduce(decider.evolve, decider.initialState);
}

/** Calendar dates travel as ISO strings (YYYY-MM-DD), which sort as dates: the kernel's. */
export type { IsoDate } from '@relais/kernel';

export function assertNever(value: never): never {
  throw new Error(`Unexpected ${JSON.stringify(value)}`);
}

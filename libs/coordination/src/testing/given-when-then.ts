import { Decider, DomainRuleViolation, fold } from '@relais/domain';
import { expectRefusal } from '../../../domain/src/testing/given-when-then';

/** `given(events).when(command).then(events)` or `.thenRefuses(code, field?)`, for any decider. */
export function givenFor<Command, Event, State, Context>(
  decider: Decider<Command, Event, State, Context>,
  defaultContext: Context,
) {
  return (history: readonly Event[]) => ({
    when(command: Command, context: Context = defaultContext) {
      const decide = () => decider.decide(command, fold(decider, history), context);
      return {
        then(expected: readonly Event[]) {
          expect(decide()).toEqual(expected);
        },
        thenRefuses(code: string, field?: string) {
          expectRefusal(decide, DomainRuleViolation, code, field);
        },
      };
    },
  });
}

import { inSpan, streamCategory } from '@relais/kernel';
import { AppendResult, NewEvent, WrongExpectedVersionError } from './event-store';

/** Told each append's outcome, for the metrics: written (with its count), duplicate, conflict. */
export type AppendObserver = (
  outcome: 'written' | 'duplicate' | 'conflict',
  events: number,
) => void;

/** One append as every store reports it: a span named by the stream's category, and its outcome. */
export function observedAppend(
  streamId: string,
  events: readonly NewEvent[],
  observe: AppendObserver | undefined,
  append: () => Promise<AppendResult>,
): Promise<AppendResult> {
  const category = streamCategory(streamId);
  return inSpan(
    `append ${category}`,
    { 'relais.stream.category': category, 'relais.events': events.map((e) => e.type) },
    async () => {
      if (!observe) return append();
      try {
        const result = await append();
        observe(result.duplicate ? 'duplicate' : 'written', events.length);
        return result;
      } catch (error) {
        if (error instanceof WrongExpectedVersionError) observe('conflict', events.length);
        throw error;
      }
    },
  );
}

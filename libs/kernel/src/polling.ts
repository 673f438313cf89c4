/** A job run again `intervalMs` after each round ends, until stopped; a failed round is reported, not fatal. */
export interface Polling {
  stop(): Promise<void>;
}

export function poll(
  round: () => Promise<unknown>,
  intervalMs: number,
  onError: (error: Error) => void,
): Polling {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;
  const tick = () => {
    running = round()
      .then(
        () => undefined,
        (error: Error) => onError(error),
      )
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, intervalMs);
      });
  };
  tick();
  return {
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}

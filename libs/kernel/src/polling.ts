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

/** What a periodic job writes to: Nest's `Logger` is one. */
export interface JobLogger {
  log(message: string): void;
  warn(message: string): void;
}

/**
 * A worker's periodic job: its round runs from start-up every `intervalMs` after the last one
 * ended, a failed round is logged as a warning, and stopping waits for a round under way.
 */
export abstract class PeriodicJob {
  private polling: Polling | undefined;

  protected constructor(
    protected readonly logger: JobLogger,
    /** What a failed round's warning calls it: `deadline round`. */
    private readonly roundName: string,
  ) {}

  /** Milliseconds between the end of a round and the start of the next. */
  protected abstract get intervalMs(): number;

  protected abstract round(): Promise<unknown>;

  onApplicationBootstrap(): void {
    this.polling = poll(
      () => this.round(),
      this.intervalMs,
      (error) => this.logger.warn(`${this.roundName} failed: ${error.message}`),
    );
  }

  async onModuleDestroy(): Promise<void> {
    await this.polling?.stop();
  }
}

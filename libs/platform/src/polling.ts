import type { Logger } from '@nestjs/common';
import { poll, Polling } from '@relais/kernel';

/**
 * A worker's periodic job: its round runs from start-up every `intervalMs` after the last one
 * ended, a failed round is logged as a warning, and stopping waits for a round under way.
 */
export abstract class PeriodicJob {
  private polling: Polling | undefined;

  protected constructor(
    protected readonly logger: Logger,
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

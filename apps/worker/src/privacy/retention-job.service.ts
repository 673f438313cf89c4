import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnModuleDestroy,
} from '@nestjs/common';
import { brusselsDate, Clock, CLOCK, PeriodicJob } from '@relais/platform';
import { Erasures, Retention } from '@relais/privacy';

/** Retention periods are counted in days: once an hour is soon enough, and cheap. */
const INTERVAL_MS = 60 * 60 * 1000;

/**
 * Applies each organisation's retention period: the family of every case whose period ran out
 * today is erased through the same workflow as the DPO's requests, with reason `retention` and
 * author `system`. Several workers may run it at once: each erasure is recorded once, whoever
 * records it (the subject's row and event id), and erasing in the vault is idempotent. It also
 * finishes erasures whose event was recorded by a process that stopped before the vault's part.
 */
@Injectable()
export class RetentionJob extends PeriodicJob implements OnApplicationBootstrap, OnModuleDestroy {
  protected readonly intervalMs = INTERVAL_MS;

  constructor(
    private readonly retention: Retention,
    private readonly erasures: Erasures,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    super(new Logger('Retention'), 'retention round');
  }

  protected round(): Promise<number> {
    return this.applyOnce();
  }

  /** One round: how many people this worker's round erased. */
  async applyOnce(): Promise<number> {
    await this.erasures.finishInterrupted();
    const now = this.clock.now();
    const due = await this.retention.expiringBy(brusselsDate(now));
    let erased = 0;
    for (const { caseId, subjectIds } of due) {
      const targets = subjectIds.map((subjectId) => ({ subjectId, caseId }));
      erased += (await this.erasures.eraseAll(targets, 'retention', 'system', now)).length;
    }
    if (erased > 0) this.logger.log(`erased ${erased} person(s) whose retention period ended`);
    return erased;
  }
}

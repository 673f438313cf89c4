import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnModuleDestroy,
  Optional,
} from '@nestjs/common';
import { Calendars } from '../obligations';
import { deadlineEvents, handleObligation } from '../obligation-stream';
import { currentCalendars } from '../reference-network';
import { Database } from '@relais/database';
import { Metrics } from '@relais/metrics';
import { obligationStreamId } from '@relais/domain';
import { EVENT_STORE, EventStore, WrongExpectedVersionError } from '@relais/event-store';
import { CompetenceDirectory } from '@relais/network';
import { brusselsDate } from '@relais/calendar';
import { Clock, CLOCK, PeriodicJob } from '@relais/kernel';
import { Inbox } from '../inbox/inbox';

const POLL_MS = 1000;

/**
 * Escalates unacknowledged obligations and then breaches them, on time. Its timers are durable:
 * each round asks the database which acknowledgements are overdue, so a restart loses nothing.
 * Several workers may run it: event ids derive from the obligation and the step, and appends
 * check the version read, so an escalation is never written twice.
 */
@Injectable()
export class DeadlineWatcher
  extends PeriodicJob
  implements OnApplicationBootstrap, OnModuleDestroy
{
  private readonly inbox: Inbox;
  protected readonly intervalMs = POLL_MS;

  constructor(
    private readonly database: Database,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(CompetenceDirectory) private readonly directory: CompetenceDirectory,
    @Optional() private readonly metrics?: Metrics,
  ) {
    super(new Logger('Deadlines'), 'deadline round');
    this.inbox = new Inbox(database.pool);
  }

  protected async round(): Promise<number> {
    try {
      const written = await this.checkOnce();
      this.metrics?.deadlineRounds.inc({ outcome: 'ok' });
      return written;
    } catch (error) {
      this.metrics?.deadlineRounds.inc({ outcome: 'failed' });
      throw error;
    }
  }

  /**
   * One round: every overdue obligation escalated as its rule says, and breached once the
   * working days its rule gives the recipient's managers have passed too.
   */
  async checkOnce(): Promise<number> {
    const today = brusselsDate(this.clock.now());
    const overdue = await this.inbox.overdue(today);
    if (overdue.length === 0) return 0;
    const calendars = await currentCalendars(this.directory, this.database.pool);
    let written = 0;
    for (const { obligationId } of overdue) {
      written += await this.check(obligationId, today, calendars);
    }
    return written;
  }

  private async check(obligationId: string, today: string, calendars: Calendars): Promise<number> {
    try {
      const result = await handleObligation(
        this.store,
        obligationStreamId(obligationId),
        (state) => deadlineEvents(state, today, calendars),
        {
          identity: { actor: 'deadline-watcher', content: { checkDeadlines: today } },
          metadata: { actor: 'deadline-watcher' },
          recordedAt: this.clock.now(),
        },
      );
      return result.repeated ? 0 : result.events.length;
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) return 0; // another worker, or an acknowledgement, came first
      throw error;
    }
  }
}

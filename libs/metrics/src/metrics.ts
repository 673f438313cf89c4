import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * What an operator of Relais watches, in Prometheus's text format (`GET /metrics`). One registry
 * per application, never the library's global one: two apps in one process (the tests) keep their
 * counts apart. Counters and histograms are fed as things happen; the gauges are read from the
 * database when scraped (`sample`), so they say the same whichever process is asked.
 */
export class Metrics {
  readonly registry = new Registry();

  readonly httpDuration = new Histogram({
    name: 'relais_http_request_duration_seconds',
    help: 'HTTP requests by route pattern, method and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly appends = new Counter({
    name: 'relais_event_store_appends_total',
    help: 'Appends to the event store by outcome: written, duplicate (an idempotent retry), conflict',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly appendedEvents = new Counter({
    name: 'relais_event_store_appended_events_total',
    help: 'Events written to the event store',
    registers: [this.registry],
  });

  readonly processorBatch = new Histogram({
    name: 'relais_processor_batch_duration_seconds',
    help: 'Batches a processor applied in this process, with their events',
    labelNames: ['processor'] as const,
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30],
    registers: [this.registry],
  });

  readonly processorErrors = new Counter({
    name: 'relais_processor_errors_total',
    help: 'Failed batches of a processor in this process (rolled back, retried)',
    labelNames: ['processor'] as const,
    registers: [this.registry],
  });

  readonly processorLagEvents = new Gauge({
    name: 'relais_processor_lag_events',
    help: 'Events committed after the processor checkpoint',
    labelNames: ['processor'] as const,
    registers: [this.registry],
  });

  readonly processorLagSeconds = new Gauge({
    name: 'relais_processor_lag_seconds',
    help: 'Age of the oldest committed event the processor has not applied; 0 when caught up',
    labelNames: ['processor'] as const,
    registers: [this.registry],
  });

  readonly readBarrierAge = new Gauge({
    name: 'relais_read_barrier_age_seconds',
    help: 'How long committed events have waited behind the oldest running transaction',
    registers: [this.registry],
  });

  readonly outboxPending = new Gauge({
    name: 'relais_outbox_pending',
    help: 'Deliveries waiting to be sent (first attempt or retry), by channel',
    labelNames: ['channel'] as const,
    registers: [this.registry],
  });

  readonly outboxDead = new Gauge({
    name: 'relais_outbox_dead_letters',
    help: 'Deliveries given up, waiting for a manual retry, by channel',
    labelNames: ['channel'] as const,
    registers: [this.registry],
  });

  readonly outboxAttempts = new Counter({
    name: 'relais_outbox_attempts_total',
    help: 'Delivery attempts made by this process, by channel and outcome',
    labelNames: ['channel', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly obligations = new Gauge({
    name: 'relais_obligations',
    help: 'Notifications by status, from the inbox read model',
    labelNames: ['status'] as const,
    registers: [this.registry],
  });

  readonly deadlineRounds = new Counter({
    name: 'relais_deadline_watcher_rounds_total',
    help: 'Rounds of the deadline watcher in this process, by outcome',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  /** The text a scraper reads, with the gauges sampled first. */
  async scrape(sample: (metrics: Metrics) => Promise<void>): Promise<string> {
    await sample(this);
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}

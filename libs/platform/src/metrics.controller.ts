import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { relaisTracer } from '@relais/kernel';
import {
  Controller,
  Get,
  Global,
  Headers,
  Inject,
  Module,
  NotFoundException,
  Res,
  UnauthorizedException,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '@relais/auth';
import { RELAIS_CONFIG, RelaisConfig } from '@relais/config';
import { COMPLIANCE_TABLES } from '@relais/compliance';
import { Database } from '@relais/database';
import { readBarrierAgeMs } from '@relais/event-store';
import { Metrics } from '@relais/metrics';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { createHash, timingSafeEqual } from 'node:crypto';

/** One registry per application, shared by every module of it. */
@Global()
@Module({ providers: [{ provide: Metrics, useFactory: () => new Metrics() }], exports: [Metrics] })
export class MetricsModule {}

/** The route pattern a request matched (`/api/v1/cases/:caseId`), never its path with ids in it. */
function routeOf(request: Request): string {
  const pattern = (request.route as { path?: string } | undefined)?.path;
  return pattern !== undefined
    ? `${request.baseUrl}${pattern}`
    : request.path.startsWith('/api/')
      ? 'unmatched'
      : 'web';
}

/**
 * Runs each request in a server span (a child of the caller's W3C `traceparent` when it sends
 * one), named after its route pattern once routed: the commands and appends it makes are its
 * children. A no-op span when tracing is off.
 */
export function httpTracing(): RequestHandler {
  return (request: Request, response: Response, next: NextFunction) => {
    const parent = propagation.extract(context.active(), request.headers);
    const span = relaisTracer().startSpan(
      `${request.method} request`,
      { kind: SpanKind.SERVER, attributes: { 'http.request.method': request.method } },
      parent,
    );
    response.on('finish', () => {
      const route = routeOf(request);
      span.updateName(`${request.method} ${route}`);
      span.setAttributes({ 'http.route': route, 'http.response.status_code': response.statusCode });
      if (response.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    });
    context.with(trace.setSpan(parent, span), next);
  };
}

/**
 * Times every HTTP request by its route's pattern (`/api/v1/cases/:id`, never the path with its
 * ids), method and status; the web app's files count as `web`, an unknown API path as `unmatched`.
 */
export function httpMetrics(metrics: Metrics): RequestHandler {
  return (request: Request, response: Response, next: NextFunction) => {
    const started = performance.now();
    response.on('finish', () => {
      const route = routeOf(request);
      metrics.httpDuration.observe(
        { method: request.method, route, status: String(response.statusCode) },
        (performance.now() - started) / 1000,
      );
    });
    next();
  };
}

const sameSecret = (given: string, expected: string): boolean => {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
};

/**
 * `GET /metrics` in Prometheus's text format, for a scraper holding `RELAIS_METRICS_TOKEN` as a
 * bearer token; absent that setting, there is no such route (404). The gauges are read from the
 * database at each scrape, so every process answers for the whole deployment; the counters and
 * histograms count what this process did.
 */
@ApiExcludeController()
@Public()
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: Metrics,
    private readonly database: Database,
    @Inject(RELAIS_CONFIG) private readonly config: RelaisConfig,
  ) {}

  @Get()
  async scrape(
    @Headers('authorization') authorization: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<string> {
    const token = this.config.metricsToken;
    if (token === undefined) {
      throw new NotFoundException({
        message: 'Metrics are off: set RELAIS_METRICS_TOKEN',
        code: 'METRICS_DISABLED',
      });
    }
    const given = /^Bearer (.+)$/.exec(authorization ?? '')?.[1] ?? '';
    if (!sameSecret(given, token)) {
      throw new UnauthorizedException({
        message: 'Metrics need the bearer token set in RELAIS_METRICS_TOKEN',
        code: 'UNAUTHORIZED',
      });
    }
    const text = await this.metrics.scrape((m) => sample(m, this.database));
    response.setHeader('content-type', this.metrics.contentType);
    response.setHeader('cache-control', 'no-store');
    return text;
  }
}

/** The gauges, from the database: what the whole deployment is at, whichever process answers. */
async function sample(metrics: Metrics, database: Database): Promise<void> {
  const { pool } = database;
  const [processors, outbox, obligations, barrierMs] = await Promise.all([
    pool.query<{ name: string; lag: string; seconds: number | null }>(
      `select c.name,
         greatest((select coalesce(max(global_position), 0) from events) - c.global_position, 0)::text as lag,
         (select extract(epoch from now() - e.recorded_at)::float8 from events e
           where e.global_position > c.global_position order by e.global_position limit 1) as seconds
       from processor_checkpoints c`,
    ),
    pool.query<{ channel: string; state: 'pending' | 'dead'; n: string }>(
      `select channel, 'pending' as state, count(*)::text as n from outbox
         where delivered_at is null and dead_at is null group by channel
       union all
       select channel, 'dead', count(*)::text from outbox
         where delivered_at is null and dead_at is not null group by channel`,
    ),
    pool.query<{ status: string; n: string }>(
      `select status, count(*)::text as n from ${COMPLIANCE_TABLES.obligations} group by status`,
    ),
    readBarrierAgeMs(pool),
  ]);
  metrics.processorLagEvents.reset();
  metrics.processorLagSeconds.reset();
  for (const row of processors.rows) {
    metrics.processorLagEvents.set({ processor: row.name }, Number(row.lag));
    metrics.processorLagSeconds.set({ processor: row.name }, Math.max(row.seconds ?? 0, 0));
  }
  metrics.outboxPending.reset();
  metrics.outboxDead.reset();
  for (const channel of ['email', 'webhook']) {
    const count = (state: 'pending' | 'dead') =>
      Number(outbox.rows.find((r) => r.channel === channel && r.state === state)?.n ?? 0);
    metrics.outboxPending.set({ channel }, count('pending'));
    metrics.outboxDead.set({ channel }, count('dead'));
  }
  metrics.obligations.reset();
  for (const row of obligations.rows)
    metrics.obligations.set({ status: row.status }, Number(row.n));
  metrics.readBarrierAge.set(barrierMs / 1000);
}

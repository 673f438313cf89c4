import { Controller, Get, HttpStatus, Optional, Res } from '@nestjs/common';
import { Public } from '@relais/auth';
import { Database, pendingMigrations } from '@relais/database';
import { ProcessorHost, ProcessorStatus, readBarrierAgeMs } from '@relais/event-store';
import type { Response } from 'express';

export interface Readiness {
  readonly status: 'ready' | 'not_ready';
  readonly database: 'up' | 'down';
  readonly pendingMigrations: readonly string[];
  readonly processors: readonly ProcessorStatus[];
  readonly readBarrierAgeMs: number | null;
}

/**
 * Committed events waiting behind the read barrier longer than this: a transaction held open stalls
 * every processor, and this process should not be sent work it cannot see through.
 */
export const READ_BARRIER_MAX_AGE_MS = 5000;

@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly database: Database,
    @Optional() private readonly processors?: ProcessorHost,
  ) {}

  @Get('live')
  live(): { status: 'live' } {
    return { status: 'live' };
  }

  /**
   * 503 until the database answers, every migration is applied and every processor runs here, and
   * while committed events have waited behind the read barrier over `READ_BARRIER_MAX_AGE_MS`.
   */
  @Get('ready')
  async ready(@Res({ passthrough: true }) response: Response): Promise<Readiness> {
    const processors = this.processors?.statuses() ?? [];
    let readiness: Readiness;
    try {
      const [pending, barrier] = await Promise.all([
        pendingMigrations(this.database.pool, this.database.migrations),
        readBarrierAgeMs(this.database.pool),
      ]);
      const running = processors.every((p) => p.state === 'active' || p.state === 'standby');
      const flowing = barrier <= READ_BARRIER_MAX_AGE_MS;
      readiness = {
        status: pending.length === 0 && running && flowing ? 'ready' : 'not_ready',
        database: 'up',
        pendingMigrations: pending,
        processors,
        readBarrierAgeMs: barrier,
      };
    } catch {
      readiness = {
        status: 'not_ready',
        database: 'down',
        pendingMigrations: [],
        processors,
        readBarrierAgeMs: null,
      };
    }
    response.status(readiness.status === 'ready' ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    return readiness;
  }
}

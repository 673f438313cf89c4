import { randomBytes, randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { AccessChain, AccessEntry, AccessLog, accessLogMigrations } from '@relais/access-log';
import { migrate } from '@relais/database';
import {
  benchScale,
  formatNumber,
  formatTable,
  quantileOf,
  withBenchDatabase,
  writeResults,
} from './support';

const WRITES = 5_000;
const CONCURRENCY = [1, 8, 32] as const;

/** A case read by a CPAS social worker: the size of a real entry. */
const anEntry = (): AccessEntry => ({
  at: new Date('2026-11-20T10:00:00+01:00'),
  staffId: randomUUID(),
  organisationId: 'cpas-ciney',
  route: 'GET /api/v1/cases/:id',
  purpose: 'case_follow_up',
  outcome: 'allowed',
  status: 200,
  caseIds: [randomUUID()],
  subjectIds: [randomUUID(), randomUUID(), randomUUID()],
  requestId: randomUUID(),
  clientAddress: '127.0.0.1',
});

/**
 * `npm run bench -- access-log`: what an access-log entry adds to a read: the latency of one
 * write (one transaction, the day's head locked) with 1, 8 and 32 requests writing at once into
 * the same day's chain, and how fast `access-log verify` walks the chain.
 */
export async function runAccessLogBench(): Promise<void> {
  const startedAt = new Date();
  const writes = Math.max(100, Math.round(WRITES * benchScale()));
  await withBenchDatabase(async (db) => {
    const pool = new Pool({ connectionString: db.url, max: 32 });
    try {
      await migrate(pool, accessLogMigrations);
      const log = new AccessLog(pool, new AccessChain(randomBytes(32)));
      for (let i = 0; i < 200; i++) await log.write(anEntry());
      const rows: string[][] = [];
      const results = [];
      for (const concurrency of CONCURRENCY) {
        const latencies: number[] = [];
        let next = 0;
        const began = performance.now();
        await Promise.all(
          Array.from({ length: concurrency }, async () => {
            while (next++ < writes) {
              const start = performance.now();
              await log.write(anEntry());
              latencies.push(performance.now() - start);
            }
          }),
        );
        const seconds = (performance.now() - began) / 1000;
        latencies.sort((a, b) => a - b);
        const result = {
          concurrency,
          writes,
          perSecond: writes / seconds,
          p50Ms: quantileOf(latencies, 0.5),
          p95Ms: quantileOf(latencies, 0.95),
          p99Ms: quantileOf(latencies, 0.99),
        };
        results.push(result);
        rows.push([
          `${concurrency} at once`,
          formatNumber(result.perSecond),
          result.p50Ms.toFixed(2),
          result.p95Ms.toFixed(2),
          result.p99Ms.toFixed(2),
        ]);
      }
      const began = performance.now();
      const verified = await log.verify();
      const verifySeconds = (performance.now() - began) / 1000;
      if (verified.broken) throw new Error(`The chain broke: ${verified.broken.message}`);
      console.log(
        formatTable(['access-log writes', 'entries/s', 'p50 ms', 'p95 ms', 'p99 ms'], rows),
      );
      console.log(
        `\nverify: ${formatNumber(verified.entries)} entries in ${verifySeconds.toFixed(2)} s ` +
          `(${formatNumber(verified.entries / verifySeconds)} entries/s), on ${db.server}`,
      );
      const file = await writeResults('access-log', startedAt, {
        startedAt,
        server: db.server,
        writes: results,
        verify: { entries: verified.entries, seconds: verifySeconds },
      });
      console.log(`\nResults: ${file}`);
    } finally {
      await pool.end();
    }
  });
}

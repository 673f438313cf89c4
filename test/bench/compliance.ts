import { ConsoleLogger } from '@nestjs/common';
import { complianceRebuild } from '@relais/compliance';
import { PostgresEventStore, rebuildProjection } from '@relais/event-store';
import { dinantNetwork } from '@relais/network';
import { brusselsDate, startRelais } from '@relais/platform';
import { NetworkProjection, ProtocolVersionsProjection } from '@relais/read-models';
import { ApiModule } from '../../apps/api/src/api.module';
import { seedDemo } from '../../apps/api/src/seed/demo-seed';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { networkHistory } from '../support/network-history';
import {
  benchScale,
  formatTable,
  inProcessConfig,
  quantileOf,
  withBenchDatabase,
  writeResults,
} from './support';

const CASES = 40_000;
const OBLIGATIONS_PER_CASE = 5;
const FILLER_PER_CASE = 7;
const WRITERS = 8;
const REQUESTS = 300;
const WARM_UP = 30;
const P95_TARGET_MS = 50;
const REBUILD_TARGET = 50_000;

/**
 * Two years of the Dinant network (about 1,000,000 events, 200,000 obligations) written straight
 * to the store; then a full rebuild of the compliance read models, and the latency of the summary
 * and the follow-up list over HTTP as management would ask for them.
 */
export async function runComplianceBench(): Promise<void> {
  const startedAt = new Date();
  const cases = Math.round(CASES * benchScale());
  await withBenchDatabase(async (db) => {
    const { config, removeKeyring } = await inProcessConfig(db);
    // The api, and only the projections sign-in needs: the compliance tables are the rebuild's.
    const relais = await startRelais(
      config,
      [ApiModule, WorkerModule.forRoot([NetworkProjection, ProtocolVersionsProjection])],
      {
        logger: new ConsoleLogger('bench', { logLevels: ['error'] }),
        afterStart: async (app) => {
          await seedDemo(app, config);
        },
      },
    );
    try {
      const store = relais.app.get(PostgresEventStore);
      const today = brusselsDate(new Date());
      const from = `${Number(today.slice(0, 4)) - 2}${today.slice(4)}`;
      process.stdout.write(`Writing ${cases.toLocaleString('en')} cases of history…\n`);
      const history = networkHistory({
        cases,
        obligationsPerCase: OBLIGATIONS_PER_CASE,
        fillerPerCase: FILLER_PER_CASE,
        from,
        to: today,
        seed: 7,
      });
      const writeStarted = performance.now();
      await Promise.all(
        Array.from({ length: WRITERS }, async () => {
          for (let next = history.next(); !next.done; next = history.next()) {
            const { streamId, events, recordedAt } = next.value;
            await store.append(streamId, events, { expectedVersion: 'no_stream', recordedAt });
          }
        }),
      );
      const writeSeconds = (performance.now() - writeStarted) / 1000;
      const { pool } = relais.database;
      const count = async (sql: string) =>
        Number((await pool.query<{ n: string }>(sql)).rows[0]?.n ?? 0);
      const events = await count('select count(*) as n from events');
      const obligations = await count(
        "select count(*) as n from events where type = 'ObligationOpened'",
      );
      process.stdout.write(
        `${events.toLocaleString('en')} events (${obligations.toLocaleString('en')} obligations) in ${writeSeconds.toFixed(0)} s\n`,
      );

      let peakRss = process.memoryUsage().rss;
      const sampler = setInterval(() => {
        peakRss = Math.max(peakRss, process.memoryUsage().rss);
      }, 100);
      const rebuild = await rebuildProjection(pool, store, complianceRebuild(dinantNetwork()), {
        onProgress: (p) =>
          process.stdout.write(
            `  rebuild: ${p.processed.toLocaleString('en')} / ${p.total.toLocaleString('en')} events, ${p.eventsPerSecond.toLocaleString('en')} events/s\n`,
          ),
      });
      clearInterval(sampler);
      const factRows = await count('select count(*) as n from compliance_obligations');

      const token = async (email: string) => {
        const response = await fetch(`${relais.url}/api/v1/auth/token`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email, password: config.demoPassword }),
        });
        return ((await response.json()) as { accessToken: string }).accessToken;
      };
      const coordinator = await token('coordination@relais.demo');
      const manager = await token('chef@cpas-ciney.demo');
      const queries: [string, string, string][] = [
        ['summary, network, 12 months (coordinator)', '/api/v1/compliance/summary', coordinator],
        ['summary, one CPAS, 12 months (manager)', '/api/v1/compliance/summary', manager],
        [
          'summary, network, 24 months (coordinator)',
          `/api/v1/compliance/summary?from=${from.slice(0, 7)}`,
          coordinator,
        ],
        [
          'follow-up, breached, page 1 of 50 (coordinator)',
          '/api/v1/compliance/obligations?status=breached',
          coordinator,
        ],
        [
          'follow-up, breached, page 100 of 50 (coordinator)',
          '/api/v1/compliance/obligations?status=breached&page=100',
          coordinator,
        ],
        ['follow-up, open (manager)', '/api/v1/compliance/obligations?status=open', manager],
        [
          'follow-up, at risk (coordinator)',
          '/api/v1/compliance/obligations?status=at_risk',
          coordinator,
        ],
      ];
      const latencies: {
        query: string;
        p50Ms: number;
        p95Ms: number;
        p99Ms: number;
        met: boolean;
      }[] = [];
      for (const [label, path, bearer] of queries) {
        const times: number[] = [];
        for (let i = 0; i < WARM_UP + REQUESTS; i++) {
          const began = performance.now();
          const response = await fetch(`${relais.url}${path}`, {
            headers: { authorization: `Bearer ${bearer}` },
          });
          await response.arrayBuffer();
          if (response.status !== 200) throw new Error(`${path} answered ${response.status}`);
          if (i >= WARM_UP) times.push(performance.now() - began);
        }
        times.sort((a, b) => a - b);
        const p95Ms = quantileOf(times, 0.95);
        latencies.push({
          query: label,
          p50Ms: quantileOf(times, 0.5),
          p95Ms,
          p99Ms: quantileOf(times, 0.99),
          met: p95Ms <= P95_TARGET_MS,
        });
      }

      console.log(
        `\n${formatTable(
          [
            'rebuild',
            'events',
            'fact rows',
            'seconds',
            'events/s',
            'peak RSS MiB',
            'target',
            'met',
          ],
          [
            [
              'compliance',
              String(rebuild.processed),
              String(factRows),
              rebuild.elapsedSeconds.toFixed(1),
              String(rebuild.eventsPerSecond),
              String(Math.round(peakRss / 1024 / 1024)),
              `≥ ${REBUILD_TARGET.toLocaleString('en')} events/s`,
              rebuild.eventsPerSecond >= REBUILD_TARGET ? 'yes' : 'NO',
            ],
          ],
        )}\n`,
      );
      console.log(
        formatTable(
          ['query', 'p50 ms', 'p95 ms', 'p99 ms', 'target', 'met'],
          latencies.map((l) => [
            l.query,
            l.p50Ms.toFixed(1),
            l.p95Ms.toFixed(1),
            l.p99Ms.toFixed(1),
            `p95 ≤ ${P95_TARGET_MS} ms`,
            l.met ? 'yes' : 'NO',
          ]),
        ),
      );
      const file = await writeResults('compliance', startedAt, {
        bench: 'compliance',
        startedAt: startedAt.toISOString(),
        server: db.server,
        history: { cases, events, obligations, from, to: today, writeSeconds },
        rebuild: { ...rebuild, factRows, peakRssMiB: Math.round(peakRss / 1024 / 1024) },
        latencies,
      });
      console.log(`\nResults: ${file}`);
    } finally {
      await relais.stop();
      await removeKeyring();
    }
  });
}

import { ConsoleLogger } from '@nestjs/common';
import { AccessLog } from '@relais/access-log';
import { startRelais } from '@relais/platform';
import { ApiModule } from '../../apps/api/src/api.module';
import { seedDemo } from '../../apps/api/src/seed/demo-seed';
import { WORKER_PROCESSORS, WorkerModule } from '../../apps/worker/src/worker.module';
import { apiOf, demoToken, joinedBy } from '../support/api';
import {
  benchScale,
  formatTable,
  inProcessConfig,
  quantileOf,
  withBenchDatabase,
  writeResults,
} from './support';

const CASES = 40;
const REQUESTS = 1_000;
const BLOCK = 50;
const WARM_UP = 50;

type Mode = 'logged' | 'unlogged';

interface PathResult {
  readonly path: string;
  readonly reader: string;
  readonly entriesPerRequest: number;
  readonly modes: Record<Mode, { p50Ms: number; p95Ms: number; p99Ms: number }>;
  readonly addedP50Ms: number;
  readonly addedP95Ms: number;
  readonly addedP99Ms: number;
}

const quantiles = (sorted: readonly number[]) => ({
  p50Ms: quantileOf(sorted, 0.5),
  p95Ms: quantileOf(sorted, 0.95),
  p99Ms: quantileOf(sorted, 0.99),
});

/**
 * `npm run bench -- read-logging`: what the access log costs the read paths of notify and
 * compliance, in one process and one run. The inbox (`GET /inbox`, one entry per read), the
 * follow-up list (`GET /compliance/obligations`, one entry) and the compliance summary (no entry:
 * figures only) are read one request at a time, in alternating blocks with the entry written as
 * the app writes it and with the log's write replaced, for this process only, by one that writes
 * nothing; the write itself is timed too. The switch lives here, not in the app: the app has no
 * way to answer a read unlogged.
 */
export async function runReadLoggingBench(): Promise<void> {
  const startedAt = new Date();
  const requests = Math.max(200, Math.round(REQUESTS * benchScale()));
  const cases = Math.max(5, Math.round(CASES * benchScale()));
  await withBenchDatabase(async (db) => {
    const { config, removeKeyring } = await inProcessConfig(db);
    const relais = await startRelais(config, [ApiModule, WorkerModule.forRoot(WORKER_PROCESSORS)], {
      logger: new ConsoleLogger('bench', { logLevels: ['error'] }),
      afterStart: async (app) => {
        await seedDemo(app, config);
      },
    });
    try {
      const call = apiOf(relais);
      const as = await demoToken(call, 'as@cpas-ciney.demo');
      const delegate = await demoToken(call, 'delegue1@saj-dinant.demo');
      const manager = await demoToken(call, 'chef@saj-dinant.demo');
      const coordinator = await demoToken(call, 'coordination@relais.demo');
      const today = new Date().toISOString().slice(0, 10);
      process.stdout.write(`Opening ${cases} cases with the SAJ, each with a RIS suppression…\n`);
      for (let i = 0; i < cases; i++) {
        const opened = await call<{ caseId: string }>('POST', '/api/v1/cases', as, {
          occurredOn: today,
          residenceCommune: '91030',
          legalBasis: 'legal_obligation',
          familyMembers: [
            { role: 'parent', firstName: 'Banc', lastName: `Essai${i}` },
            { role: 'child', firstName: 'Petit', lastName: `Essai${i}` },
          ],
        });
        if (opened.status !== 201) throw new Error(`POST /cases answered ${opened.status}`);
        const caseId = opened.body.caseId;
        await joinedBy(call, as, caseId, 'saj-dinant', {
          legalBasis: 'judicial_mandate',
          on: today,
        });
        const ris = await call('POST', `/api/v1/cases/${caseId}/events`, as, {
          type: 'RisSuppressed',
          occurredOn: today,
          reason: 'resources_above_threshold',
          effectiveOn: today,
        });
        if (ris.status !== 201) throw new Error(`RisSuppressed answered ${ris.status}`);
      }
      for (let tries = 0; ; tries++) {
        const inbox = await call<unknown[]>('GET', '/api/v1/inbox', delegate);
        if (inbox.body.length >= cases) break;
        if (tries > 300) throw new Error(`The inbox holds ${inbox.body.length} of ${cases}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }

      // The bench's switch: the same AccessLog instance the app writes through.
      const log = relais.app.get(AccessLog);
      const write = log.write.bind(log);
      const writeTimes: number[] = [];
      const setMode = (mode: Mode) => {
        log.write =
          mode === 'logged'
            ? async (entry) => {
                const began = performance.now();
                await write(entry);
                writeTimes.push(performance.now() - began);
              }
            : () => Promise.resolve();
      };
      const entries = async () =>
        Number(
          (await relais.database.pool.query<{ n: string }>('select count(*) as n from access_log'))
            .rows[0]?.n,
        );

      const paths: [string, string, string][] = [
        ['GET /api/v1/inbox', 'SAJ delegate', delegate],
        ['GET /api/v1/compliance/obligations', 'SAJ manager', manager],
        ['GET /api/v1/compliance/summary', 'coordinator', coordinator],
      ];
      const results: PathResult[] = [];
      const writes: Record<string, { p50Ms: number; p95Ms: number; p99Ms: number }> = {};
      for (const [route, reader, bearer] of paths) {
        const url = `${relais.url}${route.replace('GET ', '')}`;
        const get = async () => {
          const began = performance.now();
          const response = await fetch(url, { headers: { authorization: `Bearer ${bearer}` } });
          await response.arrayBuffer();
          if (response.status !== 200) throw new Error(`${route} answered ${response.status}`);
          return performance.now() - began;
        };
        setMode('logged');
        for (let i = 0; i < WARM_UP; i++) await get();
        const times: Record<Mode, number[]> = { logged: [], unlogged: [] };
        writeTimes.length = 0;
        const before = await entries();
        let loggedRequests = 0;
        for (let done = 0; done < 2 * requests; done += BLOCK) {
          const mode: Mode = (done / BLOCK) % 2 === 0 ? 'logged' : 'unlogged';
          setMode(mode);
          for (let i = 0; i < BLOCK; i++) times[mode].push(await get());
          if (mode === 'logged') loggedRequests += BLOCK;
        }
        setMode('logged');
        const written = (await entries()) - before;
        for (const mode of ['logged', 'unlogged'] as const) times[mode].sort((a, b) => a - b);
        const logged = quantiles(times.logged);
        const unlogged = quantiles(times.unlogged);
        writeTimes.sort((a, b) => a - b);
        writes[route] = quantiles(writeTimes);
        results.push({
          path: route,
          reader,
          entriesPerRequest: written / loggedRequests,
          modes: { logged, unlogged },
          addedP50Ms: logged.p50Ms - unlogged.p50Ms,
          addedP95Ms: logged.p95Ms - unlogged.p95Ms,
          addedP99Ms: logged.p99Ms - unlogged.p99Ms,
        });
      }

      const ms = (n: number) => n.toFixed(2);
      console.log(
        `\n${formatTable(
          [
            'read',
            'entries/read',
            'logged p50/p95/p99 ms',
            'unlogged p50/p95/p99 ms',
            'added p50/p95/p99 ms',
            'log write p50/p95/p99 ms',
          ],
          results.map((r) => {
            const w = writes[r.path];
            return [
              `${r.path} (${r.reader})`,
              r.entriesPerRequest.toFixed(2),
              `${ms(r.modes.logged.p50Ms)} / ${ms(r.modes.logged.p95Ms)} / ${ms(r.modes.logged.p99Ms)}`,
              `${ms(r.modes.unlogged.p50Ms)} / ${ms(r.modes.unlogged.p95Ms)} / ${ms(r.modes.unlogged.p99Ms)}`,
              `${ms(r.addedP50Ms)} / ${ms(r.addedP95Ms)} / ${ms(r.addedP99Ms)}`,
              w && r.entriesPerRequest > 0
                ? `${ms(w.p50Ms)} / ${ms(w.p95Ms)} / ${ms(w.p99Ms)}`
                : '-',
            ];
          }),
        )}`,
      );
      console.log(
        `\n${requests} requests per mode and read, one at a time, in blocks of ${BLOCK}; ` +
          `${cases} notifications in the inbox; on ${db.server}`,
      );
      const file = await writeResults('read-logging', startedAt, {
        startedAt,
        server: db.server,
        requests,
        cases,
        results,
        writes,
      });
      console.log(`\nResults: ${file}`);
    } finally {
      await relais.stop();
      await removeKeyring();
    }
  });
}

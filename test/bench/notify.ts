import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConsoleLogger } from '@nestjs/common';
import { loadConfig } from '@relais/config';
import { startRelais, uuidFromName } from '@relais/platform';
import { ApiModule } from '../../apps/api/src/api.module';
import { seedDemo } from '../../apps/api/src/seed/demo-seed';
import { WORKER_PROCESSORS, WorkerModule } from '../../apps/worker/src/worker.module';
import { apiOf, joinedBy } from '../support/api';
import { benchScale, formatTable, quantileOf, withBenchDatabase, writeResults } from './support';

const RATE_PER_SECOND = 50;
const SECONDS = 60;
const CASES = 25;
const P99_TARGET_MS = 100;

/**
 * From a RIS suppression logged over HTTP to its notification visible in the SAJ's inbox, at 50
 * events/s sustained: the api, the worker and this load all run in one process on this machine.
 */
export async function runNotifyBench(): Promise<void> {
  const startedAt = new Date();
  const events = Math.round(RATE_PER_SECOND * SECONDS * benchScale());
  await withBenchDatabase(async (db) => {
    const keyring = await mkdtemp(join(tmpdir(), 'relais-bench-keys-'));
    const config = loadConfig({
      DATABASE_URL: db.url,
      RELAIS_VAULT_KEY: randomBytes(32).toString('base64'),
      RELAIS_VAULT_KEYRING: keyring,
      RELAIS_TOKEN_SECRET: randomBytes(32).toString('hex'),
      RELAIS_SEED_DEMO: 'always',
      PORT: '0',
    });
    const relais = await startRelais(config, [ApiModule, WorkerModule.forRoot(WORKER_PROCESSORS)], {
      logger: new ConsoleLogger('bench', { logLevels: ['error'] }),
      afterStart: async (app) => {
        await seedDemo(app, config);
      },
    });
    try {
      await waitFor(
        async () =>
          Number(
            (await relais.database.pool.query<{ n: string }>('select count(*) as n from staff'))
              .rows[0]?.n,
          ) > 0,
      );
      const post = async (path: string, token: string | undefined, body: unknown) => {
        const response = await fetch(`${relais.url}${path}`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            ...(token ? { authorization: `Bearer ${token}` } : {}),
          },
          body: JSON.stringify(body),
        });
        return {
          status: response.status,
          body: (await response.json()) as Record<string, unknown>,
        };
      };
      const token = String(
        (
          await post('/api/v1/auth/token', undefined, {
            email: 'as@cpas-ciney.demo',
            password: config.demoPassword,
          })
        ).body.accessToken,
      );
      const cases: string[] = [];
      for (let i = 0; i < CASES; i++) {
        const opened = await post('/api/v1/cases', token, {
          occurredOn: '2026-11-02',
          residenceCommune: '91030',
          legalBasis: 'legal_obligation',
          familyMembers: [{ role: 'parent', firstName: 'Bench', lastName: `Famille ${i}` }],
        });
        const caseId = String(opened.body.caseId);
        await joinedBy(apiOf(relais), token, caseId, 'saj-dinant', {
          legalBasis: 'judicial_mandate',
        });
        cases.push(caseId);
      }

      // Waiting: obligation id -> when its event was sent. Seen: latencies in ms.
      const waiting = new Map<string, number>();
      const latencies: number[] = [];
      let failures = 0;
      let watching = true;
      const watcher = (async () => {
        while (watching || waiting.size > 0) {
          const ids = [...waiting.keys()];
          if (ids.length > 0) {
            const { rows } = await relais.database.pool.query<{ obligation_id: string }>(
              'select obligation_id from inbox where obligation_id = any($1::text[])',
              [ids],
            );
            const now = performance.now();
            for (const { obligation_id } of rows) {
              const sent = waiting.get(obligation_id);
              if (sent !== undefined) latencies.push(now - sent);
              waiting.delete(obligation_id);
            }
          }
          await new Promise((r) => setTimeout(r, 2));
        }
      })();

      const began = performance.now();
      const sends: Promise<void>[] = [];
      for (let i = 0; i < events; i++) {
        const due = began + (i * 1000) / RATE_PER_SECOND;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        const caseId = cases[i % cases.length] ?? '';
        const sent = performance.now();
        sends.push(
          post(`/api/v1/cases/${caseId}/events`, token, {
            type: 'RisSuppressed',
            occurredOn: '2026-11-20',
            reason: 'other',
            effectiveOn: '2026-11-20',
          }).then(({ status, body }) => {
            const eventId = Array.isArray(body.eventIds) ? String(body.eventIds[0]) : '';
            if (status !== 201) {
              failures++;
              return;
            }
            const obligationId = uuidFromName(
              `obligation:dinant-cpas-saj/cpas-ris-suppressed/${eventId}/saj-dinant`,
            );
            // Seen before the answer came back: it is found at the next poll, a slight overestimate.
            waiting.set(obligationId, sent);
          }),
        );
      }
      await Promise.all(sends);
      const loadSeconds = (performance.now() - began) / 1000;
      const deadline = performance.now() + 30_000;
      while (waiting.size > 0 && performance.now() < deadline)
        await new Promise((r) => setTimeout(r, 20));
      watching = false;
      const lost = waiting.size;
      waiting.clear();
      await watcher;

      latencies.sort((a, b) => a - b);
      const at = (q: number) => quantileOf(latencies, q);
      const result = {
        events,
        seconds: loadSeconds,
        ratePerSecond: events / loadSeconds,
        delivered: latencies.length,
        failures,
        lost,
        p50Ms: at(0.5),
        p95Ms: at(0.95),
        p99Ms: at(0.99),
        maxMs: latencies[latencies.length - 1] ?? NaN,
        target: `p99 ≤ ${P99_TARGET_MS} ms at ${RATE_PER_SECOND} events/s`,
        met: failures === 0 && lost === 0 && at(0.99) <= P99_TARGET_MS,
      };
      console.log(
        formatTable(
          [
            'events',
            'rate/s',
            'delivered',
            'p50 ms',
            'p95 ms',
            'p99 ms',
            'max ms',
            'target',
            'met',
          ],
          [
            [
              String(result.events),
              result.ratePerSecond.toFixed(1),
              String(result.delivered),
              result.p50Ms.toFixed(1),
              result.p95Ms.toFixed(1),
              result.p99Ms.toFixed(1),
              result.maxMs.toFixed(1),
              result.target,
              result.met ? 'yes' : 'NO',
            ],
          ],
        ),
      );
      const file = await writeResults('notify', startedAt, {
        bench: 'notify',
        startedAt: startedAt.toISOString(),
        server: db.server,
        ...result,
      });
      console.log(`\nResults: ${file}`);
    } finally {
      await relais.stop();
      await rm(keyring, { recursive: true, force: true });
    }
  });
}

async function waitFor(condition: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 400 && !(await condition()); i++) await new Promise((r) => setTimeout(r, 25));
}

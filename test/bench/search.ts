import { ConsoleLogger } from '@nestjs/common';
import { startRelais } from '@relais/platform';
import { ApiModule } from '../../apps/api/src/api.module';
import { seedDemo } from '../../apps/api/src/seed/demo-seed';
import { WORKER_PROCESSORS, WorkerModule } from '../../apps/worker/src/worker.module';
import { apiOf, demoToken } from '../support/api';
import {
  benchScale,
  formatTable,
  inProcessConfig,
  quantileOf,
  withBenchDatabase,
  writeResults,
} from './support';

const CASES = 10_000;
const SEARCHES = 300;
const WARM_UP = 20;
const OPENING_CONCURRENCY = 8;
/** 200 last names by 25 first names: a last name stands in about 50 cases, a full name in 2. */
const LAST_NAMES = 200;
const FIRST_NAMES = ['Aurélie', 'Benoît', 'Céline', 'Denis', 'Élodie'].flatMap((n) =>
  ['', '-Marie', '-Anne', '-Luc', '-Paul'].map((s) => `${n}${s}`),
);

/** A NISS with its check digits, one per `i`: born in 1985, on a day and sequence from `i`. */
function nissOf(i: number): string {
  const two = (n: number) => String(n).padStart(2, '0');
  const base = `85${two(1 + (i % 12))}${two(1 + (Math.floor(i / 12) % 28))}${String(Math.floor(i / 336)).padStart(3, '0')}`;
  return `${base}${two(97 - Number(BigInt(base) % 97n))}`;
}

const familyOf = (i: number) => ({
  firstName: FIRST_NAMES[i % FIRST_NAMES.length] ?? 'Aurélie',
  lastName: `Banc-Essai${Math.floor(i / FIRST_NAMES.length) % LAST_NAMES}`,
});

/**
 * `npm run bench -- search`: `GET /cases?q=` on one organisation's 10,000 cases (BENCH_SCALE
 * scales them), over HTTP with the whole app in this process: a last name, a full name, a NISS
 * and a case reference, one request at a time, each answer carrying the families by name from
 * the vault.
 */
export async function runSearchBench(): Promise<void> {
  const startedAt = new Date();
  const cases = Math.max(100, Math.round(CASES * benchScale()));
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
      const today = new Date().toISOString().slice(0, 10);
      process.stdout.write(`Opening ${cases} cases for CPAS Ciney…\n`);
      const openedAt = performance.now();
      const caseIds: string[] = [];
      let next = 0;
      await Promise.all(
        Array.from({ length: OPENING_CONCURRENCY }, async () => {
          for (let i = next++; i < cases; i = next++) {
            const { firstName, lastName } = familyOf(i);
            const opened = await call<{ caseId: string }>('POST', '/api/v1/cases', as, {
              occurredOn: today,
              residenceCommune: '91030',
              legalBasis: 'legal_obligation',
              familyMembers: [
                { role: 'parent', firstName, lastName, niss: nissOf(i) },
                { role: 'child', firstName: 'Petit', lastName },
              ],
            });
            if (opened.status !== 201) throw new Error(`POST /cases answered ${opened.status}`);
            caseIds[i] = opened.body.caseId;
          }
        }),
      );
      const openingSeconds = (performance.now() - openedAt) / 1000;
      for (let tries = 0; ; tries++) {
        const { rows } = await relais.database.pool.query<{ n: string }>(
          `select count(*) as n from case_summaries where partner_ids @> array['cpas-ciney']`,
        );
        if (Number(rows[0]?.n) >= cases) break;
        if (tries > 1200) throw new Error(`case_summaries holds ${rows[0]?.n} of ${cases}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const { rows: references } = await relais.database.pool.query<{ reference: string }>(
        `select reference from case_summaries where case_id = any($1::text[])`,
        [caseIds],
      );

      const pick = (n: number) => Math.floor(Math.random() * n);
      const kinds: [string, () => string][] = [
        ['last name', () => familyOf(pick(cases)).lastName],
        [
          'first and last name',
          () => {
            const f = familyOf(pick(cases));
            return `${f.firstName} ${f.lastName}`;
          },
        ],
        ['NISS (dots and dashes)', () => nissOf(pick(cases)).replace(/^(\d{6})(\d{3})/, '$1-$2.')],
        ['case reference', () => references[pick(references.length)]?.reference ?? ''],
      ];
      const results: {
        kind: string;
        p50Ms: number;
        p95Ms: number;
        p99Ms: number;
        meanMatches: number;
      }[] = [];
      for (const [kind, typed] of kinds) {
        const search = async () => {
          const began = performance.now();
          const response = await fetch(
            `${relais.url}/api/v1/cases?q=${encodeURIComponent(typed())}`,
            { headers: { authorization: `Bearer ${as}` } },
          );
          const found = (await response.json()) as unknown[];
          if (response.status !== 200) throw new Error(`GET /cases?q= answered ${response.status}`);
          return { ms: performance.now() - began, matches: found.length };
        };
        for (let i = 0; i < WARM_UP; i++) await search();
        const times: number[] = [];
        let matches = 0;
        for (let i = 0; i < SEARCHES; i++) {
          const { ms, matches: n } = await search();
          times.push(ms);
          matches += n;
        }
        times.sort((a, b) => a - b);
        results.push({
          kind,
          p50Ms: quantileOf(times, 0.5),
          p95Ms: quantileOf(times, 0.95),
          p99Ms: quantileOf(times, 0.99),
          meanMatches: matches / SEARCHES,
        });
      }

      const ms = (n: number) => n.toFixed(1);
      console.log(
        `\n${formatTable(
          ['GET /cases?q=', 'cases found (mean)', 'p50 ms', 'p95 ms', 'p99 ms'],
          results.map((r) => [
            r.kind,
            r.meanMatches.toFixed(1),
            ms(r.p50Ms),
            ms(r.p95Ms),
            ms(r.p99Ms),
          ]),
        )}`,
      );
      console.log(
        `\n${cases} cases of CPAS Ciney (opened in ${openingSeconds.toFixed(0)} s), ` +
          `${SEARCHES} searches of each kind, one at a time; on ${db.server}`,
      );
      const file = await writeResults('search', startedAt, {
        startedAt,
        server: db.server,
        cases,
        searches: SEARCHES,
        openingSeconds,
        results,
      });
      console.log(`\nResults: ${file}`);
    } finally {
      await relais.stop();
      await removeKeyring();
    }
  });
}

import { ConsoleLogger } from '@nestjs/common';
import { caseStreamId } from '@relais/domain';
import { PostgresEventStore } from '@relais/event-store';
import { startRelais, uuidFromName } from '@relais/platform';
import { CaseSummaries, CaseSummariesProjection, NetworkProjection } from '@relais/read-models';
import { FamilyNames } from '../../apps/api/src/cases/family-names';
import { SubjectVault } from '@relais/vault';
import { ApiModule } from '../../apps/api/src/api.module';
import { seedDemo } from '../../apps/api/src/seed/demo-seed';
import { WorkerModule } from '../../apps/worker/src/worker.module';
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
const SEARCHES = 100;
const WARM_UP = 10;
const WRITERS = 8;
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
 * scales them), over HTTP with the api in this process: a last name, a full name, a NISS and a
 * case reference, then the unfiltered list's first and second pages, one request at a time, each
 * answer carrying the families by name from the vault. The cases are written as opening writes
 * them, without HTTP (over HTTP the 10,000 openings took 13 minutes): each person registered in
 * the vault (with the blind index's digests), the case's first events appended to the store, and
 * the cases list built by its own projection.
 */
export async function runSearchBench(): Promise<void> {
  const startedAt = new Date();
  const cases = Math.max(100, Math.round(CASES * benchScale()));
  await withBenchDatabase(async (db) => {
    const { config, removeKeyring } = await inProcessConfig(db);
    const relais = await startRelais(
      config,
      [ApiModule, WorkerModule.forRoot([NetworkProjection, CaseSummariesProjection])],
      {
        logger: new ConsoleLogger('bench', { logLevels: ['error'] }),
        afterStart: async (app) => {
          await seedDemo(app, config);
        },
      },
    );
    try {
      const call = apiOf(relais);
      const as = await demoToken(call, 'as@cpas-ciney.demo');
      const me = (await call<{ staffId: string }>('GET', '/api/v1/me', as)).body.staffId;
      const vault = relais.app.get(SubjectVault);
      const store = relais.app.get(PostgresEventStore);
      const today = new Date().toISOString().slice(0, 10);
      process.stdout.write(`Writing ${cases} cases for CPAS Ciney…\n`);
      const openedAt = performance.now();
      const caseIds: string[] = [];
      let next = 0;
      await Promise.all(
        Array.from({ length: WRITERS }, async () => {
          for (let i = next++; i < cases; i = next++) {
            const { firstName, lastName } = familyOf(i);
            const caseId = uuidFromName(`search-bench:${i}`);
            const subjects = [
              {
                subjectId: await vault.register(
                  { firstName, lastName, niss: nissOf(i) },
                  uuidFromName(`${caseId}:parent`),
                ),
                role: 'parent',
              },
              {
                subjectId: await vault.register(
                  { firstName: 'Petit', lastName },
                  uuidFromName(`${caseId}:child`),
                ),
                role: 'child',
              },
            ];
            const logged = { caseId, occurredOn: today, organisationId: 'cpas-ciney' };
            await store.append(
              caseStreamId(caseId),
              [
                {
                  eventId: uuidFromName(`${caseId}:opened`),
                  type: 'CaseOpened',
                  data: {
                    ...logged,
                    reference: `CIN-${today.slice(0, 4)}-${caseId.slice(0, 4).toUpperCase()}`,
                    residenceCommune: '91030',
                    subjects,
                  },
                },
                {
                  eventId: uuidFromName(`${caseId}:joined`),
                  type: 'PartnerJoined',
                  data: {
                    ...logged,
                    partnerId: 'cpas-ciney',
                    partnerKind: 'CPAS',
                    assignedStaffIds: [me],
                    legalBasis: 'legal_obligation',
                  },
                },
              ],
              { expectedVersion: 'no_stream' },
            );
            caseIds[i] = caseId;
          }
        }),
      );
      const openingSeconds = (performance.now() - openedAt) / 1000;
      for (let tries = 0; ; tries++) {
        const { rows } = await relais.database.pool.query<{ n: string }>(
          `select count(*) as n from case_summaries where case_id = any($1::text[])`,
          [caseIds],
        );
        if (Number(rows[0]?.n) >= cases) break;
        if (tries > 1200) throw new Error(`case_summaries holds ${rows[0]?.n} of ${cases}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      // As autovacuum leaves the tables a while after such a load: statistics, GIN pending lists merged.
      await relais.database.pool.query('vacuum analyze');
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
      // The unfiltered list: its first page, and the page after it (the cursor of the first).
      const first = await call<{ next: string | null }>('GET', '/api/v1/cases', as);
      const pages: [string, string][] = [
        ['first page (50)', '/api/v1/cases'],
        ['second page (50)', `/api/v1/cases?after=${encodeURIComponent(first.body.next ?? '')}`],
      ];
      const results: {
        kind: string;
        p50Ms: number;
        p95Ms: number;
        p99Ms: number;
        meanMatches: number;
      }[] = [];
      const runs: [string, () => string][] = [
        ...kinds.map(([kind, typed]): [string, () => string] => [
          `q: ${kind}`,
          () => `/api/v1/cases?q=${encodeURIComponent(typed())}`,
        ]),
        ...pages.map(([kind, path]): [string, () => string] => [kind, () => path]),
      ];
      for (const [kind, path] of runs) {
        const search = async () => {
          const began = performance.now();
          const response = await fetch(`${relais.url}${path()}`, {
            headers: { authorization: `Bearer ${as}` },
          });
          const found = (await response.json()) as { items: unknown[] };
          if (response.status !== 200) throw new Error(`GET ${path()} answered ${response.status}`);
          return { ms: performance.now() - began, matches: found.items.length };
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

      // Where a last name's search spends its time inside the api, without HTTP, the token's
      // account read and the access log: the blind index, the list query, naming the families.
      const summaries = relais.app.get(CaseSummaries);
      const names = relais.app.get(FamilyNames);
      const steps: Record<'blind index' | 'list query' | 'family names', number[]> = {
        'blind index': [],
        'list query': [],
        'family names': [],
      };
      for (let i = 0; i < SEARCHES; i++) {
        const { lastName } = familyOf(pick(cases));
        let began = performance.now();
        const subjectIds = await vault.findByNameWords(lastName);
        steps['blind index'].push(performance.now() - began);
        began = performance.now();
        const { rows } = await summaries.forOrganisation(
          'cpas-ciney',
          { reference: lastName.toUpperCase(), subjectIds },
          { limit: 50 },
        );
        steps['list query'].push(performance.now() - began);
        began = performance.now();
        await names.name(rows);
        steps['family names'].push(performance.now() - began);
      }
      const inside = Object.entries(steps).map(([step, times]) => {
        times.sort((a, b) => a - b);
        return { step, p50Ms: quantileOf(times, 0.5), p95Ms: quantileOf(times, 0.95) };
      });

      const ms = (n: number) => n.toFixed(1);
      console.log(
        `\n${formatTable(
          ['GET /cases', 'cases found (mean)', 'p50 ms', 'p95 ms', 'p99 ms'],
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
        `\n${formatTable(
          ['a last name, inside the api', 'p50 ms', 'p95 ms'],
          inside.map((r) => [r.step, ms(r.p50Ms), ms(r.p95Ms)]),
        )}`,
      );
      console.log(
        `\n${cases} cases of CPAS Ciney (written in ${openingSeconds.toFixed(0)} s), ` +
          `${SEARCHES} searches of each kind, one at a time; on ${db.server}`,
      );
      const file = await writeResults('search', startedAt, {
        startedAt,
        server: db.server,
        cases,
        searches: SEARCHES,
        openingSeconds,
        results,
        inside,
      });
      console.log(`\nResults: ${file}`);
    } finally {
      await relais.stop();
      await removeKeyring();
    }
  });
}

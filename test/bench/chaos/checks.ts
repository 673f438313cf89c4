// What every scenario checks once its faults are over: what each 201 promised is there, once.
import { waitUntil } from './load';
import type { Acknowledged } from './load';

/** One query on whichever connection the scenario holds (a client, a pool). */
export type Query = <R extends object>(sql: string, values?: unknown[]) => Promise<R[]>;

export interface StoreCheck {
  /** Events answered 201. */
  readonly acknowledged: number;
  /** Of those, missing from the store or from their case's timeline. */
  readonly lost: number;
  /** Obligations opened more than once for one event and recipient. */
  readonly duplicatedObligations: number;
  /** Case events in the store whose obligation was never opened. */
  readonly missingObligations: number;
  readonly obligationsOpened: number;
  readonly inboxRows: number;
}

async function count(query: Query, sql: string, values?: unknown[]): Promise<number> {
  return Number((await query<{ n: string }>(sql, values))[0]?.n);
}

/** Waits until every processor's checkpoint is at the head of the store. */
export async function caughtUp(query: Query, timeoutMs = 120_000): Promise<void> {
  const started = Date.now();
  await waitUntil(
    async () =>
      (await count(
        query,
        // The head in commit order: a later commit may hold a lower position.
        `select count(*)::text as n from processor_checkpoints c
         where exists (select from events e
                       where (e.transaction_id, e.global_position) > (c.transaction_id, c.global_position))`,
      )) === 0,
    timeoutMs,
    'every processor at the head',
  ).catch(async (error: Error) => {
    const behind = await query(
      `select name, global_position, (select max(global_position) from events) as head
       from processor_checkpoints order by name`,
    );
    throw new Error(`${error.message}: ${JSON.stringify(behind)}`);
  });
  if (process.env.CHAOS_DEBUG) console.log(`caught up in ${Date.now() - started} ms`);
}

/**
 * Once the processors caught up: every acknowledged event in the store and in its case's timeline
 * (read over HTTP), one obligation per RIS suppression and recipient, one inbox row per obligation.
 */
export async function checkStore(
  query: Query,
  url: string,
  token: string,
  caseIds: readonly string[],
  acknowledged: readonly Acknowledged[],
): Promise<StoreCheck> {
  await caughtUp(query);
  const ids = acknowledged.flatMap((a) => a.eventIds);
  const stored = await count(
    query,
    'select count(*)::text as n from events where event_id = any($1::uuid[])',
    [ids],
  );
  const timeline = new Set<string>();
  for (const caseId of caseIds) {
    const answer = await fetch(`${url}/api/v1/cases/${caseId}/timeline`, {
      headers: { authorization: `Bearer ${token}` },
    });
    if (answer.status !== 200) throw new Error(`timeline of ${caseId}: ${answer.status}`);
    for (const e of (await answer.json()) as { eventId: string }[]) timeline.add(e.eventId);
  }
  return {
    acknowledged: ids.length,
    lost: ids.length - stored + ids.filter((id) => !timeline.has(id)).length,
    duplicatedObligations: await count(
      query,
      `select count(*)::text as n from (
         select 1 from events where type = 'ObligationOpened'
         group by data ->> 'eventId', data ->> 'recipientOrganisationId' having count(*) > 1) d`,
    ),
    missingObligations: await count(
      query,
      `select count(*)::text as n from events e where e.type = 'RisSuppressed'
         and not exists (select from events o where o.type = 'ObligationOpened'
                         and o.data ->> 'eventId' = e.event_id::text)`,
    ),
    obligationsOpened: await count(
      query,
      "select count(*)::text as n from events where type = 'ObligationOpened'",
    ),
    inboxRows: await count(query, 'select count(*)::text as n from inbox'),
  };
}

/** Whether a check found nothing lost, nothing doubled, nothing missing. */
export function clean(check: StoreCheck): boolean {
  return (
    check.lost === 0 &&
    check.duplicatedObligations === 0 &&
    check.missingObligations === 0 &&
    check.inboxRows === check.obligationsOpened
  );
}

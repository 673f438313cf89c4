// The load of every chaos scenario: RIS suppressions logged over HTTP by concurrent clients, each
// answer counted by its status, every 201 kept with the event ids it promised.
import { randomUUID } from 'node:crypto';

export interface Acknowledged {
  readonly caseId: string;
  readonly eventIds: readonly string[];
}

export interface LoadOutcome {
  readonly acknowledged: Acknowledged[];
  /** 503 problem+json answers (the database or a dependency unavailable: retry later). */
  readonly unavailable: number;
  /** A 503 that was not problem+json with a code: a bug. */
  readonly unavailableMalformed: number;
  /** Any other 5xx: a bug. */
  readonly otherServerErrors: number;
  /** 4xx and anything else that is neither 201 nor 5xx, by status. */
  readonly others: Record<string, number>;
  /** No answer: the connection refused or reset (a killed process), or no answer within the bound. */
  readonly noAnswer: number;
  /** Of those, requests that had no answer within `boundMs`: a hang. */
  readonly hung: number;
}

export interface LoadOptions {
  readonly clients?: number;
  /** Pause between one client's requests. */
  readonly pauseMs?: number;
  /** A request without an answer after this long counts as hung (and is abandoned). */
  readonly boundMs?: number;
  /** Told each answer's status as it comes (0: no answer). */
  readonly onAnswer?: (status: number) => void;
}

export interface Stop {
  stopped: boolean;
}

const RIS_SUPPRESSED = JSON.stringify({
  type: 'RisSuppressed',
  occurredOn: '2026-11-20',
  reason: 'other',
  effectiveOn: '2026-11-20',
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Logs RIS suppressions from `clients` clients until `stop`, each client going through the api
 * processes in turn (`urls()` is read at each request: a test may swap them).
 */
export async function load(
  urls: () => readonly string[],
  token: string,
  caseIds: readonly string[],
  stop: Stop,
  options: LoadOptions = {},
): Promise<LoadOutcome> {
  const acknowledged: Acknowledged[] = [];
  const others: Record<string, number> = {};
  let unavailable = 0;
  let unavailableMalformed = 0;
  let otherServerErrors = 0;
  let noAnswer = 0;
  let hung = 0;
  let next = 0;
  const boundMs = options.boundMs ?? 10_000;
  await Promise.all(
    Array.from({ length: options.clients ?? 8 }, async () => {
      while (!stop.stopped) {
        const n = next++;
        const caseId = caseIds[n % caseIds.length] as string;
        const targets = urls();
        const url = targets[n % targets.length] as string;
        const started = Date.now();
        try {
          const answer = await fetch(`${url}/api/v1/cases/${caseId}/events`, {
            method: 'POST',
            headers: {
              authorization: `Bearer ${token}`,
              'content-type': 'application/json',
              'idempotency-key': randomUUID(),
            },
            body: RIS_SUPPRESSED,
            signal: AbortSignal.timeout(boundMs),
          });
          const text = await answer.text();
          options.onAnswer?.(answer.status);
          if (answer.status === 201) {
            const body = JSON.parse(text) as { eventIds?: string[] };
            acknowledged.push({ caseId, eventIds: body.eventIds ?? [] });
          } else if (answer.status === 503) {
            const problem = answer.headers
              .get('content-type')
              ?.includes('application/problem+json');
            const code = problem ? (JSON.parse(text) as { code?: unknown }).code : undefined;
            if (typeof code === 'string') unavailable++;
            else unavailableMalformed++;
          } else if (answer.status >= 500) {
            otherServerErrors++;
          } else {
            others[answer.status] = (others[answer.status] ?? 0) + 1;
          }
        } catch {
          // The process died under the request, or refused it: not acknowledged, so not owed.
          noAnswer++;
          options.onAnswer?.(0);
          if (Date.now() - started >= boundMs) hung++;
          await sleep(20);
        }
        if (options.pauseMs) await sleep(options.pauseMs);
      }
    }),
  );
  return {
    acknowledged,
    unavailable,
    unavailableMalformed,
    otherServerErrors,
    others,
    noAnswer,
    hung,
  };
}

export const NO_LOAD: LoadOutcome = {
  acknowledged: [],
  unavailable: 0,
  unavailableMalformed: 0,
  otherServerErrors: 0,
  others: {},
  noAnswer: 0,
  hung: 0,
};

/** The sum of two loads' counts, for a scenario that runs several. */
export function addLoads(a: LoadOutcome, b: LoadOutcome): LoadOutcome {
  const others = { ...a.others };
  for (const [status, n] of Object.entries(b.others)) others[status] = (others[status] ?? 0) + n;
  return {
    acknowledged: [...a.acknowledged, ...b.acknowledged],
    unavailable: a.unavailable + b.unavailable,
    unavailableMalformed: a.unavailableMalformed + b.unavailableMalformed,
    otherServerErrors: a.otherServerErrors + b.otherServerErrors,
    others,
    noAnswer: a.noAnswer + b.noAnswer,
    hung: a.hung + b.hung,
  };
}

export async function waitUntil(
  condition: () => Promise<boolean>,
  timeoutMs: number,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`${what} not reached in ${timeoutMs} ms`);
    await sleep(100);
  }
}

import { AsyncLocalStorage } from 'node:async_hooks';
import type { AccessPurpose } from './access-purpose';

/**
 * What one request read of case content, noted by the code that reads it (the case repository,
 * the inbox, the follow-up list) and written as the request's access-log entry.
 */
export class AccessRecord {
  /** The route's declared purpose, once the route is known; none on a route without one. */
  purpose: AccessPurpose | undefined;
  /** The route pattern, `GET /api/v1/cases/:id`, never the URL with its ids. */
  route: string | undefined;
  /** Set once the entry is written: a request leaves one entry at most. */
  written = false;
  private readonly cases = new Set<string>();
  private readonly subjects = new Set<string>();

  constructor(
    readonly requestId: string,
    readonly clientAddress: string | null,
  ) {}

  note(caseIds: Iterable<string>, subjectIds: Iterable<string>): void {
    for (const id of caseIds) this.cases.add(id);
    for (const id of subjectIds) this.subjects.add(id);
  }

  get caseIds(): string[] {
    return [...this.cases].sort();
  }

  get subjectIds(): string[] {
    return [...this.subjects].sort();
  }

  get touchedCaseContent(): boolean {
    return this.cases.size > 0 || this.subjects.size > 0;
  }
}

const current = new AsyncLocalStorage<AccessRecord>();

/** Runs the rest of a request with its record: what it reads is noted there. */
export function withAccessRecord<T>(record: AccessRecord, run: () => T): T {
  return current.run(record, run);
}

/**
 * Notes the cases (and their family members' subject ids) the current request reads; outside a
 * request (the worker, the command line) it does nothing.
 */
export function noteCaseAccess(caseIds: Iterable<string>, subjectIds: Iterable<string> = []): void {
  current.getStore()?.note(caseIds, subjectIds);
}

/** The id of the HTTP request this code runs for, if any: for log lines and events' metadata. */
export function currentRequestId(): string | undefined {
  return current.getStore()?.requestId;
}

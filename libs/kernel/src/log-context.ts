import { AsyncLocalStorage } from 'node:async_hooks';

const correlation = new AsyncLocalStorage<string | undefined>();

/**
 * Runs `work` as part of the request that started it: the id of the HTTP request whose events it
 * handles (the events' `correlationId`). The JSON log lines written meanwhile carry it, so a
 * collector finds a request's whole path, from the api's answer to the worker's deliveries.
 */
export function withCorrelation<T>(correlationId: string | undefined, work: () => T): T {
  return correlation.run(correlationId, work);
}

/** The correlation id of the work running now, if it has one. */
export function currentCorrelationId(): string | undefined {
  return correlation.getStore();
}

/** The events' metadata field that ties them to a request: absent when there is none. */
export function correlationField(correlationId: string | undefined): { correlationId?: string } {
  return correlationId === undefined ? {} : { correlationId };
}

/** The web app's only way to the API: JSON over `/api/v1`, with the session's cookie. */

import type { Problem } from '../problems.js';

export type { Problem } from '../problems.js';

export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title ?? `HTTP ${problem.status}`);
  }
  get status(): number {
    return this.problem.status;
  }
}

/**
 * The session is a cookie the server sets at sign-in (HttpOnly, SameSite=Strict, Path=/api/):
 * no script reads it, every tab of the browser shares it, and the API accepts it only beside
 * this header, which another site's form or image cannot send.
 */
const SESSION_HEADER = { 'x-requested-with': 'relais' } as const;

let sessionExpired: () => void = () => undefined;

/** Called when the API refuses the session (401): the app signs out and asks to sign in again. */
export function onSessionExpired(handler: () => void): void {
  sessionExpired = handler;
}

export interface RequestOptions {
  /** Sent as JSON. */
  readonly body?: unknown;
  /** Sent as it is, with `contentType`: a protocol file. */
  readonly raw?: string;
  readonly contentType?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly signal?: AbortSignal;
}

async function problemOf(response: Response): Promise<Problem> {
  try {
    const body = (await response.json()) as Partial<Problem>;
    return { ...body, status: response.status };
  } catch {
    return { status: response.status, title: response.statusText };
  }
}

async function send(method: string, path: string, options: RequestOptions): Promise<Response> {
  const headers: Record<string, string> = {
    accept: 'application/json',
    ...SESSION_HEADER,
    ...options.headers,
  };
  let body: string | undefined;
  if (options.raw !== undefined) {
    body = options.raw;
    headers['content-type'] = options.contentType ?? 'text/plain';
  } else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] = 'application/json';
  }
  let response: Response;
  try {
    response = await fetch(path, { method, headers, body, signal: options.signal });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError({ status: 0, code: 'NETWORK' });
  }
  if (response.status === 401 && !path.startsWith('/api/v1/auth/')) sessionExpired();
  if (!response.ok) throw new ApiError(await problemOf(response));
  return response;
}

/** Calls the API and reads its JSON answer; every error becomes an `ApiError` with its problem. */
export async function api<T>(
  method: string,
  path: string,
  options: RequestOptions = {},
): Promise<T> {
  const response = await send(method, `/api/v1${path}`, options);
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/** A file the API makes (a report): fetched in the session, then saved from a blob URL. */
export async function download(path: string, fallbackName: string): Promise<string> {
  const response = await send('GET', `/api/v1${path}`, { headers: { accept: '*/*' } });
  const disposition = response.headers.get('content-disposition') ?? '';
  const name = /filename="?([^";]+)"?/.exec(disposition)?.[1] ?? fallbackName;
  const url = URL.createObjectURL(await response.blob());
  try {
    const link = document.createElement('a');
    link.href = url;
    link.download = name;
    document.body.append(link);
    link.click();
    link.remove();
  } finally {
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
  return name;
}

/** One key per submission: a retried request then appends nothing twice. */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

import { api } from './client.js';
import type { CommuneCompetence, OrganisationView, ProtocolView, StaffView } from '@relais/wire';

/** The network's reference data, read once per session: it changes rarely and every page needs it. */
const cache = new Map<string, Promise<unknown>>();

function cached<T>(path: string): Promise<T> {
  let entry = cache.get(path) as Promise<T> | undefined;
  if (!entry) {
    entry = api<T>('GET', path);
    cache.set(path, entry);
    entry.catch(() => cache.delete(path));
  }
  return entry;
}

/** After a change (staff registered, protocol signed), or at sign-out. */
export function forgetReference(path?: string): void {
  if (path === undefined) cache.clear();
  else cache.delete(path);
}

export const reference = {
  organisations: () => cached<OrganisationView[]>('/organisations'),
  communes: () => cached<CommuneCompetence[]>('/communes'),
  staff: () => cached<StaffView[]>('/staff'),
  protocols: () => cached<ProtocolView[]>('/protocols'),
};

/** Names by id, for the ids the API answers with. */
export function byId<T extends { id: string }>(items: readonly T[]): ReadonlyMap<string, T> {
  return new Map(items.map((item) => [item.id, item]));
}

/**
 * Lists come from read models a few milliseconds behind the write: after a change, read again
 * until it shows (or give up and show what there is).
 */
export async function readUntil<T>(
  read: () => Promise<T>,
  shows: (value: T) => boolean,
  attempts = 20,
  delayMs = 200,
): Promise<T> {
  let value = await read();
  for (let i = 1; i < attempts && !shows(value); i += 1) {
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    value = await read();
  }
  return value;
}

import { RecordedEvent } from './event-store';

/** Turns an event read at an older schema version into the next version's shape. */
export interface Upcaster {
  readonly type: string;
  readonly fromVersion: number;
  upcast(data: unknown): unknown;
}

export type Upcast = (event: RecordedEvent) => RecordedEvent;

export const noUpcast: Upcast = (event) => event;

/** Chains upcasters so an event written at version 1 reaches the newest version on every read. */
export function upcasterChain(upcasters: readonly Upcaster[]): Upcast {
  const byKey = new Map(upcasters.map((u) => [`${u.type}@${u.fromVersion}`, u]));
  return (event) => {
    let current = event;
    for (let next = byKey.get(`${current.type}@${current.schemaVersion}`); next;) {
      current = {
        ...current,
        data: next.upcast(current.data),
        schemaVersion: current.schemaVersion + 1,
      };
      next = byKey.get(`${current.type}@${current.schemaVersion}`);
    }
    return current;
  };
}

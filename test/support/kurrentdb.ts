/**
 * Where the KurrentDB contract suite runs, decided once by the global setup
 * (`kurrentdb-container.ts`) and handed to the test workers in `RELAIS_TEST_KURRENTDB`:
 * the server in `KURRENTDB_URL`, else a container started through testcontainers when it finds a
 * container runtime, else nowhere, with the reason.
 */
export type KurrentDbTestTarget =
  | { readonly kind: 'url'; readonly url: string }
  | { readonly kind: 'container'; readonly url: string; readonly image: string }
  | {
      readonly kind: 'none';
      readonly reason: string;
      /** What testcontainers answered when asked for a container runtime, when it was asked. */
      readonly runtimeError: string | undefined;
    };

export const KURRENTDB_IMAGE = 'kurrentplatform/kurrentdb:25.0';

export function kurrentDbTestTarget(): KurrentDbTestTarget {
  const raw = process.env.RELAIS_TEST_KURRENTDB;
  if (!raw)
    throw new Error('RELAIS_TEST_KURRENTDB is unset: run the tests through jest (global setup)');
  return JSON.parse(raw) as KurrentDbTestTarget;
}

/** The line every run prints, and CI repeats, when the suite could not run. */
export function notRunLine(reason: string): string {
  return `KurrentDB contract suite: not run here — ${reason}`;
}

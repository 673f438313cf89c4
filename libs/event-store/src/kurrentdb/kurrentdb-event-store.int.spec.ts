import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { KurrentDBClient } from '@kurrent/kurrentdb-client';
import { kurrentDbTestTarget, notRunLine } from '../../../../test/support/kurrentdb';
import { eventStoreContract } from '../testing/event-store.contract';
import { processorOnKurrentDb } from '../testing/kurrentdb-processor.contract';
import { KurrentDbEventStore } from './kurrentdb-event-store';

const target = kurrentDbTestTarget();

/** Where testcontainers looks for a Docker engine first: any of them would have given it one. */
const dockerSockets = [
  '/var/run/docker.sock',
  join(homedir(), '.docker/run/docker.sock'),
  join(homedir(), '.docker/desktop/docker.sock'),
  ...(process.env.XDG_RUNTIME_DIR ? [join(process.env.XDG_RUNTIME_DIR, 'docker.sock')] : []),
];

if (target.kind === 'none') {
  describe('KurrentDbEventStore', () => {
    // Not a skip: the one test says why the suite did not run, and fails if the reason is wrong.
    it(notRunLine(target.reason), () => {
      console.log(notRunLine(target.reason));
      expect(process.env.KURRENTDB_URL?.trim() ?? '').toBe('');
      expect(target.runtimeError).toEqual(expect.any(String));
      expect(process.env.DOCKER_HOST ?? '').toBe('');
      expect(dockerSockets.filter((socket) => existsSync(socket))).toEqual([]);
    });
  });
} else {
  const url = target.url;
  const where = target.kind === 'url' ? 'KURRENTDB_URL' : `a ${target.image} container`;

  describe(`KurrentDbEventStore on ${where}`, () => {
    eventStoreContract(
      ({ upcast }) => {
        const client = KurrentDBClient.connectionString(url);
        return Promise.resolve({
          store: new KurrentDbEventStore(client, upcast ? { upcast } : {}),
          close: () => client.dispose(),
        });
      },
      { eventIds: 'stream' },
    );

    describe('as a processor’s source, with its checkpoint in PostgreSQL', () => {
      processorOnKurrentDb(() => KurrentDBClient.connectionString(url));
    });
  });
}

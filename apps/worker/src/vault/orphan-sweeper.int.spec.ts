import { randomBytes, randomUUID } from 'node:crypto';
import type { RelaisConfig } from '@relais/config';
import { PostgresEventStore } from '@relais/event-store';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SubjectVault, UnconfirmedSubjects, VaultKeyring } from '@relais/vault';
import { openTestDatabase } from '../../../../test/support/postgres';
import { VaultOrphanSweeper } from './orphan-sweeper.service';

const PERSON = { firstName: 'Noé', lastName: 'Balayé' };

describe('VaultOrphanSweeper', () => {
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  let vault: SubjectVault;
  let unconfirmed: UnconfirmedSubjects;
  let store: PostgresEventStore;
  let sweeper: VaultOrphanSweeper;
  let folder: string;

  beforeAll(async () => {
    database = await openTestDatabase();
    folder = await mkdtemp(join(tmpdir(), 'relais-sweeper-keys-'));
    vault = new SubjectVault(database.pool, new VaultKeyring(folder, randomBytes(32)));
    unconfirmed = new UnconfirmedSubjects(database.pool);
    store = new PostgresEventStore(database.pool);
    sweeper = new VaultOrphanSweeper(store, vault, unconfirmed, {
      vaultOrphanGraceSeconds: 300,
    } as RelaisConfig);
  });
  afterAll(async () => {
    await database.dropAndClose();
    await rm(folder, { recursive: true, force: true });
  });

  /** Noted and written to the vault, as an opening does before its append. */
  const written = async (stream: string, minutesAgo: number) => {
    const subjectId = randomUUID();
    await unconfirmed.note(stream, [subjectId]);
    await vault.register(PERSON, subjectId);
    await database.pool.query(
      `update vault_unconfirmed_subjects set noted_at = now() - make_interval(mins => $2)
       where subject_id = $1`,
      [subjectId, minutesAgo],
    );
    return subjectId;
  };
  const opened = (stream: string, subjectIds: string[]) =>
    store.append(
      stream,
      [
        {
          eventId: randomUUID(),
          type: 'CaseOpened',
          data: { subjects: subjectIds.map((subjectId) => ({ subjectId, role: 'parent' })) },
        },
      ],
      { expectedVersion: 'no_stream' },
    );
  const pending = async () =>
    (
      await database.pool.query<{ id: string }>(
        'select subject_id as id from vault_unconfirmed_subjects',
      )
    ).rows.map((r) => r.id);

  it('erases an old subject whose case was never stored, keeps one its case lists', async () => {
    const stored = `case-${randomUUID()}`;
    const kept = await written(stored, 10);
    await opened(stored, [kept]);
    const orphan = await written(`case-${randomUUID()}`, 10);
    // Another body raced for the same case and lost: its subject is not in the first event.
    const loser = await written(stored, 10);

    expect(await sweeper.sweepOnce()).toBe(2);
    expect((await vault.read(kept)).erased).toBe(false);
    expect((await vault.read(orphan)).erased).toBe(true);
    expect((await vault.read(loser)).erased).toBe(true);
    expect(await pending()).toEqual([]);
  });

  it('leaves a subject younger than the grace period alone: its opening may still be under way', async () => {
    const young = await written(`case-${randomUUID()}`, 1);
    expect(await sweeper.sweepOnce()).toBe(0);
    expect((await vault.read(young)).erased).toBe(false);
    expect(await pending()).toEqual([young]);
  });
});

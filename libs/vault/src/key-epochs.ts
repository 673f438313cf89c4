import { performance } from 'node:perf_hooks';
import { Pool, PoolClient } from 'pg';
import { open, pack, seal, unpack } from './aes-gcm';
import { VaultKeyring } from './vault-keyring';

/** What decides a rotation; `ageMs` by the database's clock, like `rotated_at`. */
export interface EpochState {
  readonly vaultId: string;
  /** 0: no epoch yet, every key still sealed by the master key. */
  readonly epoch: number;
  /** Set while a rotation re-wraps keys: new keys are wrapped under it already. */
  readonly next: number | null;
  readonly erasuresOwed: boolean;
  readonly ageMs: number;
}

export interface Rotation {
  readonly from: number;
  readonly to: number;
  /** Subject keys re-wrapped under the new epoch. */
  readonly rewrapped: number;
  /** Keys that neither the old epoch nor the master key opens: altered, or never ours. Left as they were, unreadable. */
  readonly unreadable: number;
  /** Epoch files destroyed once the new epoch was committed. */
  readonly destroyed: readonly number[];
  readonly durationMs: number;
}

/**
 * A first epoch, a rotation left halfway, an erasure not yet followed by a rotation, or an epoch
 * older than the interval.
 */
export function rotationDue(state: EpochState, intervalMs: number): boolean {
  return (
    state.epoch === 0 || state.next !== null || state.erasuresOwed || state.ageMs >= intervalMs
  );
}

/** The current epoch was not in the keyring: the process is not looking at the folder the others write. */
export class KeyEpochMissingError extends Error {
  constructor(vaultId: string, epoch: number, folder: string) {
    super(
      `Key epoch ${epoch} of vault ${vaultId} is not in the keyring ${folder}: every process must share the folder RELAIS_VAULT_KEYRING names`,
    );
    this.name = 'KeyEpochMissingError';
  }
}

/** The epoch new subject keys are wrapped under: the next one while a rotation runs. */
export interface WritingEpoch {
  readonly vaultId: string;
  readonly epoch: number;
  readonly key: Buffer;
}

const BATCH = 1000;
const NO_SUBJECT = '00000000-0000-0000-0000-000000000000';

/**
 * The vault's key epochs, and the rotation that re-wraps every surviving subject key under a new
 * epoch and then destroys the old epoch's file. One rotation at a time per database (a session
 * advisory lock), in three steps so that no transaction stays open while keys are re-wrapped:
 * 1. with the epoch row locked, make the new epoch's file and name it `next_epoch`: from then on
 *    registrations, which hold a share lock on the row, wrap under it;
 * 2. re-wrap the keys still under the old epoch (or the master key), a batch per transaction;
 * 3. with the row locked again, make the new epoch current, commit, and destroy the old file.
 * A rotation stopped halfway leaves `next_epoch` set, and the next one carries it through.
 */
export class KeyEpochs {
  private writing: WritingEpoch | undefined;
  private knownVaultId: string | undefined;
  /** Rotations by this process run one after another; those of other processes wait on the lock. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly db: Pool,
    readonly keyring: VaultKeyring,
  ) {}

  async vaultId(): Promise<string> {
    this.knownVaultId ??= (await this.state(this.db)).vaultId;
    return this.knownVaultId;
  }

  /** The first epoch is made on first use. */
  async writingEpoch(): Promise<WritingEpoch> {
    if (this.writing !== undefined) return this.writing;
    for (let attempt = 0; attempt < 2; attempt++) {
      const state = await this.state(this.db);
      const epoch = state.next ?? state.epoch;
      if (epoch === 0) {
        await this.rotateWhen((locked) => locked.epoch === 0 && locked.next === null);
        continue;
      }
      const key = await this.keyring.epochKey(state.vaultId, epoch);
      if (key !== undefined) {
        this.writing = { vaultId: state.vaultId, epoch, key };
        return this.writing;
      }
    }
    const state = await this.state(this.db);
    throw new KeyEpochMissingError(state.vaultId, state.next ?? state.epoch, this.keyring.folder);
  }

  /** The epoch moved on under this process: read it again next time. */
  forgetWritingEpoch(): void {
    this.writing = undefined;
  }

  /** The key a stored subject key is sealed by; undefined when its epoch's file is gone. */
  async wrappingKey(epoch: number | null): Promise<Buffer | undefined> {
    if (epoch === null) return this.keyring.masterKey;
    if (this.writing?.epoch === epoch) return this.writing.key;
    if (this.writing !== undefined && epoch > this.writing.epoch) this.writing = undefined;
    return this.keyring.epochKey(await this.vaultId(), epoch);
  }

  /** Rotates now, whatever is owed. */
  rotate(): Promise<Rotation> {
    return this.rotateWhen(() => true) as Promise<Rotation>;
  }

  /**
   * After an erasure: rotates once if any erasure (this one or an earlier, failed one) is still
   * owed. Taking the lock first means waiting for a rotation in flight, which may have taken this
   * erasure's debt on, to finish destroying its old epoch.
   */
  rotateIfOwed(): Promise<Rotation | undefined> {
    return this.rotateWhen((state) => state.erasuresOwed || state.next !== null);
  }

  /**
   * The scheduled round: rotates when due, and otherwise destroys any file older than the current
   * epoch that a process stopped between its commit and its clean-up left behind.
   */
  async rotateIfDue(intervalMs: number): Promise<Rotation | undefined> {
    const state = await this.state(this.db);
    if (rotationDue(state, intervalMs)) {
      return this.rotateWhen((locked) => rotationDue(locked, intervalMs));
    }
    await this.keyring.destroyEpochsBefore(state.vaultId, state.epoch);
    return undefined;
  }

  private rotateWhen(due: (state: EpochState) => boolean): Promise<Rotation | undefined> {
    const run = this.queue.then(() => this.rotateAlone(due));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async rotateAlone(due: (state: EpochState) => boolean): Promise<Rotation | undefined> {
    const client = await this.db.connect();
    let broken: Error | undefined;
    try {
      await client.query(`select pg_advisory_lock(hashtextextended('relais.vault-rotation', 0))`);
      try {
        return await this.rotateLocked(client, due);
      } finally {
        await client
          .query(`select pg_advisory_unlock(hashtextextended('relais.vault-rotation', 0))`)
          .catch((error: Error) => (broken = error));
      }
    } finally {
      // A connection that may still hold the lock is closed, which frees it.
      client.release(broken);
    }
  }

  /**
   * The new epoch's number is past every file in the folder, so an orphan left by a rotation that
   * never named its epoch is never reused, and is destroyed with the old epoch. Nothing is
   * destroyed before the new epoch is current: a rotation that fails leaves the old one whole.
   */
  private async rotateLocked(
    client: PoolClient,
    due: (state: EpochState) => boolean,
  ): Promise<Rotation | undefined> {
    const started = performance.now();
    const begun = await this.begin(client, due);
    if (begun === undefined) return undefined;
    const { state, to, next, previous } = begun;
    this.writing = { vaultId: state.vaultId, epoch: to, key: next };
    let rewrapped = 0;
    let unreadable = 0;
    for (let after = NO_SUBJECT; ;) {
      const { rows } = await client.query<StoredKey>(
        `select subject_id, epoch, wrapped_key from subject_keys
         where subject_id > $1 and epoch is distinct from $2
         order by subject_id limit ${BATCH}`,
        [after, to],
      );
      const ids: string[] = [];
      const keys: Buffer[] = [];
      for (const row of rows) {
        const from =
          row.epoch === null
            ? this.keyring.masterKey
            : row.epoch === state.epoch
              ? previous
              : undefined;
        const dataKey = from === undefined ? undefined : unwrap(from, row);
        if (dataKey === undefined) {
          unreadable++;
          continue;
        }
        ids.push(row.subject_id);
        keys.push(pack(seal(next, dataKey, Buffer.from(row.subject_id))));
        dataKey.fill(0);
      }
      if (ids.length > 0) {
        // An erasure since the select deletes the row: the update then skips it.
        const { rowCount } = await client.query(
          `update subject_keys k set epoch = $1, wrapped_key = v.wrapped_key
           from unnest($2::uuid[], $3::bytea[]) as v (subject_id, wrapped_key)
           where k.subject_id = v.subject_id`,
          [to, ids, keys],
        );
        rewrapped += rowCount ?? 0;
      }
      const last = rows[rows.length - 1];
      if (last === undefined || rows.length < BATCH) break;
      after = last.subject_id;
    }
    await client.query('begin');
    try {
      await this.state(client, 'for update');
      await client.query(
        'update vault_epoch set epoch = $1, next_epoch = null, rotated_at = now()',
        [to],
      );
      await client.query('commit');
    } catch (error) {
      await client.query('rollback').catch(() => undefined);
      throw error;
    }
    this.knownVaultId = state.vaultId;
    const destroyed = await this.keyring.destroyEpochsBefore(state.vaultId, to);
    return {
      from: state.epoch,
      to,
      rewrapped,
      unreadable,
      destroyed,
      durationMs: Math.round(performance.now() - started),
    };
  }

  /** Step 1, or picking up the epoch a stopped rotation had named. */
  private async begin(client: PoolClient, due: (state: EpochState) => boolean) {
    await client.query('begin');
    try {
      const state = await this.state(client, 'for update');
      if (!due(state)) {
        await client.query('rollback');
        return undefined;
      }
      const previous =
        state.epoch === 0 ? undefined : await this.keyring.epochKey(state.vaultId, state.epoch);
      if (state.epoch !== 0 && previous === undefined) {
        throw new KeyEpochMissingError(state.vaultId, state.epoch, this.keyring.folder);
      }
      let to = state.next;
      let next: Buffer | undefined;
      if (to === null) {
        to = Math.max(state.epoch, ...(await this.keyring.epochs(state.vaultId))) + 1;
        next = await this.keyring.createEpoch(state.vaultId, to);
        await client.query('update vault_epoch set next_epoch = $1', [to]);
      } else {
        next = await this.keyring.epochKey(state.vaultId, to);
        if (next === undefined)
          throw new KeyEpochMissingError(state.vaultId, to, this.keyring.folder);
      }
      // Only erasures committed before this point are made final by this rotation.
      await client.query('delete from vault_rotations_owed');
      await client.query('commit');
      return { state, to, next, previous };
    } catch (error) {
      await client.query('rollback').catch(() => undefined);
      throw error;
    }
  }

  private async state(db: Pool | PoolClient, lock: '' | 'for update' = ''): Promise<EpochState> {
    const { rows } = await db.query<{
      vault_id: string;
      epoch: number;
      next_epoch: number | null;
      erasures_owed: boolean;
      age_ms: number;
    }>(
      `select vault_id, epoch, next_epoch, exists (select from vault_rotations_owed) as erasures_owed,
              (extract(epoch from now() - rotated_at) * 1000)::float8 as age_ms
       from vault_epoch ${lock}`,
    );
    const row = rows[0];
    if (row === undefined)
      throw new Error('vault_epoch has no row: the vault migrations did not run');
    return {
      vaultId: row.vault_id,
      epoch: row.epoch,
      next: row.next_epoch,
      erasuresOwed: row.erasures_owed,
      ageMs: row.age_ms,
    };
  }
}

interface StoredKey {
  subject_id: string;
  epoch: number | null;
  wrapped_key: Buffer;
}

function unwrap(key: Buffer, row: StoredKey): Buffer | undefined {
  try {
    return open(key, unpack(row.wrapped_key), Buffer.from(row.subject_id));
  } catch {
    return undefined;
  }
}

import { randomBytes, randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { open, pack, seal, unpack } from './aes-gcm';
import { KeyEpochs, Rotation } from './key-epochs';
import { InvalidPersonalDataError, PersonalData, validPersonalData } from './personal-data';
import { LookupDigest, SubjectLookup } from './subject-lookup';
import { KeyEpochUnreadableError, VaultKeyring } from './vault-keyring';

/** An unknown subject and an erased one look the same: nothing tells that a person existed. */
export type SubjectView =
  | { readonly subjectId: string; readonly erased: false; readonly data: PersonalData }
  | { readonly subjectId: string; readonly erased: true };

export class SubjectAlreadyRegisteredError extends Error {
  constructor(readonly subjectId: string) {
    super(`Subject ${subjectId} is already registered`);
    this.name = 'SubjectAlreadyRegisteredError';
  }
}

export class SubjectErasedError extends Error {
  constructor(readonly subjectId: string) {
    super(`Subject ${subjectId} is erased or was never registered`);
    this.name = 'SubjectErasedError';
  }
}

/** Never personal data: a stored value that cannot be authenticated is refused, not shown. */
export class SubjectDecryptionError extends Error {
  constructor(
    readonly subjectId: string,
    problem: string,
  ) {
    super(`Subject ${subjectId} cannot be decrypted: ${problem}`);
    this.name = 'SubjectDecryptionError';
  }
}

interface SubjectRow {
  subject_id: string;
  epoch: number | null;
  wrapped_key: Buffer;
  iv: Buffer;
  ciphertext: Buffer;
  auth_tag: Buffer;
}

const DATA_KEY_BYTES = 32;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A rotation committed between reading a row and opening its epoch's file: read it once more. */
const VANISHED = Symbol('epoch vanished');
/** How far a name search counts the people of each word typed, to start from the rarest. */
const RAREST_CAP = 1000;
/** Subjects the blind index backfill reads and indexes at once. */
const BACKFILL_BATCH = 500;
const FOREIGN_KEY_VIOLATION = '23503';

/**
 * Personal data encrypted with one key per subject, each key wrapped by the key of an epoch whose
 * file lives in the keyring, outside PostgreSQL. The subject id is the AAD of both, so a key or a
 * ciphertext copied onto another subject fails to decrypt. Erasing deletes the key and rotates the
 * epoch: every surviving key is re-wrapped and the old epoch's file destroyed, so the erased key's
 * bytes left in dead tuples, WAL and backups taken since no longer open with any key that exists.
 */
export class SubjectVault {
  private readonly epochs: KeyEpochs;
  private readonly lookup: SubjectLookup;

  constructor(
    private readonly db: Pool,
    keyring: VaultKeyring,
  ) {
    this.epochs = new KeyEpochs(db, keyring);
    this.lookup = new SubjectLookup(keyring.masterKey);
  }

  async register(data: PersonalData, subjectId: string = randomUUID()): Promise<string> {
    const id = canonical(subjectId);
    if (id === undefined) throw new InvalidPersonalDataError('subjectId', 'must be a UUID');
    const valid = validPersonalData(data);
    const plaintext = serialise(valid);
    const digests = columns(this.lookup.digestsOf(valid));
    const dataKey = randomBytes(DATA_KEY_BYTES);
    try {
      const sealed = seal(dataKey, plaintext, Buffer.from(id));
      // A rotation may switch the epoch between reading it and writing: the share lock tells.
      for (let attempt = 1; ; attempt++) {
        const current = await this.epochs.writingEpoch();
        const wrappedKey = pack(seal(current.key, dataKey, Buffer.from(id)));
        const { rows } = await this.db.query<{ current: boolean; inserted: boolean }>(
          `with current as (
             select coalesce(next_epoch, epoch) as epoch from vault_epoch
             where coalesce(next_epoch, epoch) = $6 for share),
           key as (
             insert into subject_keys (subject_id, epoch, wrapped_key)
             select $1, epoch, $2 from current
             on conflict (subject_id) do nothing
             returning subject_id),
           data as (
             insert into subject_data (subject_id, version, iv, ciphertext, auth_tag)
             select subject_id, 1, $3, $4, $5 from key
             returning subject_id),
           lookup as (
             insert into subject_lookup (subject_id, kind, digest)
             select subject_id, i.kind, i.digest from key, unnest($7::text[], $8::bytea[]) as i (kind, digest))
           select exists (select from current) as current, exists (select from data) as inserted`,
          [id, wrappedKey, sealed.iv, sealed.ciphertext, sealed.authTag, current.epoch, ...digests],
        );
        if (rows[0]?.inserted) return id;
        if (rows[0]?.current) throw new SubjectAlreadyRegisteredError(id);
        this.epochs.forgetWritingEpoch();
        if (attempt === 3)
          throw new Error('The key epoch changed three times during one registration');
      }
    } finally {
      dataKey.fill(0);
    }
  }

  async update(subjectId: string, data: PersonalData): Promise<void> {
    const valid = validPersonalData(data);
    const plaintext = serialise(valid);
    const id = canonical(subjectId);
    if (id === undefined) throw new SubjectErasedError(subjectId);
    const dataKey = await this.withRetry(async (last) => {
      const { rows } = await this.db.query<{ epoch: number | null; wrapped_key: Buffer }>(
        'select epoch, wrapped_key from subject_keys where subject_id = $1',
        [id],
      );
      const row = rows[0];
      if (row === undefined) throw new SubjectErasedError(id);
      return this.unwrap(id, row.epoch, row.wrapped_key, last);
    });
    try {
      const sealed = seal(dataKey, plaintext, Buffer.from(id));
      // An erase between the select and here deletes the row: the update then finds nothing.
      const { rows } = await this.db.query<{ updated: boolean }>(
        `with data as (
           update subject_data
           set version = version + 1, iv = $2, ciphertext = $3, auth_tag = $4, updated_at = now()
           where subject_id = $1
           returning subject_id),
         digests as (select * from unnest($5::text[], $6::bytea[]) as i (kind, digest)),
         gone as (
           delete from subject_lookup l where l.subject_id = $1 and exists (select from data)
             and (l.kind, l.digest) not in (select kind, digest from digests)),
         added as (
           insert into subject_lookup (subject_id, kind, digest)
           select subject_id, kind, digest from data, digests
           on conflict do nothing)
         select exists (select from data) as updated`,
        [
          id,
          sealed.iv,
          sealed.ciphertext,
          sealed.authTag,
          ...columns(this.lookup.digestsOf(valid)),
        ],
      );
      if (!rows[0]?.updated) throw new SubjectErasedError(id);
    } finally {
      dataKey.fill(0);
    }
  }

  async read(subjectId: string): Promise<SubjectView> {
    const views = await this.readMany([subjectId]);
    return views.get(subjectId) ?? { subjectId, erased: true };
  }

  /** Keyed by the ids as given; every id gets a view. */
  async readMany(subjectIds: readonly string[]): Promise<Map<string, SubjectView>> {
    const wanted = [
      ...new Set(subjectIds.map(canonical).filter((id): id is string => id !== undefined)),
    ];
    const found = new Map<string, PersonalData>();
    let pending = wanted;
    for (let attempt = 1; pending.length > 0; attempt++) {
      const vanished: string[] = [];
      for (const row of await this.rows(pending)) {
        const data = await this.decrypt(row, attempt > 1);
        if (data === VANISHED) vanished.push(row.subject_id);
        else found.set(row.subject_id, data);
      }
      pending = vanished;
    }
    return new Map(
      subjectIds.map((subjectId): [string, SubjectView] => {
        const data = found.get(canonical(subjectId) ?? '');
        return [
          subjectId,
          data === undefined ? { subjectId, erased: true } : { subjectId, erased: false, data },
        ];
      }),
    );
  }

  /** The subjects whose NISS is this one, whatever its dots and dashes. */
  findByNiss(niss: string): Promise<string[]> {
    return this.find(this.lookup.niss(niss));
  }

  /** The subjects of this full name, first name first or last name first, accents and case aside. */
  findByName(name: string): Promise<string[]> {
    return this.find(this.lookup.name(name));
  }

  /**
   * The subjects whose names hold every word typed (accents and case aside): `aurelie journal`
   * finds Aurélie Journal-Accès. Whole words only, never a prefix.
   */
  async findByNameWords(typed: string): Promise<string[]> {
    const digests = this.lookup.tokens(typed).map((d) => d.digest);
    if (digests.length === 0) return [];
    // From the rarest word (counted up to RAREST_CAP), each of its people checked for the other
    // words through the index: a word most people share (`de`, `van`) costs one capped count.
    const { rows } = await this.db.query<{ subject_id: string }>(
      `with rarest as (
         select d from unnest($1::bytea[]) as d
         order by (select count(*) from (select from subject_lookup
           where kind = 'token' and digest = d limit $3) capped)
         limit 1)
       select l.subject_id from rarest
       join subject_lookup l on l.kind = 'token' and l.digest = rarest.d
       where (select count(*) from subject_lookup m
           where m.kind = 'token' and m.digest = any($1::bytea[]) and m.subject_id = l.subject_id) = $2
       order by l.subject_id`,
      [digests, digests.length, RAREST_CAP],
    );
    return rows.map((r) => r.subject_id);
  }

  private async find({ kind, digest }: LookupDigest): Promise<string[]> {
    const { rows } = await this.db.query<{ subject_id: string }>(
      `select subject_id from subject_lookup where kind = $1 and digest = $2 order by subject_id`,
      [kind, digest],
    );
    return rows.map((r) => r.subject_id);
  }

  /**
   * Indexes the subjects registered before the blind index or its name words (or by a process
   * without them): every subject has a name, so one without a word digest was never indexed. Safe beside other
   * processes doing the same: a digest already there is kept. Returns how many were indexed.
   */
  async indexUnindexed(): Promise<number> {
    let indexed = 0;
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const { rows } = await this.db.query<{ subject_id: string }>(
        `select k.subject_id from subject_keys k
         where k.subject_id > $1
           and not exists (select from subject_lookup l where l.subject_id = k.subject_id and l.kind = 'token')
         order by k.subject_id limit $2`,
        [after, BACKFILL_BATCH],
      );
      if (rows.length === 0) return indexed;
      const views = await this.readMany(rows.map((r) => r.subject_id));
      const ids: string[] = [];
      const kinds: string[] = [];
      const digests: Buffer[] = [];
      for (const view of views.values()) {
        if (view.erased) continue;
        for (const { kind, digest } of this.lookup.digestsOf(view.data)) {
          ids.push(view.subjectId);
          kinds.push(kind);
          digests.push(digest);
        }
      }
      try {
        // A subject erased since it was read has no key row left: it is not indexed.
        await this.db.query(
          `insert into subject_lookup (subject_id, kind, digest)
           select i.subject_id, i.kind, i.digest
           from unnest($1::uuid[], $2::text[], $3::bytea[]) as i (subject_id, kind, digest)
           join subject_keys k using (subject_id)
           on conflict do nothing`,
          [ids, kinds, digests],
        );
      } catch (error) {
        // Erased between the join and the insert: the same batch again, without them.
        if ((error as { code?: string }).code === FOREIGN_KEY_VIOLATION) continue;
        throw error;
      }
      after = rows[rows.length - 1]?.subject_id ?? after;
      indexed += new Set(ids).size;
    }
  }

  /**
   * Idempotent: erasing an erased or unknown subject deletes nothing. Returns once a rotation has
   * destroyed every epoch the erased key was ever wrapped under; should the rotation fail, the
   * erasure stays owed and the worker's next round rotates.
   */
  erase(subjectId: string): Promise<void> {
    return this.eraseAll([subjectId]);
  }

  /** Erases them all, then rotates once for all of them: a backlog costs one rotation, not one each. */
  async eraseAll(subjectIds: readonly string[]): Promise<void> {
    const ids = subjectIds.map(canonical).filter((id): id is string => id !== undefined);
    if (ids.length > 0) {
      await this.db.query(
        `with erased as (delete from subject_keys where subject_id = any($1::uuid[]) returning 1)
         insert into vault_rotations_owed (owed_at) select now() where exists (select from erased)`,
        [ids],
      );
    }
    await this.epochs.rotateIfOwed();
  }

  /** Re-wraps every subject key under a new epoch and destroys the old epoch's file. */
  rotate(): Promise<Rotation> {
    return this.epochs.rotate();
  }

  /** The worker's round: a rotation when one is owed or the epoch is older than `intervalMs`. */
  rotateIfDue(intervalMs: number): Promise<Rotation | undefined> {
    return this.epochs.rotateIfDue(intervalMs);
  }

  private async rows(ids: readonly string[]): Promise<SubjectRow[]> {
    const { rows } = await this.db.query<SubjectRow>(
      `select k.subject_id, k.epoch, k.wrapped_key, d.iv, d.ciphertext, d.auth_tag
       from subject_keys k join subject_data d using (subject_id)
       where k.subject_id = any($1::uuid[])`,
      [ids],
    );
    return rows;
  }

  /** Reads once more when the row's epoch vanished under it; a second miss is an error. */
  private async withRetry<T>(read: (last: boolean) => Promise<T | typeof VANISHED>): Promise<T> {
    const first = await read(false);
    if (first !== VANISHED) return first;
    return (await read(true)) as T;
  }

  private async decrypt(row: SubjectRow, last: boolean): Promise<PersonalData | typeof VANISHED> {
    const id = row.subject_id;
    const dataKey = await this.unwrap(id, row.epoch, row.wrapped_key, last);
    if (dataKey === VANISHED) return VANISHED;
    let plaintext: Buffer;
    try {
      plaintext = open(
        dataKey,
        { iv: row.iv, ciphertext: row.ciphertext, authTag: row.auth_tag },
        Buffer.from(id),
      );
    } catch {
      throw new SubjectDecryptionError(id, 'its data was altered or belongs to another subject');
    } finally {
      dataKey.fill(0);
    }
    return JSON.parse(plaintext.toString('utf8')) as PersonalData;
  }

  private async unwrap(
    subjectId: string,
    epoch: number | null,
    wrappedKey: Buffer,
    last: boolean,
  ): Promise<Buffer | typeof VANISHED> {
    let key: Buffer | undefined;
    try {
      key = await this.epochs.wrappingKey(epoch);
    } catch (error) {
      if (error instanceof KeyEpochUnreadableError) throw wrappedByAnotherKey(subjectId);
      throw error;
    }
    if (key === undefined) {
      if (!last) return VANISHED;
      throw new SubjectDecryptionError(subjectId, `its key epoch ${epoch} is not in the keyring`);
    }
    try {
      return open(key, unpack(wrappedKey), Buffer.from(subjectId));
    } catch {
      throw wrappedByAnotherKey(subjectId);
    }
  }
}

function wrappedByAnotherKey(subjectId: string): SubjectDecryptionError {
  return new SubjectDecryptionError(
    subjectId,
    'its key was wrapped by another master key, or was altered',
  );
}

function canonical(subjectId: string): string | undefined {
  return UUID.test(subjectId) ? subjectId.toLowerCase() : undefined;
}

/** The digests as two parallel arrays, for `unnest`. */
function columns(digests: readonly LookupDigest[]): [string[], Buffer[]] {
  return [digests.map((d) => d.kind), digests.map((d) => d.digest)];
}

function serialise(data: PersonalData): Buffer {
  return Buffer.from(JSON.stringify(data), 'utf8');
}

import { createSecretKey, KeyObject, randomBytes, randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { open, pack, seal, unpack } from './aes-gcm';
import { InvalidMasterKeyError, MASTER_KEY_BYTES } from './master-key';
import { InvalidPersonalDataError, PersonalData, validPersonalData } from './personal-data';

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
  wrapped_key: Buffer;
  iv: Buffer;
  ciphertext: Buffer;
  auth_tag: Buffer;
}

const DATA_KEY_BYTES = 32;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Personal data encrypted with one key per subject, each key wrapped by the master key. The
 * subject id is the AAD of both, so a key or a ciphertext copied onto another subject fails to
 * decrypt. Erasing deletes the key: copies of the ciphertext in backups become unreadable.
 */
export class SubjectVault {
  private readonly masterKey: KeyObject;

  constructor(
    private readonly db: Pool,
    masterKey: Buffer,
  ) {
    if (masterKey.length !== MASTER_KEY_BYTES) {
      throw new InvalidMasterKeyError(`it is ${masterKey.length} bytes`);
    }
    this.masterKey = createSecretKey(masterKey);
  }

  async register(data: PersonalData, subjectId: string = randomUUID()): Promise<string> {
    const id = canonical(subjectId);
    if (id === undefined) throw new InvalidPersonalDataError('subjectId', 'must be a UUID');
    const plaintext = serialise(validPersonalData(data));
    const dataKey = randomBytes(DATA_KEY_BYTES);
    try {
      const wrappedKey = pack(seal(this.masterKey, dataKey, Buffer.from(id)));
      const sealed = seal(dataKey, plaintext, Buffer.from(id));
      const { rowCount } = await this.db.query(
        `with key as (
           insert into subject_keys (subject_id, wrapped_key) values ($1, $2)
           on conflict (subject_id) do nothing
           returning subject_id)
         insert into subject_data (subject_id, version, iv, ciphertext, auth_tag)
         select subject_id, 1, $3, $4, $5 from key`,
        [id, wrappedKey, sealed.iv, sealed.ciphertext, sealed.authTag],
      );
      if (rowCount === 0) throw new SubjectAlreadyRegisteredError(id);
      return id;
    } finally {
      dataKey.fill(0);
    }
  }

  async update(subjectId: string, data: PersonalData): Promise<void> {
    const plaintext = serialise(validPersonalData(data));
    const id = canonical(subjectId);
    if (id === undefined) throw new SubjectErasedError(subjectId);
    const { rows } = await this.db.query<{ wrapped_key: Buffer }>(
      'select wrapped_key from subject_keys where subject_id = $1',
      [id],
    );
    const row = rows[0];
    if (row === undefined) throw new SubjectErasedError(id);
    const dataKey = this.unwrap(id, row.wrapped_key);
    try {
      const sealed = seal(dataKey, plaintext, Buffer.from(id));
      // An erase between the select and here deletes the row: the update then finds nothing.
      const { rowCount } = await this.db.query(
        `update subject_data
         set version = version + 1, iv = $2, ciphertext = $3, auth_tag = $4, updated_at = now()
         where subject_id = $1`,
        [id, sealed.iv, sealed.ciphertext, sealed.authTag],
      );
      if (rowCount === 0) throw new SubjectErasedError(id);
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
    const { rows } =
      wanted.length === 0
        ? { rows: [] }
        : await this.db.query<SubjectRow>(
            `select k.subject_id, k.wrapped_key, d.iv, d.ciphertext, d.auth_tag
             from subject_keys k join subject_data d using (subject_id)
             where k.subject_id = any($1::uuid[])`,
            [wanted],
          );
    const found = new Map(rows.map((row) => [row.subject_id, this.decrypt(row)]));
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

  /** Idempotent: erasing an erased or unknown subject does nothing. */
  async erase(subjectId: string): Promise<void> {
    const id = canonical(subjectId);
    if (id === undefined) return;
    await this.db.query('delete from subject_keys where subject_id = $1', [id]);
  }

  private decrypt(row: SubjectRow): PersonalData {
    const id = row.subject_id;
    const dataKey = this.unwrap(id, row.wrapped_key);
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

  private unwrap(subjectId: string, wrappedKey: Buffer): Buffer {
    try {
      return open(this.masterKey, unpack(wrappedKey), Buffer.from(subjectId));
    } catch {
      throw new SubjectDecryptionError(
        subjectId,
        'its key was wrapped by another master key, or was altered',
      );
    }
  }
}

function canonical(subjectId: string): string | undefined {
  return UUID.test(subjectId) ? subjectId.toLowerCase() : undefined;
}

function serialise(data: PersonalData): Buffer {
  return Buffer.from(JSON.stringify(data), 'utf8');
}

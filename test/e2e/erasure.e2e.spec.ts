import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VaultKeyring } from '@relais/vault';
import type { CaseView, Erasure } from '@relais/wire';
import { apiOf, Call, joinedBy } from '../support/api';
import { EmbeddedCluster, startEmbeddedCluster } from '../support/embedded-cluster';
import { clusterFiles, recoverDataKeys } from '../support/forensics';
import { startTestRelais, TestRelais } from '../support/relais-app';

jest.setTimeout(180_000);

/** Invented, and found nowhere else in the tests: whatever turns up after the erasure is hers. */
const ZEPHYRINE = {
  role: 'parent',
  firstName: 'Zéphyrine',
  lastName: 'Quellebecq',
  birthDate: '1984-03-09',
  niss: '84030912334',
  address: { street: 'Rue des Houblonnières 41', postalCode: '5590', municipality: 'Ciney' },
};
const CHILD = {
  role: 'child',
  firstName: 'Anatole',
  lastName: 'Quellebecq',
  birthDate: '2015-07-21',
};
/** Each piece of her personal data, as the database or a log line could hold it. */
const HER_DATA = ['Zéphyrine', 'Zephyrine', '84030912334', '1984-03-09', 'Houblonnières'];

describe('POST /api/v1/erasures', () => {
  let root: string;
  let cluster: EmbeddedCluster;
  let relais: TestRelais;
  let call: Call;
  let as: string;
  let dpo: string;
  const masterKey = randomBytes(32);

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'relais-erasure-'));
    await chmod(root, 0o755); // the server runs as the postgres user when the tests run as root
    cluster = await startEmbeddedCluster(join(root, 'data'));
    relais = await startTestRelais(
      { RELAIS_VAULT_KEY: masterKey.toString('base64'), RELAIS_VAULT_KEYRING: join(root, 'keys') },
      { name: 'embedded', adminUrl: cluster.url },
    );
    call = apiOf(relais);
    as = await relais.token('as@cpas-ciney.demo');
    dpo = await relais.token('dpo@relais.demo');
  });
  afterAll(async () => {
    await relais?.close();
    await cluster?.stop();
    await rm(root, { recursive: true, force: true });
  });

  async function aFamilyCase(): Promise<{ caseId: string; parent: string; child: string }> {
    const opened = await call<{ caseId: string }>('POST', '/api/v1/cases', as, {
      occurredOn: '2026-11-02',
      residenceCommune: '91030',
      legalBasis: 'legal_obligation',
      familyMembers: [ZEPHYRINE, CHILD],
    });
    expect(opened.status).toBe(201);
    const caseId = opened.body.caseId;
    await joinedBy(call, as, caseId, 'saj-dinant', { legalBasis: 'judicial_mandate' });
    const view = await call<CaseView>('GET', `/api/v1/cases/${caseId}`, as);
    const [parent, child] = view.body.family.map((m) => m.subjectId);
    await eventuallyListed(caseId);
    return { caseId, parent: parent!, child: child! };
  }

  /** The DPO finds the person through the case list's projection, a few milliseconds behind. */
  async function eventuallyListed(caseId: string): Promise<void> {
    for (let i = 0; i < 200; i++) {
      const { rowCount } = await relais.database.pool.query(
        'select 1 from case_summaries where case_id = $1',
        [caseId],
      );
      if (rowCount) return;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`${caseId} never listed`);
  }

  /** Every key that exists: the master key, and each epoch file in the keyring. */
  async function keysLeft(): Promise<Buffer[]> {
    const { rows } = await relais.database.pool.query<{ vault_id: string }>(
      'select vault_id from vault_epoch',
    );
    const keyring = new VaultKeyring(join(root, 'keys'), masterKey);
    const vaultId = rows[0]!.vault_id;
    const epochs = await keyring.epochs(vaultId);
    const epochKeys = await Promise.all(epochs.map((e) => keyring.epochKey(vaultId, e)));
    return [masterKey, ...epochKeys.filter((k): k is Buffer => k !== undefined)];
  }

  it('erases the person as an event with its author and reason, and every view says so', async () => {
    const { caseId, parent } = await aFamilyCase();
    const me = await call<{ staffId: string }>('GET', '/api/v1/me', dpo);
    const dpoId = me.body.staffId;

    const erased = await call<Erasure>('POST', '/api/v1/erasures', dpo, {
      subjectId: parent,
      reason: 'data_subject_request',
    });
    expect(erased.status).toBe(201);
    expect(erased.body).toMatchObject({
      subjectId: parent,
      caseId,
      reason: 'data_subject_request',
      erasedBy: dpoId,
      erased: true,
    });

    // The case, as its partners read it: the person erased, her child kept.
    const view = await call<CaseView>('GET', `/api/v1/cases/${caseId}`, as);
    expect(view.body.family[0]).toEqual({ subjectId: parent, role: 'parent', erased: true });
    expect(view.body.family[1]).toMatchObject({ erased: false, firstName: 'Anatole' });

    // The event: who and why, no personal data.
    const { rows } = await relais.database.pool.query<{
      type: string;
      data: unknown;
      metadata: { actor: string };
    }>(`select type, data, metadata from events where stream_id = $1`, [`erasure-${parent}`]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      type: 'PersonalDataErased',
      data: { subjectId: parent, caseId, reason: 'data_subject_request' },
      metadata: { actor: dpoId },
    });

    // The DPO's list, and the access log: the subject id kept, the erasure logged.
    const list = await call<{ items: Erasure[] }>('GET', '/api/v1/erasures', dpo);
    expect(list.body.items).toContainEqual(erased.body);
    const log = await call<{ items: { purpose: string; route: string; subjectIds: string[] }[] }>(
      'GET',
      `/api/v1/access-log?subject=${parent}`,
      dpo,
    );
    expect(log.body.items.map((e) => e.purpose)).toEqual(
      expect.arrayContaining(['erasure', 'case_follow_up']),
    );
  });

  it('is the same erasure when retried: one event, the first answer', async () => {
    const { parent } = await aFamilyCase();
    const body = { subjectId: parent, reason: 'consent_withdrawn' };
    const first = await call<Erasure>('POST', '/api/v1/erasures', dpo, body);
    const racing = await Promise.all([
      call<Erasure>('POST', '/api/v1/erasures', dpo, body),
      call<Erasure>('POST', '/api/v1/erasures', dpo, { ...body, reason: 'unlawful_processing' }),
    ]);
    expect(first.status).toBe(201);
    for (const again of racing) {
      expect(again.status).toBe(201);
      expect(again.body).toEqual(first.body);
    }
    const { rows } = await relais.database.pool.query('select 1 from events where stream_id = $1', [
      `erasure-${parent}`,
    ]);
    expect(rows).toHaveLength(1);
  });

  it('refuses bad input naming the field, an unknown person with 404, and anyone but the DPO', async () => {
    const bad = await call<{ errors: { field: string }[] }>('POST', '/api/v1/erasures', dpo, {
      subjectId: 'not-a-uuid',
      reason: 'retention',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e) => e.field).sort()).toEqual(['reason', 'subjectId']);
    const unknown = await call<{ code: string }>('POST', '/api/v1/erasures', dpo, {
      subjectId: '6f1c1b6e-3f0a-4d52-9a51-2f4b8c7d9e10',
      reason: 'data_subject_request',
    });
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('SUBJECT_NOT_FOUND');
    const { parent } = await aFamilyCase();
    const byWorker = await call('POST', '/api/v1/erasures', as, {
      subjectId: parent,
      reason: 'data_subject_request',
    });
    expect(byWorker.status).toBe(403);
  });

  it('leaves nothing of her in any table, any file of the database or any log line', async () => {
    const { caseId, parent } = await aFamilyCase();
    // Read and shared before the erasure: the inbox, the timeline, the access log all met her.
    await call('GET', `/api/v1/cases/${caseId}/timeline`, as);
    const pool = relais.database.pool;
    // The control: before the erasure, the same scan of the files opens her key.
    await pool.query('checkpoint');
    const before = recoverDataKeys(
      await clusterFiles(cluster.clusterDir),
      parent,
      await keysLeft(),
    );
    expect(before.length).toBeGreaterThan(0);

    expect(
      (
        await call('POST', '/api/v1/erasures', dpo, {
          subjectId: parent,
          reason: 'legal_obligation',
        })
      ).status,
    ).toBe(201);
    await pool.query('checkpoint');

    // Every row of every table, as text.
    const { rows: tables } = await pool.query<{ schemaname: string; tablename: string }>(
      `select schemaname, tablename from pg_tables
       where schemaname not in ('pg_catalog', 'information_schema')`,
    );
    expect(tables.map((t) => t.tablename)).toEqual(
      expect.arrayContaining([
        'events',
        'access_log',
        'erasures',
        'subject_data',
        'case_summaries',
      ]),
    );
    let dump = '';
    for (const { schemaname, tablename } of tables) {
      const { rows } = await pool.query<{ row: string }>(
        `select t::text as row from "${schemaname}"."${tablename}" t`,
      );
      dump += rows.map((r) => r.row).join('\n');
    }
    expect(dump).toContain(parent); // the subject id stays: in the events and the access log
    for (const secret of HER_DATA) expect(dump).not.toContain(secret);

    // The bytes of the cluster's heap and WAL files, dead tuples included.
    const files = await clusterFiles(cluster.clusterDir);
    for (const secret of HER_DATA) {
      expect(files.some((file) => file.includes(Buffer.from(secret)))).toBe(false);
    }
    // And no key left, the master key or any epoch in the keyring, opens what remains of her key.
    expect(recoverDataKeys(files, parent, await keysLeft())).toEqual([]);

    for (const secret of HER_DATA)
      expect(relais.logger.lines.filter((l) => l.includes(secret))).toEqual([]);
  });
});

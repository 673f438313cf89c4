import { Pool } from 'pg';
import { createTestDatabase } from '../../../test/support/postgres';
import { migrate, MigrationChangedError, pendingMigrations } from './migrations';

describe('migrate', () => {
  const migrations = [
    { id: '0001_people', sql: 'create table people (id int primary key)' },
    { id: '0002_people_name', sql: 'alter table people add column name text' },
  ];

  it('applies each migration once when ten processes start at the same moment', async () => {
    const database = await createTestDatabase();
    const pools = Array.from(
      { length: 10 },
      () => new Pool({ connectionString: database.url, max: 1 }),
    );
    try {
      expect(await pendingMigrations(pools[0]!, migrations)).toEqual([
        '0001_people',
        '0002_people_name',
      ]);
      const applied = await Promise.all(pools.map((pool) => migrate(pool, migrations)));
      expect(applied.flat().sort()).toEqual(['0001_people', '0002_people_name']);
      expect(await pendingMigrations(pools[0]!, migrations)).toEqual([]);
      const { rows } = await pools[0]!.query('select id from schema_migrations order by id');
      expect(rows).toEqual([{ id: '0001_people' }, { id: '0002_people_name' }]);
    } finally {
      await Promise.all(pools.map((p) => p.end()));
      await database.drop();
    }
  });

  it('refuses a migration changed after it was applied, and applies nothing after a failure', async () => {
    const database = await createTestDatabase();
    const pool = new Pool({ connectionString: database.url });
    try {
      await migrate(pool, migrations.slice(0, 1));
      const changed = [{ id: '0001_people', sql: 'create table people (id bigint primary key)' }];
      await expect(migrate(pool, changed)).rejects.toBeInstanceOf(MigrationChangedError);

      const broken = [
        ...migrations,
        { id: '0003_broken', sql: 'alter table nowhere add column x int' },
      ];
      await expect(migrate(pool, broken)).rejects.toThrow(/nowhere/);
      expect(await pendingMigrations(pool, broken)).toEqual(['0002_people_name', '0003_broken']);
    } finally {
      await pool.end();
      await database.drop();
    }
  });
});

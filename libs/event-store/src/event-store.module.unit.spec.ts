import { Global, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Pool } from 'pg';
import { ConfigModule, loadConfig } from '@relais/config';
import { Database } from '@relais/database';
import { EVENT_STORE, EventStoreModule } from './event-store.module';
import { KurrentDbEventStore } from './kurrentdb/kurrentdb-event-store';
import { PostgresEventStore } from './postgres/postgres-event-store';

/** A database no test connects to: building the module opens no connection. */
@Global()
@Module({
  providers: [
    {
      provide: Database,
      useValue: { pool: new Pool({ max: 1 }), connection: {} },
    },
  ],
  exports: [Database],
})
class IdleDatabaseModule {}

async function configuredStore(env: Record<string, string>) {
  const module = await Test.createTestingModule({
    imports: [ConfigModule.forRoot(loadConfig(env)), IdleDatabaseModule, EventStoreModule],
  }).compile();
  return { store: module.get<unknown>(EVENT_STORE), postgres: module.get(PostgresEventStore) };
}

describe('EventStoreModule', () => {
  it('gives the PostgreSQL store by default', async () => {
    const { store, postgres } = await configuredStore({});
    expect(store).toBeInstanceOf(PostgresEventStore);
    expect(store).toBe(postgres);
  });

  it('gives the KurrentDB store when RELAIS_EVENT_STORE names it', async () => {
    const { store } = await configuredStore({
      RELAIS_EVENT_STORE: 'kurrentdb',
      KURRENTDB_URL: 'kurrentdb://127.0.0.1:2113?tls=false',
    });
    expect(store).toBeInstanceOf(KurrentDbEventStore);
    await (store as KurrentDbEventStore).close();
  });
});

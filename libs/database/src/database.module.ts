import { DynamicModule, Global, Module } from '@nestjs/common';
import { Pool } from 'pg';
import { Database } from './database';

@Global()
@Module({})
export class DatabaseModule {
  /** The database is opened before Nest starts and closed after it stops: see `runRelais`. */
  static forRoot(database: Database): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [
        { provide: Database, useValue: database },
        { provide: Pool, useValue: database.pool },
      ],
      exports: [Database, Pool],
    };
  }
}

import { DynamicModule, Module, Type } from '@nestjs/common';
import { ConfigModule, RelaisConfig } from '@relais/config';
import { Database, DatabaseModule } from '@relais/database';
import { EventStoreModule, Processor } from '@relais/event-store';
import { HealthController } from './health.controller';

export interface AppModuleOptions {
  readonly config: RelaisConfig;
  readonly database: Database;
  /** The role modules this process runs: the api's, the worker's, or both. */
  readonly roles: readonly (DynamicModule | Type)[];
}

@Module({})
export class AppModule {
  static forRoot(options: AppModuleOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(options.config),
        DatabaseModule.forRoot(options.database),
        EventStoreModule,
        ...options.roles,
      ],
      controllers: [HealthController],
    };
  }
}

export type ProcessorClass = Type<Processor>;

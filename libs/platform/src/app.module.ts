import { DynamicModule, Module, Type } from '@nestjs/common';
import { ConfigModule, RelaisConfig } from '@relais/config';
import { Database, DatabaseModule } from '@relais/database';
import { EventStoreModule } from '@relais/event-store';
import { Clock } from '@relais/kernel';
import { HealthController } from './health.controller';
import { MetricsController, MetricsModule } from './metrics.controller';
import { RelaisSecrets } from './secrets';
import { CoreModule } from './security.module';

export interface AppModuleOptions {
  readonly config: RelaisConfig;
  readonly database: Database;
  readonly secrets: RelaisSecrets;
  readonly clock?: Clock;
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
        MetricsModule,
        DatabaseModule.forRoot(options.database),
        EventStoreModule,
        CoreModule.forRoot(options),
        ...options.roles,
      ],
      controllers: [HealthController, MetricsController],
    };
  }
}

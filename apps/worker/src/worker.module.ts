import { DynamicModule, Global, Module, Type } from '@nestjs/common';
import { ComplianceProjection } from '@relais/compliance';
import { CoordinationProjection, MinutesDistributionProcessor } from '@relais/coordination';
import { Processor, PROCESSORS, ProcessorHost } from '@relais/event-store';
import {
  CaseSummariesProjection,
  NetworkProjection,
  ProtocolVersionsProjection,
  ReferralsProjection,
} from '@relais/read-models';
import {
  DeadlineWatcher,
  DeliveryService,
  InboxProjection,
  ProtocolEngineProcessor,
} from '@relais/obligations';
import { Erasures, Retention } from '@relais/privacy';
import { RetentionJob } from './privacy/retention-job.service';
import { VaultOrphanSweeper } from './vault/orphan-sweeper.service';
import { VaultRotation } from './vault/vault-rotation.service';

/** Every processor Relais runs. */
export const WORKER_PROCESSORS: readonly Type<Processor>[] = [
  NetworkProjection,
  CaseSummariesProjection,
  ReferralsProjection,
  ProtocolEngineProcessor,
  InboxProjection,
  ProtocolVersionsProjection,
  ComplianceProjection,
  CoordinationProjection,
  MinutesDistributionProcessor,
];

/** The worker role: subscriptions on the event store (projections, process managers) and the periodic jobs. */
@Global()
@Module({})
export class WorkerModule {
  static forRoot(processors: readonly Type<Processor>[] = []): DynamicModule {
    return {
      module: WorkerModule,
      providers: [
        ...processors,
        {
          provide: PROCESSORS,
          useFactory: (...instances: Processor[]) => instances,
          inject: [...processors],
        },
        ProcessorHost,
        DeliveryService,
        DeadlineWatcher,
        VaultOrphanSweeper,
        VaultRotation,
        Erasures,
        Retention,
        RetentionJob,
      ],
      exports: [ProcessorHost, DeadlineWatcher, VaultOrphanSweeper, VaultRotation, RetentionJob],
    };
  }
}

import 'reflect-metadata';
import { runRelais } from '@relais/platform';
import { WorkerModule, WORKER_PROCESSORS } from './worker.module';

runRelais('worker', [WorkerModule.forRoot(WORKER_PROCESSORS)]);

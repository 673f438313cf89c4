import 'reflect-metadata';
import { runRelais } from '@relais/platform';
import { WorkerModule } from './worker.module';

runRelais('worker', [WorkerModule.forRoot()]);

// What the composition root (apps/relais) and the tests may take from the worker role.
export { WorkerModule, WORKER_PROCESSORS } from './worker.module';

// What the composition root (apps/relais) and the tests may take from the worker role.
export { WorkerModule, WORKER_PROCESSORS } from './worker.module';
export { DeadlineWatcher } from './deadlines/deadline-watcher.service';
export { ProtocolEngineProcessor } from './protocol-engine/protocol-engine.processor';

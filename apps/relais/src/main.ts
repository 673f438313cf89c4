import 'reflect-metadata';
import { ApiModule, seedDemo } from '@relais/api';
import { WorkerModule, WORKER_PROCESSORS } from '@relais/worker';
import { runRelais } from '@relais/platform';

/** `npm start`: the api and the worker in one process, on the embedded PostgreSQL by default. */
runRelais('relais', [ApiModule, WorkerModule.forRoot(WORKER_PROCESSORS)], async (app, config) => {
  await seedDemo(app, config);
});

import 'reflect-metadata';
import { ApiModule } from '../../api/src/api.module';
import { seedDemo } from '../../api/src/seed/demo-seed';
import { WorkerModule, WORKER_PROCESSORS } from '../../worker/src/worker.module';
import { runRelais } from '@relais/platform';

/** `npm start`: the api and the worker in one process, on the embedded PostgreSQL by default. */
runRelais('relais', [ApiModule, WorkerModule.forRoot(WORKER_PROCESSORS)], async (app, config) => {
  await seedDemo(app, config);
});

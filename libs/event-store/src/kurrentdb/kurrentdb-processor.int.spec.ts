import { KurrentDbModel } from '../testing/kurrentdb-model';
import { processorOnKurrentDb } from '../testing/kurrentdb-processor.contract';

// Runs everywhere: the runner's KurrentDB path on a model of the server, against real PostgreSQL.
// Against a real KurrentDB, the same tests run in kurrentdb-event-store.int.spec.ts.
describe('ProcessorRunner on a model of KurrentDB, its checkpoint in PostgreSQL', () => {
  processorOnKurrentDb(() => new KurrentDbModel());
});

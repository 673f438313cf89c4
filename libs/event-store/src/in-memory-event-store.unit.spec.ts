import { InMemoryEventStore } from './in-memory-event-store';
import { eventStoreContract } from './testing/event-store.contract';

describe('InMemoryEventStore', () => {
  const shared = new InMemoryEventStore();
  eventStoreContract(({ upcast }) =>
    Promise.resolve({
      store: upcast ? shared.withUpcast(upcast) : shared,
      close: () => Promise.resolve(),
    }),
  );
});

import { aCaseWithTheSaj, apiOf } from '../support/api';
import { eventually, startTestRelais, TestRelais } from '../support/relais-app';

jest.setTimeout(60_000);

interface Readiness {
  status: string;
  readBarrierAgeMs: number | null;
}

describe('GET /health/ready', () => {
  let relais: TestRelais;

  beforeAll(async () => {
    relais = await startTestRelais();
  });
  afterAll(() => relais.close());

  const ready = async () => {
    const response = await fetch(`${relais.url}/health/ready`);
    return { status: response.status, body: (await response.json()) as Readiness };
  };

  it('answers 503 once a transaction held open has kept committed events back over 5 s, 200 when it ends', async () => {
    expect((await ready()).status).toBe(200);
    const held = await relais.database.pool.connect();
    const heldSince = Date.now();
    try {
      await held.query('begin');
      await held.query('select pg_current_xact_id()'); // a transaction id: readers stop before it
      const as = await relais.token('as@cpas-ciney.demo');
      await aCaseWithTheSaj(apiOf(relais), as); // committed, and waiting behind it

      let answer = await ready();
      expect(answer).toMatchObject({ status: 200, body: { status: 'ready' } });
      await eventually(async () => (answer = await ready()).status === 503, 15_000);
      expect(Date.now() - heldSince).toBeGreaterThanOrEqual(5000);
      expect(answer.body.status).toBe('not_ready');
      expect(answer.body.readBarrierAgeMs).toBeGreaterThan(5000);
    } finally {
      await held.query('commit');
      held.release();
    }
    await eventually(async () => (await ready()).status === 200);
  });
});

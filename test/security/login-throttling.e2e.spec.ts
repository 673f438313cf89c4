import { request } from 'node:http';
import { demoAccounts } from '../../apps/api/src/seed/demo-seed';
import { startTestRelais, TestRelais } from '../support/relais-app';

jest.setTimeout(120_000);

interface Answer {
  readonly status: number;
  readonly retryAfter: string | undefined;
  readonly contentType: string | undefined;
  readonly body: { code?: string };
}

describe('POST /api/v1/auth/token under password spraying', () => {
  let relais: TestRelais;
  let demoPassword: string;

  beforeAll(async () => {
    relais = await startTestRelais();
    demoPassword = 'relais-demo';
  });
  afterAll(() => relais?.close());

  /** A sign-in from a given loopback address: each one is another client to Relais. */
  const signIn = (from: string, email: string, password: string) =>
    new Promise<Answer>((resolve, reject) => {
      const url = new URL('/api/v1/auth/token', relais.url);
      const body = JSON.stringify({ email, password });
      const sent = request(
        url,
        {
          method: 'POST',
          localAddress: from,
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
          },
        },
        (response) => {
          let text = '';
          response.on('data', (chunk: Buffer) => (text += chunk.toString()));
          response.on('end', () =>
            resolve({
              status: response.statusCode ?? 0,
              retryAfter: response.headers['retry-after'],
              contentType: response.headers['content-type'],
              body: JSON.parse(text) as Answer['body'],
            }),
          );
        },
      );
      sent.on('error', reject);
      sent.end(body);
    });

  it('answers 429 with Retry-After once one address has failed 20 times, whichever the accounts', async () => {
    const accounts = demoAccounts()
      .map((a) => a.email)
      .slice(0, 30);
    expect(accounts).toHaveLength(30);
    const answers: Answer[] = [];
    for (let round = 0; round < 2; round++) {
      for (const email of accounts) answers.push(await signIn('127.0.0.3', email, 'Summer2026!'));
    }
    expect(answers.map((a) => a.status)).toEqual([
      ...Array<number>(20).fill(401),
      ...Array<number>(40).fill(429),
    ]);
    for (const refused of answers.slice(20)) {
      expect(refused.contentType).toContain('application/problem+json');
      expect(refused.body.code).toBe('TOO_MANY_ATTEMPTS');
      expect(Number(refused.retryAfter)).toBe(15 * 60);
    }
    // The right password does not get through from there either, for the rest of the window.
    const rightOne = await signIn('127.0.0.3', 'as@cpas-ciney.demo', demoPassword);
    expect([rightOne.status, rightOne.retryAfter]).toEqual([429, '900']);

    // Another address is another client.
    expect((await signIn('127.0.0.4', 'as@cpas-ciney.demo', demoPassword)).status).toBe(200);

    // Time passes: the window closes.
    relais.clock.set(new Date(relais.clock.now().getTime() + 10 * 60 * 1000));
    expect((await signIn('127.0.0.3', 'as@cpas-ciney.demo', demoPassword)).retryAfter).toBe('300');
    relais.clock.set(new Date(relais.clock.now().getTime() + 5 * 60 * 1000));
    expect((await signIn('127.0.0.3', 'as@cpas-ciney.demo', demoPassword)).status).toBe(200);
  });

  it('still stops guessing one account after five failures, and forgets them on success', async () => {
    const from = '127.0.0.5';
    for (let i = 0; i < 4; i++) {
      expect((await signIn(from, 'chef@cpas-ciney.demo', 'nope')).status).toBe(401);
    }
    expect((await signIn(from, 'chef@cpas-ciney.demo', demoPassword)).status).toBe(200);
    for (let i = 0; i < 5; i++) {
      expect((await signIn(from, 'chef@cpas-ciney.demo', 'nope')).status).toBe(401);
    }
    const limited = await signIn(from, 'chef@cpas-ciney.demo', demoPassword);
    expect([limited.status, limited.body.code, limited.retryAfter]).toEqual([
      429,
      'TOO_MANY_ATTEMPTS',
      '900',
    ]);
    expect((await signIn(from, 'chef@cpas-dinant.demo', demoPassword)).status).toBe(200);
  });
});

import { apiOf, Call } from '../support/api';
import { startTestRelais, TestRelais } from '../support/relais-app';

jest.setTimeout(60_000);

interface Refusal {
  readonly code?: string;
  readonly errors?: readonly { readonly field: string; readonly message: string }[];
}

/** A deployment that is not the demo (RELAIS_SEED_DEMO=never), its demo accounts seeded by hand. */
describe('POST /api/v1/staff outside the demo: the password policy', () => {
  let relais: TestRelais;
  let call: Call;
  let admin: string;
  let n = 0;

  beforeAll(async () => {
    relais = await startTestRelais({ RELAIS_SEED_DEMO: 'never' });
    call = apiOf(relais);
    admin = await relais.token('admin@relais.demo');
  });
  afterAll(() => relais?.close());

  const register = (password: string, email = `camille.lejeune${++n}@cpas-ciney.demo`) =>
    call<Refusal & { id?: string }>('POST', '/api/v1/staff', admin, {
      organisationId: 'cpas-ciney',
      name: 'Camille Lejeune',
      email,
      roles: ['social_worker'],
      password,
    });

  const signIn = (email: string, password: string) =>
    fetch(`${relais.url}/api/v1/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });

  it('refuses the demo password, naming password', async () => {
    const answer = await register('relais-demo');
    expect([answer.status, answer.body.code, answer.body.errors?.[0]?.field]).toEqual([
      400,
      'VALIDATION_FAILED',
      'password',
    ]);
    expect(answer.body.errors?.[0]?.message).toMatch(/demo password/);
  });

  it.each([
    '1234567890',
    'azertyuiop',
    'motdepasse',
    'Password123!',
    'aaaaaaaaaaaa',
    'jetaime1234',
    'bonjour2026',
    'qwertyuiop123',
    'camille.lejeune',
    'relais-demo1',
  ])('refuses %s as common or trivial, naming password', async (password) => {
    const answer = await register(password);
    expect([answer.status, answer.body.code, answer.body.errors?.map((e) => e.field)]).toEqual([
      400,
      'VALIDATION_FAILED',
      ['password'],
    ]);
    expect(answer.body.errors?.[0]?.message).toMatch(/^password is too easy to guess/);
  });

  it('registers nothing with a refused password, and takes a strong one', async () => {
    const email = 'nouvelle.as@cpas-ciney.demo';
    expect((await register('1234567890', email)).status).toBe(400);
    const registered = await register('marmotte-velo-citron', email);
    expect(registered.status).toBe(201);
    expect((await signIn(email, 'marmotte-velo-citron')).status).toBe(200);
  });
});

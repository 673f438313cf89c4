import { randomBytes, randomUUID } from 'node:crypto';
import { EVENT_STORE, EventStore } from '@relais/event-store';
import { SignJWT } from 'jose';
import { staffIdOf } from '../../apps/api/src/seed/demo-seed';
import { apiOf, Call } from '../support/api';
import { eventually, startTestRelais, TestRelais } from '../support/relais-app';

jest.setTimeout(60_000);

const TOKEN_SECRET = randomBytes(32).toString('hex');

/** A token signed with Relais's own key, as only Relais could make it. */
const signed = (claims: Record<string, unknown>, subject: string) =>
  new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer('relais')
    .setSubject(subject)
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(new TextEncoder().encode(TOKEN_SECRET));

describe('staff administration along the role-granting table', () => {
  let relais: TestRelais;
  let call: Call;
  let admin: string;
  let sajManager: string;
  let n = 0;
  const anEmail = () => `personne${++n}@test.demo`;

  beforeAll(async () => {
    relais = await startTestRelais({ RELAIS_TOKEN_SECRET: TOKEN_SECRET });
    call = apiOf(relais);
    admin = await relais.token('admin@relais.demo');
    sajManager = await relais.token('chef@saj-dinant.demo');
  });
  afterAll(() => relais.close());

  const register = (token: string, organisationId: string, roles: string[], email = anEmail()) =>
    call<{ id: string; code?: string }>('POST', '/api/v1/staff', token, {
      organisationId,
      name: 'Camille Test',
      email,
      roles,
      password: 'un-mot-de-passe-solide',
    });

  const signIn = (email: string) =>
    fetch(`${relais.url}/api/v1/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: 'un-mot-de-passe-solide' }),
    });

  const tokenOf = async (email: string) => {
    const answer = await signIn(email);
    expect(answer.status).toBe(200);
    return ((await answer.json()) as { accessToken: string }).accessToken;
  };

  describe('POST /api/v1/staff', () => {
    it.each([['admin'], ['coordinator'], ['dpo']])(
      'a manager cannot grant %s (403 ROLE_NOT_GRANTABLE), and no account is made',
      async (role) => {
        const email = anEmail();
        const answer = await register(sajManager, 'saj-dinant', [role], email);
        expect(answer).toMatchObject({
          status: 403,
          body: { code: 'ROLE_NOT_GRANTABLE', errors: [{ field: 'roles' }] },
        });
        expect((await signIn(email)).status).toBe(401);
        const { rows } = await relais.database.pool.query(
          `select 1 from events where stream_id = $1`,
          [`staff-email-${email}`],
        );
        expect(rows).toHaveLength(0);
      },
    );

    it('the escalation the audit found is closed: no admin, hence no social worker in Ciney', async () => {
      const escalated = await register(sajManager, 'saj-dinant', ['admin', 'saj_delegate']);
      expect(escalated.status).toBe(403);
      const inCiney = await register(sajManager, 'cpas-ciney', ['social_worker']);
      expect(inCiney).toMatchObject({ status: 403, body: { code: 'NOT_YOUR_ORGANISATION' } });
    });

    it('a manager grants case-work roles and manager in their own organisation', async () => {
      expect((await register(sajManager, 'saj-dinant', ['saj_delegate'])).status).toBe(201);
      expect((await register(sajManager, 'saj-dinant', ['manager'])).status).toBe(201);
    });

    it('an admin grants any role in any organisation', async () => {
      expect((await register(admin, 'cpas-ciney', ['dpo'])).status).toBe(201);
      expect((await register(admin, 'saj-dinant', ['admin'])).status).toBe(201);
    });

    it('other roles grant nothing', async () => {
      const coordinator = await relais.token('coordination@relais.demo');
      expect((await register(coordinator, 'coordination-dinant', ['coordinator'])).status).toBe(
        403,
      );
    });
  });

  it('GET /api/v1/me tells the web form which roles the caller may grant', async () => {
    expect((await call('GET', '/api/v1/me', sajManager)).body).toMatchObject({
      grantableRoles: ['social_worker', 'saj_delegate', 'manager'],
    });
    const worker = await relais.token('as@cpas-ciney.demo');
    expect((await call('GET', '/api/v1/me', worker)).body).toMatchObject({ grantableRoles: [] });
  });

  it('an address whose registration crashed half-way is not taken for good', async () => {
    const store = relais.app.get<EventStore>(EVENT_STORE);
    const reserve = (email: string, minutesAgo: number) =>
      store.append(
        `staff-email-${email}`,
        [{ eventId: randomUUID(), type: 'StaffEmailReserved', data: { staffId: randomUUID() } }],
        { recordedAt: new Date(relais.clock.now().getTime() - minutesAgo * 60_000) },
      );
    const orphaned = anEmail();
    await reserve(orphaned, 2);
    expect((await register(sajManager, 'saj-dinant', ['saj_delegate'], orphaned)).status).toBe(201);
    expect((await signIn(orphaned)).status).toBe(200);
    // A reservation seconds old may be a registration still under way: it holds.
    const inFlight = anEmail();
    await reserve(inFlight, 0);
    expect(await register(sajManager, 'saj-dinant', ['saj_delegate'], inFlight)).toMatchObject({
      status: 422,
      body: { code: 'STAFF_EMAIL_TAKEN' },
    });
    // And a real account's address is never released.
    expect((await register(admin, 'saj-dinant', ['saj_delegate'], orphaned)).status).toBe(422);
  });

  describe('editing and deactivating', () => {
    it('PATCH /api/v1/staff/:id changes name and roles; the same token carries the new roles at once', async () => {
      const email = anEmail();
      const { body } = await register(sajManager, 'saj-dinant', ['saj_delegate'], email);
      const token = await tokenOf(email);
      const edited = await call('PATCH', `/api/v1/staff/${body.id}`, sajManager, {
        name: 'Camille Renommée',
        roles: ['saj_delegate', 'manager'],
      });
      expect(edited.status).toBe(200);
      expect((await call('GET', '/api/v1/me', token)).body).toMatchObject({
        name: 'Camille Renommée',
        roles: ['saj_delegate', 'manager'],
      });
      expect((await call('GET', '/api/v1/compliance/summary', token)).status).toBe(200);
    });

    it('a manager cannot edit into a role they cannot grant, nor another organisation’s staff', async () => {
      const { body } = await register(sajManager, 'saj-dinant', ['saj_delegate']);
      const upgraded = await call('PATCH', `/api/v1/staff/${body.id}`, sajManager, {
        roles: ['admin'],
      });
      expect(upgraded).toMatchObject({ status: 403, body: { code: 'ROLE_NOT_GRANTABLE' } });
      const cineyWorker = staffIdOf('as@cpas-ciney.demo');
      expect(
        (await call('PATCH', `/api/v1/staff/${cineyWorker}`, sajManager, { name: 'X y' })).status,
      ).toBe(403);
      expect(
        (await call('POST', `/api/v1/staff/${cineyWorker}/deactivate`, sajManager)).status,
      ).toBe(403);
    });

    it('a manager cannot deactivate an admin of their own organisation', async () => {
      const { body } = await register(admin, 'saj-dinant', ['admin']);
      const answer = await call('POST', `/api/v1/staff/${body.id}/deactivate`, sajManager);
      expect(answer).toMatchObject({ status: 403, body: { code: 'STAFF_NOT_MANAGEABLE' } });
    });

    it('nobody deactivates their own account', async () => {
      const answer = await call(
        'POST',
        `/api/v1/staff/${staffIdOf('chef@saj-dinant.demo')}/deactivate`,
        sajManager,
      );
      expect(answer).toMatchObject({ status: 422, body: { code: 'CANNOT_DEACTIVATE_SELF' } });
    });

    it('an unknown member of staff is 404', async () => {
      const answer = await call('POST', `/api/v1/staff/${staffIdOf('nobody')}/deactivate`, admin);
      expect(answer).toMatchObject({ status: 404, body: { code: 'UNKNOWN_STAFF_MEMBER' } });
    });

    it('a deactivated account’s token stops working at once, and sign-in is refused; reactivating restores both', async () => {
      const email = anEmail();
      const { body } = await register(sajManager, 'saj-dinant', ['saj_delegate'], email);
      const token = await tokenOf(email);
      expect((await call('GET', '/api/v1/inbox', token)).status).toBe(200);

      expect((await call('POST', `/api/v1/staff/${body.id}/deactivate`, sajManager)).status).toBe(
        200,
      );
      const refused = await call<{ detail: string }>('GET', '/api/v1/inbox', token);
      expect(refused.status).toBe(401);
      expect(refused.body.detail).toMatch(/deactivated/);
      const signInAnswer = await signIn(email);
      expect(signInAnswer.status).toBe(403);
      expect(await signInAnswer.json()).toMatchObject({ code: 'ACCOUNT_DEACTIVATED' });
      // Still listed, marked inactive.
      await eventually(async () => {
        const staff = await call<{ id: string; active: boolean }[]>(
          'GET',
          '/api/v1/staff?organisationId=saj-dinant',
          sajManager,
        );
        return staff.body.some((s) => s.id === body.id && !s.active);
      });

      expect((await call('POST', `/api/v1/staff/${body.id}/reactivate`, sajManager)).status).toBe(
        200,
      );
      expect((await call('GET', '/api/v1/inbox', token)).status).toBe(200);
      expect((await signIn(email)).status).toBe(200);
    });
  });

  describe('tokens follow the account, not their claims', () => {
    it('a well-signed token for a staff id that does not exist is refused', async () => {
      const token = await signed(
        { org: 'cpas-ciney', roles: ['admin'], email: 'ghost@test.demo' },
        staffIdOf('ghost@test.demo'),
      );
      expect((await call('GET', '/api/v1/me', token)).status).toBe(401);
    });

    it('roles and organisation claimed in a token are ignored: the account’s count', async () => {
      const worker = staffIdOf('as@cpas-ciney.demo');
      const token = await signed(
        { org: 'saj-dinant', roles: ['admin'], email: 'as@cpas-ciney.demo' },
        worker,
      );
      expect((await call('GET', '/api/v1/me', token)).body).toMatchObject({
        organisationId: 'cpas-ciney',
        roles: ['social_worker'],
      });
      expect((await call('GET', '/api/v1/admin/projections', token)).status).toBe(403);
    });
  });

  it('every administrative change is an event with its actor and time', async () => {
    const email = anEmail();
    const { body } = await register(sajManager, 'saj-dinant', ['saj_delegate'], email);
    await call('PATCH', `/api/v1/staff/${body.id}`, sajManager, { name: 'Camille Autre' });
    await call('POST', `/api/v1/staff/${body.id}/deactivate`, sajManager);
    expect(
      (
        await call('PATCH', '/api/v1/organisations/saj-dinant', sajManager, {
          contactEmail: 'accueil@saj-dinant.demo',
          closureDays: ['2026-12-24'],
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await call('PUT', '/api/v1/organisations/saj-dinant/webhook', sajManager, {
          url: 'https://saj-dinant.example.be/relais',
        })
      ).status,
    ).toBe(200);
    expect(
      (await call('DELETE', '/api/v1/organisations/saj-dinant/webhook', sajManager)).status,
    ).toBe(204);

    const chef = staffIdOf('chef@saj-dinant.demo');
    const { rows } = await relais.database.pool.query<{
      type: string;
      actor: string;
      recorded_at: Date;
    }>(
      `select type, metadata->>'actor' as actor, recorded_at from events
       where stream_id in ($1, 'organisation-saj-dinant', 'webhook-saj-dinant') and type <> 'OrganisationRegistered'
       order by global_position`,
      [`staff-${body.id}`],
    );
    expect(rows.map((r) => [r.type, r.actor])).toEqual([
      ['StaffMemberRegistered', chef],
      ['StaffMemberUpdated', chef],
      ['StaffMemberDeactivated', chef],
      ['OrganisationUpdated', chef],
      ['WebhookConfigured', chef],
      ['WebhookRemoved', chef],
    ]);
    expect(rows.every((r) => r.recorded_at instanceof Date)).toBe(true);
    await eventually(async () => {
      const organisation = await call<{ contactEmail: string; closureDays: string[] }>(
        'GET',
        '/api/v1/organisations/saj-dinant',
        sajManager,
      );
      return (
        organisation.body.contactEmail === 'accueil@saj-dinant.demo' &&
        organisation.body.closureDays.join() === '2026-12-24'
      );
    });
  });

  it('PATCH /api/v1/organisations/:id: a manager changes their own organisation only', async () => {
    const answer = await call('PATCH', '/api/v1/organisations/cpas-ciney', sajManager, {
      name: 'Autre nom',
    });
    expect(answer).toMatchObject({ status: 403, body: { code: 'NOT_YOUR_ORGANISATION' } });
    expect(
      (await call('PATCH', '/api/v1/organisations/nowhere', admin, { name: 'Nulle part' })).status,
    ).toBe(404);
  });
});

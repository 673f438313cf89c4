import { apiOf, Call } from '../support/api';
import { readPdf } from '../support/pdf-text';
import { decoded, ReceivedMail, SmtpReceiver, startSmtpReceiver } from '../support/receivers';
import { eventually, startTestRelais, TestRelais } from '../support/relais-app';
import { hsdsPageValidator } from '../hsds/hsds-schema';

jest.setTimeout(90_000);

const AMO = {
  name: 'AMO Le Cercle',
  sector: 'association',
  fields: ['social', 'education'],
  address: { street: 'Rue Grande 12', postalCode: '5500', city: 'Dinant', province: 'Namur' },
  contact: { email: 'contact@amo-le-cercle.demo', phone: '+32 82 22 33 44' },
  servicesOffered: ['Accueil des jeunes', 'Soutien scolaire'],
  charterSignedOn: '2025-03-01',
};

describe('the coordination sociale over HTTP', () => {
  const received: ReceivedMail[] = [];
  let smtp: SmtpReceiver;
  let relais: TestRelais;
  let call: Call;
  let coordinator: string;
  let delegate: string;
  let delegateId: string;
  let ciney: string;

  beforeAll(async () => {
    smtp = await startSmtpReceiver(0, received);
    relais = await startTestRelais({
      SMTP_URL: smtp.url,
      MAIL_FROM: 'Relais Dinant <relais@relais.demo>',
      PUBLIC_URL: 'https://relais.example.be',
    });
    call = apiOf(relais);
    coordinator = await relais.token('coordination@relais.demo');
    delegate = await relais.token('delegue1@saj-dinant.demo');
    ciney = await relais.token('as@cpas-ciney.demo');
    delegateId = (await call<{ staffId: string }>('GET', '/api/v1/me', delegate)).body.staffId;
  });
  afterAll(async () => {
    await relais.close();
    await smtp.close();
  });

  async function ok<T = { id: string }>(method: string, path: string, body?: unknown): Promise<T> {
    const answer = await call<T>(method, path, coordinator, body);
    if (answer.status >= 300)
      throw new Error(`${method} ${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body;
  }

  /** The minutes' e-mails to an address (the demo's case notifications reach some of them too). */
  const minutesTo = (address: string, meetingId: string) =>
    received.filter((m) => m.to.includes(address) && decoded(m.raw).includes(meetingId));

  it('a working group meets, approves its minutes at the next meeting, and they reach a member and a political official', async () => {
    const { id: amo } = await ok('POST', '/api/v1/coordination/members', AMO);
    const { id: group } = await ok('POST', '/api/v1/coordination/bodies', {
      kind: 'working_group',
      name: 'Groupe de travail Jeunesse',
      theme: 'Jeunesse',
    });
    await ok('POST', `/api/v1/coordination/bodies/${group}/members`, {
      kind: 'organisation',
      memberId: amo,
    });
    const { key: delegateKey } = await ok<{ key: string }>(
      'POST',
      `/api/v1/coordination/bodies/${group}/members`,
      {
        kind: 'person',
        name: 'Délégué·e 1, SAJ de Dinant',
        email: 'delegue1@saj-dinant.demo',
        staffId: delegateId,
      },
    );
    await ok('POST', '/api/v1/coordination/officials', {
      name: 'Anne Lenoir',
      role: 'Présidente du CPAS de Dinant',
      email: 'presidente@cpas-dinant.demo',
    });

    const convene = (date: string) =>
      ok('POST', '/api/v1/coordination/meetings', {
        bodyId: group,
        date,
        place: 'CPAS de Dinant, salle du conseil',
        agenda: ['Approbation du PV précédent', 'Collaboration CPAS–SAJ'],
      });
    const { id: october } = await convene('2026-10-15');
    const { id: november } = await convene('2026-11-19');
    await ok('PUT', `/api/v1/coordination/meetings/${october}/attendance`, {
      attendance: [
        { member: amo, status: 'present' },
        { member: delegateKey, status: 'excused' },
      ],
    });
    await ok('PUT', `/api/v1/coordination/meetings/${october}/minutes`, {
      text: 'Les services présentent leurs actions jeunesse. Proposition : un protocole CPAS–SAJ.',
    });
    await ok('POST', `/api/v1/coordination/meetings/${october}/minutes/approval`, {
      approvedAtMeetingId: november,
    });
    await ok('POST', `/api/v1/coordination/meetings/${october}/minutes/distribution`);

    for (const address of [
      'presidente@cpas-dinant.demo',
      AMO.contact.email,
      'delegue1@saj-dinant.demo',
    ]) {
      await eventually(() => Promise.resolve(minutesTo(address, october).length === 1));
      const text = decoded(minutesTo(address, october)[0]?.raw ?? '');
      expect(text).toContain('Voici le procès-verbal de la réunion du 15/10/2026');
      expect(text).toContain('approuvé le 19/11/2026');
      expect(text).toContain('Présents : AMO Le Cercle');
      expect(text).toContain('Excusés : Délégué·e 1, SAJ de Dinant');
      expect(text).toContain('Proposition : un protocole CPAS–SAJ.');
      expect(text).toContain(`https://relais.example.be/coordination/meetings/${october}`);
    }

    // The member with an account finds them in their inbox, and reads them.
    await eventually(
      async () =>
        (await call<unknown[]>('GET', '/api/v1/coordination/minutes', delegate)).body.length === 1,
    );
    const inbox = await call<{ meetingId: string; bodyName: string }[]>(
      'GET',
      '/api/v1/coordination/minutes',
      delegate,
    );
    expect(inbox.body).toEqual([
      expect.objectContaining({ meetingId: october, bodyName: 'Groupe de travail Jeunesse' }),
    ]);
    const read = await call<{ minutes: { status: string; text: string } }>(
      'GET',
      `/api/v1/coordination/meetings/${october}`,
      delegate,
    );
    expect(read.status).toBe(200);
    expect(read.body.minutes).toMatchObject({ status: 'distributed', approvedOn: '2026-11-19' });
    expect(
      (await call<{ id: string }[]>('GET', '/api/v1/coordination/bodies', delegate)).body.map(
        (b) => b.id,
      ),
    ).toContain(group);

    // …and as a PDF in French.
    const pdf = await fetch(`${relais.url}/api/v1/coordination/meetings/${october}/minutes.pdf`, {
      headers: { authorization: `Bearer ${delegate}` },
    });
    expect([pdf.status, pdf.headers.get('content-type')]).toEqual([200, 'application/pdf']);
    const { text: printed } = readPdf(Buffer.from(await pdf.arrayBuffer()));
    for (const words of [
      'Procès-verbal',
      'Groupe de travail « Groupe de travail Jeunesse »',
      'Réunion du 15/10/2026',
      'Approuvé lors de la réunion du 19/11/2026',
      'Présents : AMO Le Cercle',
      'Excusés : Délégué·e 1, SAJ de Dinant',
      'Proposition : un protocole CPAS–SAJ.',
    ]) {
      expect(printed).toContain(words);
    }

    // Someone who sits in none of it sees nothing of it.
    expect(
      (await call('GET', `/api/v1/coordination/meetings/${october}/minutes.pdf`, ciney)).status,
    ).toBe(404);
    expect((await call('GET', `/api/v1/coordination/meetings/${october}`, ciney)).status).toBe(404);
    expect((await call('GET', `/api/v1/coordination/bodies/${group}`, ciney)).status).toBe(404);
    expect(
      (await call<{ id: string }[]>('GET', '/api/v1/coordination/bodies', ciney)).body.map(
        (b) => b.id,
      ),
    ).not.toContain(group);

    // Each delivery is recorded: an e-mail to each member and official (the demo's too), one inbox.
    const officials = (
      await call<{ email: string }[]>('GET', '/api/v1/coordination/officials', coordinator)
    ).body.map((o) => o.email);
    expect(officials).toContain('presidente@cpas-dinant.demo');
    const emails = [AMO.contact.email, 'delegue1@saj-dinant.demo', ...officials].sort();
    await eventually(async () => {
      const deliveries = await call<{ status: string }[]>(
        'GET',
        `/api/v1/coordination/meetings/${october}/deliveries`,
        coordinator,
      );
      return (
        deliveries.body.length === emails.length + 1 &&
        deliveries.body.every((d) => d.status === 'delivered')
      );
    });
    const deliveries = await call<{ channel: string; recipient: string }[]>(
      'GET',
      `/api/v1/coordination/meetings/${october}/deliveries`,
      coordinator,
    );
    expect(deliveries.body.map((d) => [d.channel, d.recipient])).toEqual([
      ...emails.map((email) => ['email', email]),
      ['inbox', delegateId],
    ]);

    // Distributed once: a second distribution is refused and sends nothing more.
    const again = await call<{ code: string }>(
      'POST',
      `/api/v1/coordination/meetings/${october}/minutes/distribution`,
      coordinator,
    );
    expect(again.status).toBe(422);
    expect(again.body.code).toBe('MINUTES_ALREADY_DISTRIBUTED');
  });

  it('answers bad input with a 4xx naming the field, never a 5xx', async () => {
    const cases: [string, string, unknown, number, string][] = [
      [
        'POST',
        '/api/v1/coordination/members',
        { ...AMO, address: { ...AMO.address, postalCode: 'x' } },
        400,
        'address.postalCode',
      ],
      ['POST', '/api/v1/coordination/members', { ...AMO, fields: ['astrology'] }, 400, 'fields'],
      [
        'POST',
        '/api/v1/coordination/members',
        { ...AMO, contact: { email: 'nope' } },
        400,
        'contact.email',
      ],
      ['POST', '/api/v1/coordination/members', { ...AMO, niss: '85073003328' }, 400, 'niss'],
      [
        'POST',
        '/api/v1/coordination/bodies',
        { kind: 'party', name: 'X', theme: 'Y' },
        400,
        'kind',
      ],
      [
        'POST',
        '/api/v1/coordination/meetings',
        { bodyId: 'nope', date: '2026-02-30', place: 'CPAS', agenda: [] },
        400,
        'bodyId',
      ],
      [
        'POST',
        '/api/v1/coordination/officials',
        { name: 'A', role: 'Échevin', email: 'e@x.demo' },
        400,
        'name',
      ],
    ];
    for (const [method, path, body, status, field] of cases) {
      const answer = await call<{ errors?: { field: string }[] }>(method, path, coordinator, body);
      expect([path, answer.status]).toEqual([path, status]);
      expect(answer.body.errors?.map((e) => e.field)).toContain(field);
    }
  });

  it('refuses minutes that name a family’s national number, an official’s account that does not exist, and a meeting of an unknown body', async () => {
    const { id: group } = await ok('POST', '/api/v1/coordination/bodies', {
      kind: 'commission',
      name: 'Commission Logement',
      theme: 'Logement',
    });
    const { id: meeting } = await ok('POST', '/api/v1/coordination/meetings', {
      bodyId: group,
      date: '2026-10-01',
      place: 'CPAS de Dinant',
      agenda: ['Tour de table'],
    });
    const refused = await call<{ code: string; field?: string }>(
      'PUT',
      `/api/v1/coordination/meetings/${meeting}/minutes`,
      coordinator,
      {
        text: 'La famille 85.07.30-033.28 déménage à Ciney.',
      },
    );
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('CASE_CONTENT_REFUSED');
    const unknown = await call<{ code: string }>(
      'POST',
      '/api/v1/coordination/meetings',
      coordinator,
      {
        bodyId: '00000000-0000-4000-8000-000000000000',
        date: '2026-10-01',
        place: 'CPAS',
        agenda: [],
      },
    );
    expect([unknown.status, unknown.body.code]).toEqual([422, 'UNKNOWN_BODY']);
  });

  it('GET and POST /api/v1/coordination/members/hsds: the directory in HSDS 3.0, valid against its schema, and read back', async () => {
    await eventually(
      async () =>
        (await call<unknown[]>('GET', '/api/v1/coordination/members', coordinator)).body.length > 0,
    );
    const exported = await call<{ contents: Record<string, unknown>[] }>(
      'GET',
      '/api/v1/coordination/members/hsds',
      ciney,
    );
    expect(exported.status).toBe(200);
    expect(hsdsPageValidator()(exported.body)).toEqual([]);
    expect(exported.body.contents.map((o) => o.name)).toContain('AMO Le Cercle');

    const id = '7c1d2e3f-4a5b-4c6d-8e7f-901234567890';
    const other = {
      ...exported.body.contents[0],
      id,
      name: 'Planning familial de Dinant',
      services: [],
    };
    const imported = await call<{ registered: string[]; updated: string[] }>(
      'POST',
      '/api/v1/coordination/members/hsds',
      coordinator,
      { ...exported.body, contents: [...exported.body.contents, other] },
    );
    expect(imported.status).toBe(200);
    expect(imported.body.registered).toEqual([id]);
    expect(imported.body.updated).toHaveLength(exported.body.contents.length);
    await eventually(async () =>
      (await call<{ id: string }[]>('GET', '/api/v1/coordination/members', coordinator)).body.some(
        (m) => m.id === id,
      ),
    );

    const bad = await call<{ errors: { field: string }[] }>(
      'POST',
      '/api/v1/coordination/members/hsds',
      coordinator,
      {
        contents: [{ ...other, email: undefined }],
      },
    );
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e) => e.field)).toEqual(['contents.0.email']);
  });

  it('the demo: the Dinant COS and its youth working group, whose last meetings’ minutes were approved at the next', async () => {
    const bodies = await call<{ id: string; name: string; theme: string }[]>(
      'GET',
      '/api/v1/coordination/bodies',
      delegate,
    );
    const youth = bodies.body.find(
      (b) => b.theme === 'Jeunes en difficulté : collaboration CPAS–SAJ',
    );
    expect(bodies.body.map((b) => b.name)).toContain(
      'Comité d’orientation social (COS) de Prospect 15',
    );
    const meetings = await call<
      { date: string; minutes: { status: string; approvedOn: string | null } }[]
    >('GET', `/api/v1/coordination/bodies/${youth?.id}/meetings`, delegate);
    expect(meetings.body.map((m) => [m.date, m.minutes.status, m.minutes.approvedOn])).toEqual([
      ['2026-11-10', 'drafted', null],
      ['2026-10-11', 'approved', '2026-11-10'],
      ['2026-09-11', 'approved', '2026-10-11'],
    ]);
  });

  it('GET /api/v1/coordination/protocols/:id/origins: the Dinant protocol came from the youth group’s October meeting', async () => {
    const origins = await call<{ bodyName: string; date: string; meetingId: string }[]>(
      'GET',
      '/api/v1/coordination/protocols/dinant-cpas-saj/origins',
      ciney,
    );
    expect(origins.body.map((o) => [o.bodyName, o.date])).toEqual([
      ['Groupe de travail Jeunesse', '2026-10-11'],
    ]);
    const meeting = await call<{ protocolIds: string[] }>(
      'GET',
      `/api/v1/coordination/meetings/${origins.body[0]?.meetingId}`,
      delegate,
    );
    expect(meeting.body.protocolIds).toEqual(['dinant-cpas-saj']);
    const unknown = await call<{ code: string }>(
      'POST',
      `/api/v1/coordination/meetings/${origins.body[0]?.meetingId}/protocols`,
      coordinator,
      { protocolId: 'no-such-protocol' },
    );
    expect([unknown.status, unknown.body.code]).toEqual([422, 'UNKNOWN_PROTOCOL']);
  });
});

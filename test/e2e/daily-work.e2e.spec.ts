import type { CasePage, CaseSummary, Notification, OpenCasePreview } from '@relais/wire';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { apiOf, Call, joinedBy, notificationIn } from '../support/api';
import { eventually, startTestRelais, TestRelais } from '../support/relais-app';

jest.setTimeout(90_000);

interface Problem {
  readonly code: string;
  readonly errors?: readonly { field: string }[];
}

/** Daily work on the cases list and the inbox (issue 12): names, search, filters. */
describe('daily work', () => {
  let relais: TestRelais;
  let call: Call;
  let asCiney: string;
  let delegue: string;
  let asRochefort: string;
  let asDinant: string;

  beforeAll(async () => {
    relais = await startTestRelais();
    call = apiOf(relais);
    asCiney = await relais.token('as@cpas-ciney.demo');
    delegue = await relais.token('delegue1@saj-dinant.demo');
    asRochefort = await relais.token('as@cpas-rochefort.demo');
    asDinant = await relais.token('as@cpas-dinant.demo');
  });
  afterAll(() => relais.close());

  let families = 0;
  /** A CPAS Ciney case of a family of its own: names no other test uses. */
  async function aFamily(
    token = asCiney,
    commune = '91030',
    niss?: string,
  ): Promise<{ caseId: string; reference: string; lastName: string; firstName: string }> {
    families += 1;
    const firstName = 'Aurélie';
    const lastName = `Journal-Accès${'x'.repeat(families)}`;
    const opened = await call<{ caseId: string }>('POST', '/api/v1/cases', token, {
      occurredOn: '2026-11-02',
      residenceCommune: commune,
      legalBasis: 'legal_obligation',
      familyMembers: [
        { role: 'parent', firstName, lastName, ...(niss ? { niss } : {}) },
        { role: 'child', firstName: 'Noé', lastName },
      ],
    });
    expect(opened.status).toBe(201);
    const { caseId } = opened.body;
    const view = await call<{ reference: string }>('GET', `/api/v1/cases/${caseId}`, token);
    return { caseId, reference: view.body.reference, lastName, firstName };
  }

  /** The first page, as large as it goes: every case these tests open fits in it. */
  const casesOf = async (token: string, query = '') => {
    const answer = await call<CasePage>(
      'GET',
      `/api/v1/cases${query}${query ? '&' : '?'}limit=200`,
      token,
    );
    expect(answer.status).toBe(200);
    return answer.body.items;
  };

  /** The CPAS Ciney social worker logs a RIS suppression: what the SAJ is then told. */
  const risSuppressed = (caseId: string, occurredOn = '2026-11-20') =>
    call('POST', `/api/v1/cases/${caseId}/events`, asCiney, {
      type: 'RisSuppressed',
      occurredOn,
      reason: 'resources_above_threshold',
      effectiveOn: '2026-12-01',
    });

  async function listed(token: string, caseId: string, query = ''): Promise<CaseSummary> {
    let found: CaseSummary | undefined;
    await eventually(async () => {
      found = (await casesOf(token, query)).find((c) => c.caseId === caseId);
      return found !== undefined;
    });
    return found as CaseSummary;
  }

  describe('names on the cases list and the inbox cards', () => {
    it('shows a partner the family by name on its cases list, from the vault', async () => {
      const { caseId, lastName } = await aFamily();
      const row = await listed(asCiney, caseId);
      expect(row.family).toEqual([
        expect.objectContaining({ role: 'parent', erased: false, firstName: 'Aurélie', lastName }),
        expect.objectContaining({ role: 'child', erased: false, firstName: 'Noé', lastName }),
      ]);
      // A list names the family; what else the vault holds stays on the case page.
      expect(Object.keys(row.family[0] ?? {}).sort()).toEqual(
        ['erased', 'firstName', 'lastName', 'role', 'subjectId'].sort(),
      );
    });

    it('names the family on the inbox card of a partner that joined on a legal basis, never before', async () => {
      const { caseId, lastName } = await aFamily();
      const sent = await call('POST', `/api/v1/cases/${caseId}/events`, asCiney, {
        type: 'ReferralSent',
        occurredOn: '2026-11-03',
        to: 'saj-dinant',
        reason: 'youth_aid_needed',
      });
      expect(sent.status).toBe(201);
      // Not accepted yet: neither the SAJ's list nor its inbox names the family.
      await eventually(async () =>
        (await call<{ caseId: string }[]>('GET', '/api/v1/referrals', delegue)).body.some(
          (r) => r.caseId === caseId,
        ),
      );
      expect(JSON.stringify(await casesOf(delegue))).not.toContain(lastName);
      expect(JSON.stringify((await call('GET', '/api/v1/inbox', delegue)).body)).not.toContain(
        lastName,
      );

      const other = await aFamily();
      await joinedBy(call, asCiney, other.caseId, 'saj-dinant', {
        legalBasis: 'judicial_mandate',
      });
      expect((await risSuppressed(other.caseId)).status).toBe(201);
      const card = await notificationIn(call, delegue, other.caseId, 'cpas-ris-suppressed');
      expect(card.caseAccess).toBe('partner');
      expect(card.family).toEqual([
        expect.objectContaining({ role: 'parent', firstName: 'Aurélie', lastName: other.lastName }),
        expect.objectContaining({ role: 'child', firstName: 'Noé', lastName: other.lastName }),
      ]);
      expect((await listed(delegue, other.caseId)).family[0]).toMatchObject({
        lastName: other.lastName,
      });
    });

    it('never names the family to an organisation without a basis: the new commune’s CPAS', async () => {
      const { caseId, lastName } = await aFamily();
      await joinedBy(call, asCiney, caseId, 'saj-dinant', { legalBasis: 'judicial_mandate' });
      const moved = await call('POST', `/api/v1/cases/${caseId}/events`, asCiney, {
        type: 'FamilyRelocated',
        occurredOn: '2026-11-19',
        destinationCommune: '91114',
        effectiveOn: '2026-11-19',
      });
      expect(moved.status).toBe(201);
      const notice = await notificationIn(call, asRochefort, caseId, 'cpas-family-relocated');
      expect(notice.caseAccess).toBe('referral');
      expect(notice.family).toEqual([]);
      expect(JSON.stringify((await call('GET', '/api/v1/inbox', asRochefort)).body)).not.toContain(
        lastName,
      );
    });

    it('shows an erased person as erased', async () => {
      const { caseId } = await aFamily();
      const parent = (await listed(asCiney, caseId)).family[0]?.subjectId;
      const dpo = await relais.token('dpo@relais.demo');
      const erased = await call('POST', '/api/v1/erasures', dpo, {
        subjectId: parent,
        reason: 'data_subject_request',
      });
      expect(erased.status).toBe(201);
      const row = await listed(asCiney, caseId);
      expect(row.family[0]).toEqual({ subjectId: parent, role: 'parent', erased: true });
      expect(row.family[1]).toMatchObject({ erased: false, firstName: 'Noé' });
    });
  });

  describe('GET /cases?q=: search by name, NISS or reference', () => {
    it('finds a case by a name, any token, accents and case aside', async () => {
      const { caseId, lastName } = await aFamily();
      const typed = lastName.toUpperCase().replace('È', 'E').replace('-', ' ');
      for (const q of [typed, 'aurelie', `noe ${lastName}`]) {
        const found = await casesOf(asCiney, `?q=${encodeURIComponent(q)}&status=open`);
        expect(found.map((c) => c.caseId)).toContain(caseId);
      }
      const miss = await casesOf(asCiney, `?q=${encodeURIComponent(`${lastName} Lambotte`)}`);
      expect(miss.map((c) => c.caseId)).not.toContain(caseId);
    });

    it('finds a case by NISS, typed with its dots and dashes, and by its reference', async () => {
      const { caseId, reference } = await aFamily(asCiney, '91030', '85073003328');
      expect(
        (await casesOf(asCiney, `?q=${encodeURIComponent('85.07.30-033.28')}`)).map(
          (c) => c.caseId,
        ),
      ).toEqual([caseId]);
      expect(
        (await casesOf(asCiney, `?q=${encodeURIComponent(reference.toLowerCase())}`)).map(
          (c) => c.caseId,
        ),
      ).toEqual([caseId]);
    });

    it('finds only the caller’s own cases', async () => {
      const { lastName } = await aFamily();
      expect(await casesOf(asDinant, `?q=${encodeURIComponent(lastName)}`)).toEqual([]);
    });

    it('refuses a search too long, naming q', async () => {
      const answer = await call<Problem>('GET', `/api/v1/cases?q=${'a'.repeat(202)}`, asCiney);
      expect(answer.status).toBe(400);
      expect(answer.body.errors?.map((e) => e.field)).toEqual(['q']);
    });
  });

  describe('GET /cases filters: mine, commune, status', () => {
    it('filters by commune and by the cases assigned to the caller', async () => {
      const me = (await call<{ staffId: string }>('GET', '/api/v1/me', asCiney)).body.staffId;
      const chef = await relais.token('chef@cpas-ciney.demo');
      const colleague = (await call<{ staffId: string }>('GET', '/api/v1/me', chef)).body.staffId;
      const open = (commune: string, assignedStaffIds: string[]) =>
        call<{ caseId: string }>('POST', '/api/v1/cases', asCiney, {
          occurredOn: '2026-11-02',
          residenceCommune: commune,
          legalBasis: 'legal_obligation',
          assignedStaffIds,
          familyMembers: [{ role: 'parent', firstName: 'Mina', lastName: 'Assignée' }],
        });
      const mine = await open('91030', [me]);
      const theirs = await open('91034', [colleague]);
      expect([mine.status, theirs.status]).toEqual([201, 201]);
      const elsewhere = theirs.body;
      await listed(asCiney, elsewhere.caseId);

      const assigned = await casesOf(asCiney, '?assigned=me');
      expect(assigned.map((c) => c.caseId)).toContain(mine.body.caseId);
      expect(assigned.map((c) => c.caseId)).not.toContain(elsewhere.caseId);

      const inCommune = await casesOf(asCiney, '?commune=91034');
      expect(inCommune.map((c) => c.caseId)).toContain(elsewhere.caseId);
      expect(inCommune.every((c) => c.residenceCommune === '91034')).toBe(true);
    });

    it.each([
      ['status=shut', 'status'],
      ['commune=Ciney', 'commune'],
      ['assigned=you', 'assigned'],
    ])('refuses %s with a 400 naming the field', async (query, field) => {
      const answer = await call<Problem>('GET', `/api/v1/cases?${query}`, asCiney);
      expect(answer.status).toBe(400);
      expect(answer.body.code).toBe('VALIDATION_FAILED');
      expect(answer.body.errors?.map((e) => e.field)).toEqual([field]);
    });
  });

  describe('POST /cases/preview: a NISS that already has an open case in the organisation', () => {
    const opening = (niss: string, lastName = 'Doublon') => ({
      occurredOn: '2026-11-02',
      residenceCommune: '91030',
      legalBasis: 'legal_obligation',
      familyMembers: [
        { role: 'child', firstName: 'Léa', lastName },
        { role: 'parent', firstName: 'Marc', lastName, niss },
      ],
    });

    it('names the open case of the same NISS, by the blind index, and only the caller’s own', async () => {
      const niss = '90021500195';
      const { caseId, reference } = await aFamily(asCiney, '91030', niss);
      await listed(asCiney, caseId);
      const preview = await call<OpenCasePreview>(
        'POST',
        '/api/v1/cases/preview',
        asCiney,
        opening(niss),
      );
      expect(preview.status).toBe(200);
      expect(preview.body.openCases).toEqual([
        { member: 1, caseId, reference, openedOn: '2026-11-02' },
      ]);
      // Another organisation's case of the same person is not the caller's to know of.
      const elsewhere = await call<OpenCasePreview>(
        'POST',
        '/api/v1/cases/preview',
        asDinant,
        opening(niss),
      );
      expect(elsewhere.body.openCases).toEqual([]);
      const other = await call<OpenCasePreview>(
        'POST',
        '/api/v1/cases/preview',
        asCiney,
        opening('90021500294'),
      );
      expect(other.body.openCases).toEqual([]);

      // The worker may go on: the preview writes nothing and opening is not refused.
      expect((await call('POST', '/api/v1/cases', asCiney, opening(niss))).status).toBe(201);

      // Once the organisation closes its file the case is no longer an open one of it.
      const closed = await call('POST', `/api/v1/cases/${caseId}/events`, asCiney, {
        type: 'CaseClosed',
        occurredOn: '2026-11-20',
        reason: 'objectives_reached',
      });
      expect(closed.status).toBe(201);
      await eventually(async () =>
        (
          await call<OpenCasePreview>('POST', '/api/v1/cases/preview', asCiney, opening(niss))
        ).body.openCases.every((c) => c.caseId !== caseId),
      );
    });

    it('checks the body as opening does, naming the field, and keeps no NISS in clear', async () => {
      const bad = await call<Problem>('POST', '/api/v1/cases/preview', asCiney, {
        ...opening('123'),
      });
      expect(bad.status).toBe(400);
      expect(bad.body.errors?.map((e) => e.field)).toEqual(['familyMembers.1.niss']);
      const { rows: tables } = await relais.database.pool.query<{ table_name: string }>(
        "select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'",
      );
      const dump: string[] = [];
      for (const { table_name } of tables) {
        const { rows } = await relais.database.pool.query<{ row: string }>(
          `select t::text as row from "${table_name}" t`,
        );
        dump.push(...rows.map((r) => r.row));
      }
      expect([...dump, ...relais.logger.lines].join('\n')).not.toContain('90021500195');
    });
  });

  describe('GET /cases pages: keyset, a bounded limit and a next cursor', () => {
    it('pages through every case once, newest change first', async () => {
      for (let i = 0; i < 3; i++) await aFamily(asRochefort, '91114');
      const all = await casesOf(asRochefort);
      expect(all.length).toBeGreaterThanOrEqual(3);
      const seen: string[] = [];
      let after: string | null = null;
      let pages = 0;
      do {
        const query: string = after === null ? '' : `&after=${encodeURIComponent(after)}`;
        const page: { status: number; body: CasePage } = await call<CasePage>(
          'GET',
          `/api/v1/cases?limit=2${query}`,
          asRochefort,
        );
        expect(page.status).toBe(200);
        expect(page.body.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.body.items.map((c) => c.caseId));
        after = page.body.next;
        pages += 1;
      } while (after !== null && pages < 50);
      expect(seen).toEqual(all.map((c) => c.caseId));
      expect(pages).toBe(Math.ceil(all.length / 2));
    });

    it.each([
      ['limit=0', 'limit'],
      ['limit=201', 'limit'],
      ['limit=ten', 'limit'],
      ['after=not-a-cursor', 'after'],
    ])('refuses %s with a 400 naming the field', async (query, field) => {
      const answer = await call<Problem>('GET', `/api/v1/cases?${query}`, asCiney);
      expect(answer.status).toBe(400);
      expect(answer.body.errors?.map((e) => e.field)).toEqual([field]);
    });

    it('answers 50 cases when no limit is asked', async () => {
      const answer = await call<CasePage>('GET', '/api/v1/cases', asCiney);
      expect(answer.status).toBe(200);
      expect(answer.body.items.length).toBeLessThanOrEqual(50);
      expect(answer.body.next === null).toBe(answer.body.items.length < 50);
    });
  });

  describe('reassigning the case’s worker, and the worker’s phone on notifications', () => {
    const staffOf = async (organisationId: string) =>
      (
        await call<{ id: string; email: string; phone: string | null; active: boolean }[]>(
          'GET',
          `/api/v1/staff?organisationId=${organisationId}`,
          asCiney,
        )
      ).body;
    const aWorker = async (email: string, phone?: string) => {
      const chef = await relais.token('chef@cpas-ciney.demo');
      const registered = await call<{ id: string }>('POST', '/api/v1/staff', chef, {
        organisationId: 'cpas-ciney',
        name: `Relève ${email.split('@')[0]}`,
        email,
        roles: ['social_worker'],
        ...(phone ? { phone } : {}),
      });
      expect(registered.status).toBe(201);
      await eventually(async () =>
        (await staffOf('cpas-ciney')).some((s) => s.id === registered.body.id),
      );
      return registered.body.id;
    };

    it('POST /staff and PATCH /staff/:id keep a Belgian phone as +32…, and refuse another naming phone', async () => {
      const id = await aWorker('releve.tel@cpas-ciney.demo', '081/23.45.67');
      expect((await staffOf('cpas-ciney')).find((s) => s.id === id)?.phone).toBe('+3281234567');
      const chef = await relais.token('chef@cpas-ciney.demo');
      for (const phone of ['12345', '+33 1 23 45 67 89', '02 123 45 6']) {
        const refused = await call<Problem>('PATCH', `/api/v1/staff/${id}`, chef, { phone });
        expect(refused.status).toBe(400);
        expect(refused.body.errors?.map((e) => e.field)).toEqual(['phone']);
      }
      expect(
        (await call('PATCH', `/api/v1/staff/${id}`, chef, { phone: '+32 470 12 34 56' })).status,
      ).toBe(200);
      await eventually(async () =>
        (await staffOf('cpas-ciney')).some((s) => s.id === id && s.phone === '+32470123456'),
      );
      expect((await call('PATCH', `/api/v1/staff/${id}`, chef, { phone: null })).status).toBe(200);
      await eventually(async () =>
        (await staffOf('cpas-ciney')).some((s) => s.id === id && s.phone === null),
      );
    });

    it('POST /cases/:id/events CaseWorkerReassigned: active staff of the partner only, on the timeline', async () => {
      const { caseId } = await aFamily();
      const newWorker = await aWorker('releve.dossier@cpas-ciney.demo');
      const me = (await call<{ staffId: string }>('GET', '/api/v1/me', asCiney)).body.staffId;
      const sajDelegate = (await call<{ staffId: string }>('GET', '/api/v1/me', delegue)).body
        .staffId;
      const reassign = (assignedStaffIds: unknown) =>
        call<Problem>('POST', `/api/v1/cases/${caseId}/events`, asCiney, {
          type: 'CaseWorkerReassigned',
          occurredOn: '2026-11-10',
          assignedStaffIds,
        });
      const foreign = await reassign([newWorker, sajDelegate]);
      expect(foreign.status).toBe(422);
      expect(foreign.body).toMatchObject({
        code: 'NOT_ASSIGNABLE',
        errors: [{ field: 'assignedStaffIds.1' }],
      });
      const same = await reassign([me]);
      expect(same.status).toBe(422);
      expect(same.body).toMatchObject({
        code: 'ALREADY_ASSIGNED',
        errors: [{ field: 'assignedStaffIds' }],
      });
      expect((await reassign([])).body.errors?.map((e) => e.field)).toEqual(['assignedStaffIds']);

      await listed(asCiney, caseId, '?assigned=me');
      expect((await reassign([newWorker])).status).toBe(201);
      const timeline = await call<{ type: string; data: Record<string, unknown> }[]>(
        'GET',
        `/api/v1/cases/${caseId}/timeline`,
        asCiney,
      );
      expect(timeline.body.find((e) => e.type === 'CaseWorkerReassigned')?.data).toMatchObject({
        assignedStaffIds: [newWorker],
        previousStaffIds: [me],
      });
      // The case leaves the previous worker's own list.
      await eventually(
        async () => !(await casesOf(asCiney, '?assigned=me')).some((c) => c.caseId === caseId),
      );
    });

    it('the inbox card, the e-mail and the webhook name the worker assigned now, with the phone', async () => {
      const chefSaj = await relais.token('chef@saj-dinant.demo');
      expect(
        (
          await call('PUT', '/api/v1/organisations/saj-dinant/webhook', chefSaj, {
            url: 'http://127.0.0.1:9/relais/webhook',
          })
        ).status,
      ).toBe(200);
      const { caseId, lastName } = await aFamily();
      await joinedBy(call, asCiney, caseId, 'saj-dinant', { legalBasis: 'judicial_mandate' });
      expect((await risSuppressed(caseId, '2026-11-19')).status).toBe(201);
      const before = await notificationIn(call, delegue, caseId, 'cpas-ris-suppressed');
      expect(before.contacts.map((c) => c.email)).toEqual(['as@cpas-ciney.demo']);

      const newWorker = await aWorker('releve.contact@cpas-ciney.demo', '0470 12 34 56');
      expect(
        (
          await call('POST', `/api/v1/cases/${caseId}/events`, asCiney, {
            type: 'CaseWorkerReassigned',
            occurredOn: '2026-11-19',
            assignedStaffIds: [newWorker],
          })
        ).status,
      ).toBe(201);
      // The card read now names the worker assigned now, also on the notification sent before.
      const contact = {
        name: 'Relève releve.contact',
        email: 'releve.contact@cpas-ciney.demo',
        phone: '+32470123456',
        organisationId: 'cpas-ciney',
      };
      await notificationIn(call, delegue, caseId, 'cpas-ris-suppressed', (n) =>
        n.contacts.some((c) => c.email === contact.email),
      );
      const cards = (await call<Notification[]>('GET', '/api/v1/inbox', delegue)).body.filter(
        (n) => n.caseId === caseId,
      );
      expect(cards.map((n) => n.contacts)).toEqual(cards.map(() => [contact]));

      expect((await risSuppressed(caseId)).status).toBe(201);
      let messages: { channel: string; message: unknown }[] = [];
      await eventually(async () => {
        messages = (
          await relais.database.pool.query<{ channel: string; message: unknown }>(
            `select o.channel, o.message from outbox o join inbox i using (obligation_id)
             where i.case_id = $1 and i.occurred_on = '2026-11-20'`,
            [caseId],
          )
        ).rows;
        return messages.some((m) => m.channel === 'webhook');
      });
      const email = messages.find((m) => m.channel === 'email')?.message as { text: string };
      expect(email.text).toContain(
        '- Relève releve.contact <releve.contact@cpas-ciney.demo>, tél. +32 470 12 34 56',
      );
      expect(email.text).not.toContain('as@cpas-ciney.demo');
      const webhook = messages.find((m) => m.channel === 'webhook')?.message as {
        body: { obligation: { contacts: unknown } };
      };
      expect(webhook.body.obligation.contacts).toEqual([contact]);
      expect(JSON.stringify(messages)).not.toContain(lastName);
    });
  });

  describe('a webhook retried after a reassignment', () => {
    it('names the worker assigned when it is sent, not when it was written', async () => {
      // The SAJ's receiver refuses until told otherwise, and keeps every body it is sent.
      let accepting = false;
      const bodies: { obligation?: { caseId?: string; contacts?: { email: string }[] } }[] = [];
      const receiver = createServer((request, response) => {
        const chunks: Buffer[] = [];
        request.on('data', (chunk: Buffer) => chunks.push(chunk));
        request.on('end', () => {
          if (!accepting) return response.writeHead(503).end();
          bodies.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as (typeof bodies)[0]);
          response.writeHead(204).end();
        });
      });
      await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
      const startedAt = relais.clock.now();
      try {
        const { port } = receiver.address() as AddressInfo;
        const chefSaj = await relais.token('chef@saj-dinant.demo');
        const url = `http://127.0.0.1:${port}/relais/webhook`;
        const set = await call('PUT', '/api/v1/organisations/saj-dinant/webhook', chefSaj, { url });
        expect(set.status).toBe(200);
        const { caseId } = await aFamily();
        await joinedBy(call, asCiney, caseId, 'saj-dinant', { legalBasis: 'judicial_mandate' });
        expect((await risSuppressed(caseId)).status).toBe(201);
        const attempts = async () =>
          (
            await relais.database.pool.query<{ attempts: number }>(
              `select o.attempts from outbox o join inbox i using (obligation_id)
               where i.case_id = $1 and o.channel = 'webhook'`,
              [caseId],
            )
          ).rows[0]?.attempts ?? 0;
        await eventually(async () => (await attempts()) >= 1);

        const chef = await relais.token('chef@cpas-ciney.demo');
        const colleague = (await call<{ staffId: string }>('GET', '/api/v1/me', chef)).body.staffId;
        const reassigned = await call('POST', `/api/v1/cases/${caseId}/events`, asCiney, {
          type: 'CaseWorkerReassigned',
          occurredOn: '2026-11-20',
          assignedStaffIds: [colleague],
        });
        expect(reassigned.status).toBe(201);
        await notificationIn(call, delegue, caseId, 'cpas-ris-suppressed', (n) =>
          n.contacts.some((c) => c.email === 'chef@cpas-ciney.demo'),
        );
        accepting = true;
        // The retry is due a second after the failure, by the app's clock, which tests move.
        relais.clock.set(new Date(startedAt.getTime() + 60_000));
        await eventually(() =>
          Promise.resolve(bodies.some((b) => b.obligation?.caseId === caseId)),
        );
        const sent = bodies.find((b) => b.obligation?.caseId === caseId);
        expect(sent?.obligation?.contacts?.map((c) => c.email)).toEqual(['chef@cpas-ciney.demo']);
      } finally {
        relais.clock.set(startedAt);
        await new Promise((resolve) => receiver.close(resolve));
      }
    });
  });

  describe('GET /inbox?scope=mine follows a reassignment on the recipient’s side', () => {
    it('moves the notifications of a case to the worker the recipient assigns now', async () => {
      const staffIdOf = async (token: string) =>
        (await call<{ staffId: string }>('GET', '/api/v1/me', token)).body.staffId;
      const delegue2 = await relais.token('delegue2@saj-dinant.demo');
      const [first, second] = [await staffIdOf(delegue), await staffIdOf(delegue2)];
      const { caseId } = await aFamily();
      await joinedBy(call, asCiney, caseId, 'saj-dinant', {
        legalBasis: 'judicial_mandate',
        assignedStaffIds: [first],
      });
      expect((await risSuppressed(caseId)).status).toBe(201);
      const mine = async (token: string) =>
        (await call<Notification[]>('GET', '/api/v1/inbox?scope=mine', token)).body.filter(
          (n) => n.caseId === caseId,
        );
      await eventually(async () => (await mine(delegue)).length === 1);
      expect(await mine(delegue2)).toEqual([]);

      const reassigned = await call('POST', `/api/v1/cases/${caseId}/events`, delegue, {
        type: 'CaseWorkerReassigned',
        occurredOn: '2026-11-20',
        assignedStaffIds: [second],
      });
      expect(reassigned.status).toBe(201);
      await eventually(async () => (await mine(delegue2)).length === 1);
      expect((await mine(delegue2))[0]?.assignedToMe).toBe(true);
      expect(await mine(delegue)).toEqual([]);
    });
  });

  describe('GET /referrals: the referrals sent are bounded', () => {
    it('answers the `outgoing` newest sent, and refuses a bound out of range naming it', async () => {
      for (const to of ['saj-dinant', 'spj-dinant']) {
        const { caseId } = await aFamily();
        const sent = await call('POST', `/api/v1/cases/${caseId}/events`, asCiney, {
          type: 'ReferralSent',
          occurredOn: '2026-11-05',
          to,
          reason: 'joint_follow_up',
        });
        expect(sent.status).toBe(201);
      }
      await eventually(
        async () =>
          (await call<{ direction: string }[]>('GET', '/api/v1/referrals', asCiney)).body.filter(
            (r) => r.direction === 'outgoing',
          ).length >= 2,
      );
      const one = await call<{ direction: string }[]>(
        'GET',
        '/api/v1/referrals?outgoing=1',
        asCiney,
      );
      expect(one.body.filter((r) => r.direction === 'outgoing')).toHaveLength(1);
      for (const bad of ['0', '201', 'all']) {
        const answer = await call<Problem>('GET', `/api/v1/referrals?outgoing=${bad}`, asCiney);
        expect(answer.status).toBe(400);
        expect(answer.body.errors?.map((e) => e.field)).toEqual(['outgoing']);
      }
    });
  });
});

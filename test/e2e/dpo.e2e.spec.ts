import { randomUUID } from 'node:crypto';
import type { SubjectMatch, SubjectReport } from '@relais/wire';
import { apiOf, Call, joinedBy, notificationIn } from '../support/api';
import { readPdf } from '../support/pdf-text';
import { startTestRelais, TestRelais } from '../support/relais-app';

jest.setTimeout(120_000);

const AURELIE = {
  role: 'parent',
  firstName: 'Aurélie',
  lastName: 'Journal-Accès',
  niss: '85073003328',
  birthDate: '1985-07-30',
  address: { street: 'Rue de l’Église 3', postalCode: '5590', municipality: 'Ciney' },
};
const NOE = { role: 'child', firstName: 'Noé', lastName: 'Journal-Accès' };

describe('the DPO: a person found by NISS or name, and their own report', () => {
  let relais: TestRelais;
  let call: Call;
  let worker: string;
  let delegate: string;
  let dpo: string;
  let caseId: string;
  let reference: string;
  let aurelie: string;

  beforeAll(async () => {
    relais = await startTestRelais();
    call = apiOf(relais);
    worker = await relais.token('as@cpas-ciney.demo');
    delegate = await relais.token('delegue1@saj-dinant.demo');
    dpo = await relais.token('dpo@relais.demo');
    const opened = await call<{ caseId: string }>('POST', '/api/v1/cases', worker, {
      occurredOn: '2026-11-02',
      residenceCommune: '91030',
      legalBasis: 'legal_obligation',
      familyMembers: [AURELIE, NOE],
    });
    expect(opened.status).toBe(201);
    caseId = opened.body.caseId;
    await joinedBy(call, worker, caseId, 'saj-dinant', { legalBasis: 'judicial_mandate' });
    const logged = await call('POST', `/api/v1/cases/${caseId}/events`, worker, {
      type: 'RisSuppressed',
      occurredOn: '2026-11-19',
      reason: 'resources_above_threshold',
      effectiveOn: '2026-12-01',
    });
    expect(logged.status).toBe(201);
    await notificationIn(call, delegate, caseId, 'cpas-ris-suppressed');
    const view = await call<{ reference: string; family: { subjectId: string }[] }>(
      'GET',
      `/api/v1/cases/${caseId}`,
      delegate,
    );
    reference = view.body.reference;
    aurelie = view.body.family[0]?.subjectId ?? '';
  });
  afterAll(() => relais.close());

  const entriesOf = async (route: string) =>
    (
      await relais.database.pool.query<{
        purpose: string;
        subject_ids: string[];
        case_ids: string[];
      }>(
        'select purpose, subject_ids, case_ids from access_log where route = $1 order by day, seq',
        [route],
      )
    ).rows;

  it('GET /api/v1/dpo/subjects?niss=: the person with that NISS, dots and dash allowed, with their cases and references and nothing else about them; the search is logged', async () => {
    const found = await call<{ items: SubjectMatch[] }>(
      'GET',
      '/api/v1/dpo/subjects?niss=85.07.30-033.28',
      dpo,
    );
    expect(found.status).toBe(200);
    expect(found.body.items).toEqual([
      {
        subjectId: aurelie,
        cases: [{ caseId, reference, status: 'open', openedOn: '2026-11-02', role: 'parent' }],
      },
    ]);
    expect(JSON.stringify(found.body)).not.toMatch(/Aurélie|Journal|85073003328|1985/);
    const [entry] = (await entriesOf('GET /api/v1/dpo/subjects')).slice(-1);
    expect(entry).toMatchObject({
      purpose: 'dpo_review',
      subject_ids: [aurelie],
      case_ids: [caseId],
    });
  });

  it('GET /api/v1/dpo/subjects?name=: by the full name in either order, whatever the accents and case', async () => {
    const found = await call<{ items: SubjectMatch[] }>(
      'GET',
      `/api/v1/dpo/subjects?name=${encodeURIComponent('journal acces  AURELIE')}`,
      dpo,
    );
    expect(found.body.items.map((i) => i.subjectId)).toEqual([aurelie]);
    const child = await call<{ items: SubjectMatch[] }>(
      'GET',
      `/api/v1/dpo/subjects?name=${encodeURIComponent('Noé Journal-Accès')}`,
      dpo,
    );
    expect(child.body.items[0]?.cases[0]).toMatchObject({ caseId, role: 'child' });
    const nobody = await call<{ items: SubjectMatch[] }>(
      'GET',
      '/api/v1/dpo/subjects?name=Personne%20Inconnue',
      dpo,
    );
    expect(nobody).toEqual({ status: 200, body: { items: [] } });
  });

  it.each([
    ['niss=1234', 'niss'],
    ['niss=85073003328&name=A%20B', 'niss'],
    ['', 'niss'],
    ['name=Aurélie', 'name'],
    [`name=${'a'.repeat(150)}%20${'b'.repeat(150)}`, 'name'],
  ])('GET /api/v1/dpo/subjects?%s: 400 naming %s', async (query, field) => {
    const response = await fetch(`${relais.url}/api/v1/dpo/subjects?${query}`, {
      headers: { authorization: `Bearer ${dpo}` },
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const problem = (await response.json()) as { code: string; errors: { field: string }[] };
    expect(problem.code).toBe('VALIDATION_FAILED');
    expect(problem.errors.map((e) => e.field)).toEqual([field]);
  });

  it('is the DPO’s alone', async () => {
    for (const token of [worker, delegate, await relais.token('admin@relais.demo')]) {
      expect((await call('GET', '/api/v1/dpo/subjects?niss=85073003328', token)).status).toBe(403);
      expect((await call('GET', `/api/v1/dpo/subjects/${aurelie}/report`, token)).status).toBe(403);
    }
  });

  it('GET /api/v1/dpo/subjects/:id/report: what the vault keeps, the case and its events with their organisations, each notification with its fields, recipient, legal basis and rule, and each access by whom', async () => {
    const answer = await call<SubjectReport>('GET', `/api/v1/dpo/subjects/${aurelie}/report`, dpo);
    expect(answer.status).toBe(200);
    const report = answer.body;
    expect(report.person).toMatchObject({
      erased: false,
      firstName: 'Aurélie',
      lastName: 'Journal-Accès',
      niss: '85073003328',
    });
    expect(report.generatedOn).toBe('2026-11-20');
    const [only] = report.cases;
    expect(report.cases).toHaveLength(1);
    expect(only).toMatchObject({ caseId, reference, role: 'parent' });
    expect(only?.residenceCommune).toEqual({ ins: '91030', name: 'Ciney' });
    expect(only?.events.map((e) => [e.type, e.occurredOn, e.organisation?.name])).toEqual([
      ['CaseOpened', '2026-11-02', 'CPAS de Ciney'],
      ['PartnerJoined', '2026-11-02', 'CPAS de Ciney'],
      ['ReferralSent', '2026-11-03', 'CPAS de Ciney'],
      ['ReferralAccepted', '2026-11-03', 'SAJ de Dinant'],
      ['PartnerJoined', '2026-11-03', 'SAJ de Dinant'],
      ['RisSuppressed', '2026-11-19', 'CPAS de Ciney'],
    ]);
    expect(only?.notifications).toHaveLength(1);
    const notification = only?.notifications[0];
    expect(notification).toMatchObject({
      eventType: 'RisSuppressed',
      from: { id: 'cpas-ciney', name: 'CPAS de Ciney' },
      to: { id: 'saj-dinant', name: 'SAJ de Dinant' },
      legalBasis: 'judicial_mandate',
      rule: {
        ruleId: 'cpas-ris-suppressed',
        title: 'Le CPAS informe le SAJ de la suppression du RIS',
      },
      status: 'open',
    });
    expect(notification?.sharedFields).toContain('effectiveOn');
    const readers = report.accesses.map((a) => [a.organisation.name, a.purpose]);
    expect(readers).toContainEqual(['SAJ de Dinant', 'case_follow_up']);
    expect(readers).toContainEqual(['SAJ de Dinant', 'acknowledgement']);
    expect(readers).toContainEqual([
      "Coordination sociale de l'arrondissement de Dinant (Prospect 15)",
      'dpo_review',
    ]);
    expect(report.accesses.every((a) => a.staff.name !== null)).toBe(true);
  });

  it('GET /api/v1/dpo/subjects/:id/report as a PDF in plain French, by ?format=pdf or Accept: the accents, dates dd/mm/yyyy and organisation names; the download is logged', async () => {
    const before = (await entriesOf('GET /api/v1/dpo/subjects/:id/report')).length;
    for (const [query, headers] of [
      ['?format=pdf', {}],
      ['', { accept: 'application/pdf' }],
    ] as const) {
      const response = await fetch(`${relais.url}/api/v1/dpo/subjects/${aurelie}/report${query}`, {
        headers: { authorization: `Bearer ${dpo}`, ...headers },
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/pdf');
      expect(response.headers.get('content-disposition')).toMatch(/attachment; filename=".*\.pdf"/);
      const pdf = Buffer.from(await response.arrayBuffer());
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
      const { text } = readPdf(pdf);
      for (const expected of [
        'Vos données dans Relais',
        'Aurélie',
        'Journal-Accès',
        'Rue de l’Église 3',
        '30/07/1985',
        '02/11/2026 — Ouverture du dossier',
        "Suppression du revenu d'intégration (RIS)",
        'CPAS de Ciney vers SAJ de Dinant',
        'Base légale : un mandat judiciaire',
        'Le CPAS informe le SAJ de la suppression du RIS',
        'Qui a consulté votre dossier',
        '20/11/2026 à 10:00',
        'SAJ de Dinant',
      ]) {
        expect(text).toContain(expected);
      }
      expect(text).not.toMatch(/cpas-ciney|saj-dinant|2026-11-/);
    }
    const after = await entriesOf('GET /api/v1/dpo/subjects/:id/report');
    expect(after.length - before).toBe(2);
    // The case read for the report names its whole family, as ids.
    expect(after[after.length - 1]).toMatchObject({
      purpose: 'dpo_review',
      case_ids: [caseId],
    });
    expect(after[after.length - 1]?.subject_ids).toContain(aurelie);
  });

  it('answers 404 SUBJECT_NOT_FOUND for a person Relais holds nothing about, 400 for an id that is not one', async () => {
    // Asked twice: the first asking, logged, does not make the id known.
    const id = randomUUID();
    for (let i = 0; i < 2; i++) {
      const unknown = await call<{ code: string }>('GET', `/api/v1/dpo/subjects/${id}/report`, dpo);
      expect(unknown.status).toBe(404);
      expect(unknown.body.code).toBe('SUBJECT_NOT_FOUND');
    }
    expect((await call('GET', '/api/v1/dpo/subjects/abc/report', dpo)).status).toBe(400);
    const format = await call<{ errors: { field: string }[] }>(
      'GET',
      `/api/v1/dpo/subjects/${aurelie}/report?format=docx`,
      dpo,
    );
    expect(format.status).toBe(400);
    expect(format.body.errors[0]?.field).toBe('format');
  });
});

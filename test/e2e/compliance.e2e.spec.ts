import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { aCaseWithTheSaj, apiOf, Call, notificationIn } from '../support/api';
import { readPdf } from '../support/pdf-text';
import { eventually, startTestRelais, TestRelais } from '../support/relais-app';

/** Where the report downloaded is kept, to open and look at. */
const ARTIFACTS = join(__dirname, '..', 'browser', 'artifacts');

jest.setTimeout(90_000);

interface Indicators {
  obligations: number;
  loggedOnTime: number;
  loggedOnTimeShare: number | null;
  loggingDelayMedian: number | null;
  loggingDelayP90: number | null;
  acknowledgedOnTime: number;
  acknowledgedLate: number;
  acknowledgedOnTimeShare: number | null;
  acknowledgementDelayMedian: number | null;
  open: number;
  atRisk: number;
  breached: number;
  blocked: number;
  fulfilledOutside: number;
}
type Row = Indicators & {
  obligedOrganisationId: string;
  recipientOrganisationId: string;
  ruleId: string;
  month: string;
};
interface Summary {
  from: string;
  to: string;
  organisation: string | null;
  network: Indicators;
  totals: Indicators;
  rows: Row[];
  trend: (Indicators & { month: string })[];
}
interface FollowUp {
  items: {
    obligationId: string;
    caseReference: string;
    obligedOrganisationId: string;
    recipientOrganisationId: string;
    status: string;
    atRisk: boolean;
  }[];
  total: number;
  page: number;
  pageSize: number;
}

/**
 * A hand-computed month for CPAS Beauraing, an organisation the demo data leaves alone, with the
 * clock on Friday 20 November 2026 (11 November was a holiday):
 * - case A: RIS suppressed on Wed 18/11, logged 20/11 (2 working days; due 25/11: on time),
 *   acknowledged by the SAJ the same day (0 working days: on time);
 * - case B: RIS suppressed on Mon 9/11, logged 20/11 (8 working days; due 17/11: late, breached);
 * - case C: the SAJ changes the aid programme on 20/11 (0 working days), the CPAS must
 *   acknowledge by Fri 27/11; at risk from Thu 26/11; acknowledged Mon 30/11 (6 working days: late).
 */
describe('protocol compliance', () => {
  let relais: TestRelais;
  let call: Call;
  const tokens: Record<string, string> = {};
  const ids: Record<string, string> = {};

  const token = (email: string) => relais.token(email);
  const at = (when: string) => relais.clock.set(new Date(when));
  const summaryOf = async (who: string, query = '') =>
    call<Summary>('GET', `/api/v1/compliance/summary${query}`, await token(who));
  const rowOf = (summary: Summary, obliged: string, ruleId: string) =>
    summary.rows.find(
      (r) => r.obligedOrganisationId === obliged && r.ruleId === ruleId && r.month === '2026-11',
    );

  /** A case of a family of Beauraing (91013), shared with the SAJ. */
  const aBeauraingCase = () => aCaseWithTheSaj(call, tokens.as as string, [], '91013');

  beforeAll(async () => {
    relais = await startTestRelais();
    call = apiOf(relais);
    tokens.as = await token('as@cpas-beauraing.demo');
    tokens.delegue = await token('delegue1@saj-dinant.demo');
    const log = (caseId: string, who: string, body: object) =>
      call('POST', `/api/v1/cases/${caseId}/events`, who, body);

    ids.a = await aBeauraingCase();
    await log(ids.a, tokens.as, {
      type: 'RisSuppressed',
      occurredOn: '2026-11-18',
      reason: 'other',
      effectiveOn: '2026-11-18',
    });
    const a = await notificationIn(call, tokens.delegue, ids.a, 'cpas-ris-suppressed');
    await call('POST', `/api/v1/notifications/${a.id}/acknowledge`, tokens.delegue);

    ids.b = await aBeauraingCase();
    await log(ids.b, tokens.as, {
      type: 'RisSuppressed',
      occurredOn: '2026-11-09',
      reason: 'other',
      effectiveOn: '2026-11-09',
    });

    ids.c = await aBeauraingCase();
    await log(ids.c, tokens.delegue, {
      type: 'AidProgrammeChanged',
      occurredOn: '2026-11-20',
      programme: 'in_family_support',
    });
    ids.cNotification = (
      await notificationIn(call, tokens.as, ids.c, 'saj-aid-programme-changed')
    ).id;
    // Everything has reached the compliance read model.
    await eventually(async () => {
      const { body } = await summaryOf('coordination@relais.demo', '?organisation=cpas-beauraing');
      const ris = rowOf(body, 'cpas-beauraing', 'cpas-ris-suppressed');
      return (
        ris?.obligations === 2 && ris.acknowledgedOnTime === 1 && body.totals.obligations === 3
      );
    });
  });
  afterAll(() => relais.close());
  afterEach(() => at('2026-11-20T10:00:00+01:00'));

  it('matches the hand-computed figures per organisation, rule and month', async () => {
    const { status, body } = await summaryOf(
      'coordination@relais.demo',
      '?organisation=cpas-beauraing&from=2026-11&to=2026-11',
    );
    expect(status).toBe(200);
    expect(body.rows).toHaveLength(2);
    expect(rowOf(body, 'cpas-beauraing', 'cpas-ris-suppressed')).toEqual({
      month: '2026-11',
      obligedOrganisationId: 'cpas-beauraing',
      recipientOrganisationId: 'saj-dinant',
      ruleId: 'cpas-ris-suppressed',
      obligations: 2,
      loggedOnTime: 1,
      loggedOnTimeShare: 0.5,
      loggingDelayMedian: 2,
      loggingDelayP90: 8,
      acknowledgedOnTime: 1,
      acknowledgedLate: 0,
      acknowledgedOnTimeShare: 1,
      acknowledgementDelayMedian: 0,
      open: 0,
      atRisk: 0,
      breached: 1,
      blocked: 0,
      fulfilledOutside: 0,
    });
    expect(rowOf(body, 'saj-dinant', 'saj-aid-programme-changed')).toMatchObject({
      recipientOrganisationId: 'cpas-beauraing',
      obligations: 1,
      loggedOnTime: 1,
      loggingDelayMedian: 0,
      open: 1,
      atRisk: 0,
      acknowledgedOnTimeShare: null,
    });
    expect(body.totals).toMatchObject({ obligations: 3, loggedOnTime: 2, open: 1, breached: 1 });
    expect(body.network.obligations).toBeGreaterThan(body.totals.obligations);
    expect(body.trend.map((p) => p.month)).toEqual([
      '2025-12',
      '2026-01',
      '2026-02',
      '2026-03',
      '2026-04',
      '2026-05',
      '2026-06',
      '2026-07',
      '2026-08',
      '2026-09',
      '2026-10',
      '2026-11',
    ]);
    expect(body.trend[11]?.obligations).toBe(3);
  });

  it('counts an open obligation at risk from the working day before its due date, then acknowledged late', async () => {
    at('2026-11-26T09:00:00+01:00');
    const risky = await summaryOf('coordination@relais.demo', '?organisation=cpas-beauraing');
    expect(rowOf(risky.body, 'saj-dinant', 'saj-aid-programme-changed')?.atRisk).toBe(1);
    const list = await call<FollowUp>(
      'GET',
      '/api/v1/compliance/obligations?status=at_risk&organisation=cpas-beauraing',
      await token('chef@cpas-beauraing.demo'),
    );
    expect(list.body.items.map((i) => i.obligationId)).toEqual([ids.cNotification]);
    expect(list.body.items[0]).toMatchObject({ atRisk: true, status: 'open' });
    expect(list.body.items[0]?.caseReference).toMatch(/^BEA-2026-/);

    at('2026-11-30T09:00:00+01:00');
    await call(
      'POST',
      `/api/v1/notifications/${ids.cNotification}/acknowledge`,
      await token('as@cpas-beauraing.demo'),
    );
    await eventually(async () => {
      const { body } = await summaryOf('coordination@relais.demo', '?organisation=cpas-beauraing');
      return rowOf(body, 'saj-dinant', 'saj-aid-programme-changed')?.acknowledgedLate === 1;
    });
    const { body } = await summaryOf('coordination@relais.demo', '?organisation=cpas-beauraing');
    expect(rowOf(body, 'saj-dinant', 'saj-aid-programme-changed')).toMatchObject({
      open: 0,
      atRisk: 0,
      acknowledgedOnTime: 0,
      acknowledgedLate: 1,
      acknowledgedOnTimeShare: 0,
      acknowledgementDelayMedian: 6,
      breached: 0,
    });
  });

  describe('who sees what', () => {
    it('a manager sees their organisation’s rows and the network’s totals, nothing of another', async () => {
      const own = await summaryOf('chef@cpas-beauraing.demo');
      expect(own.status).toBe(200);
      expect(own.body.organisation).toBe('cpas-beauraing');
      expect(
        own.body.rows.every(
          (r) =>
            r.obligedOrganisationId === 'cpas-beauraing' ||
            r.recipientOrganisationId === 'cpas-beauraing',
        ),
      ).toBe(true);
      expect(own.body.network.obligations).toBeGreaterThan(own.body.totals.obligations);
      const other = await summaryOf('chef@cpas-beauraing.demo', '?organisation=cpas-ciney');
      expect([other.status, (other.body as unknown as { code: string }).code]).toEqual([
        403,
        'NOT_YOUR_ORGANISATION',
      ]);
      // The refusal names its field and whose figures the manager does see, for the web app to say.
      expect(other.body).toMatchObject({
        params: { organisation: 'cpas-beauraing' },
        errors: [{ field: 'organisation' }],
      });
      const breached = await call<FollowUp>(
        'GET',
        '/api/v1/compliance/obligations?status=breached',
        await token('chef@cpas-beauraing.demo'),
      );
      expect(breached.body.items.length).toBeGreaterThan(0);
      expect(
        breached.body.items.every(
          (i) =>
            i.obligedOrganisationId === 'cpas-beauraing' ||
            i.recipientOrganisationId === 'cpas-beauraing',
        ),
      ).toBe(true);
    });

    it('the coordinator sees every organisation', async () => {
      const all = await summaryOf('coordination@relais.demo');
      const organisations = new Set(all.body.rows.map((r) => r.obligedOrganisationId));
      expect(organisations.has('cpas-beauraing')).toBe(true);
      expect(organisations.has('cpas-ciney')).toBe(true);
      expect(all.body.totals).toEqual(all.body.network);
    });

    it('social workers and delegates see only their organisation’s open obligations', async () => {
      const as = await token('as@cpas-beauraing.demo');
      expect((await call('GET', '/api/v1/compliance/summary', as)).status).toBe(403);
      expect((await call('GET', '/api/v1/compliance/report.csv', as)).status).toBe(403);
      await call('POST', `/api/v1/cases/${ids.a}/events`, tokens.delegue as string, {
        type: 'CaseJudicialised',
        occurredOn: '2026-11-20',
        to: 'tribunal_de_la_jeunesse',
      });
      const judicialised = await notificationIn(call, as, ids.a as string, 'saj-case-judicialised');
      let open: { status: number; body: FollowUp } | undefined;
      await eventually(async () => {
        open = await call<FollowUp>('GET', '/api/v1/compliance/obligations?status=open', as);
        return open.body.items.some((i) => i.obligationId === judicialised.id);
      });
      expect(open?.status).toBe(200);
      expect(open?.body.items.every((i) => i.status === 'open')).toBe(true);
      expect(
        open?.body.items.every(
          (i) =>
            i.obligedOrganisationId === 'cpas-beauraing' ||
            i.recipientOrganisationId === 'cpas-beauraing',
        ),
      ).toBe(true);
      expect((await call('GET', '/api/v1/compliance/obligations?status=breached', as)).status).toBe(
        403,
      );
      expect((await call('GET', '/api/v1/compliance/obligations', as)).status).toBe(403);
      expect(
        (
          await call(
            'GET',
            '/api/v1/compliance/obligations?status=open&organisation=cpas-ciney',
            as,
          )
        ).status,
      ).toBe(403);
      const delegue = await call<FollowUp>(
        'GET',
        '/api/v1/compliance/obligations?status=open',
        await token('delegue1@saj-dinant.demo'),
      );
      expect(
        delegue.body.items.every(
          (i) =>
            i.obligedOrganisationId === 'saj-dinant' || i.recipientOrganisationId === 'saj-dinant',
        ),
      ).toBe(true);
    });

    it('names the bad field of a bad query', async () => {
      const coordinator = await token('coordination@relais.demo');
      for (const [path, field] of [
        ['/api/v1/compliance/summary?from=2026-13', 'from'],
        ['/api/v1/compliance/summary?from=2026-11&to=2026-10', 'from'],
        ['/api/v1/compliance/obligations?status=late', 'status'],
        ['/api/v1/compliance/obligations?pageSize=1000', 'pageSize'],
        ['/api/v1/compliance/obligations?from=20-11-2026', 'from'],
        ['/api/v1/compliance/report.pdf?month=november', 'month'],
      ] as const) {
        const answer = await call<{ errors: { field: string }[] }>('GET', path, coordinator);
        expect([path, answer.status, answer.body.errors[0]?.field]).toEqual([path, 400, field]);
      }
    });
  });

  it('pages through the follow-up list', async () => {
    const coordinator = await token('coordination@relais.demo');
    const first = await call<FollowUp>(
      'GET',
      '/api/v1/compliance/obligations?pageSize=2',
      coordinator,
    );
    const second = await call<FollowUp>(
      'GET',
      '/api/v1/compliance/obligations?pageSize=2&page=2',
      coordinator,
    );
    expect(first.body.total).toBeGreaterThan(3);
    expect(second.body.total).toBe(first.body.total);
    expect(first.body.items).toHaveLength(2);
    const seen = [...first.body.items, ...second.body.items].map((i) => i.obligationId);
    expect(new Set(seen).size).toBe(4);
  });

  describe('the monthly report', () => {
    const download = async (path: string, who: string) => {
      const response = await fetch(`${relais.url}${path}`, {
        headers: { authorization: `Bearer ${await token(who)}` },
      });
      return {
        status: response.status,
        type: response.headers.get('content-type'),
        disposition: response.headers.get('content-disposition'),
        body: Buffer.from(await response.arrayBuffer()),
      };
    };

    it('as CSV: one line per organisation and rule, and the totals', async () => {
      const csv = await download(
        '/api/v1/compliance/report.csv?month=2026-11',
        'chef@cpas-beauraing.demo',
      );
      expect(csv.status).toBe(200);
      expect(csv.type).toMatch(/^text\/csv/);
      expect(csv.disposition).toContain('relais-conformite-2026-11.csv');
      const lines = csv.body
        .toString('utf8')
        .replace(/^\uFEFF/, '')
        .trim()
        .split('\r\n');
      expect(lines[0]).toMatch(
        /^mois;organisation_tenue;organisation_destinataire;regle;obligations;informees_dans_le_delai;part_dans_le_delai;/,
      );
      // Names a reader recognises, shares as percentages and decimals with a comma, as a fr-BE
      // spreadsheet reads them; the ids last, for whoever joins the file with other data.
      expect(lines).toContainEqual(
        expect.stringMatching(
          /^2026-11;CPAS de Beauraing;SAJ de Dinant;Le CPAS informe le SAJ de la suppression du RIS;2;1;50%;2;8;.*;cpas-beauraing;saj-dinant;cpas-ris-suppressed$/,
        ),
      );
      expect(lines.join('\n')).not.toMatch(/\d\.\d/);
      const { totals } = (await summaryOf('chef@cpas-beauraing.demo', '?from=2026-11&to=2026-11'))
        .body;
      const share = (value: number | null) =>
        value === null ? '' : `${(value * 100).toFixed(1).replace('.', ',').replace(/,0$/, '')}%`;
      const days = (value: number | null) =>
        value === null ? '' : String(value).replace('.', ',');
      expect(lines.at(-2)).toBe(
        `2026-11;Total CPAS de Beauraing;;;${totals.obligations};${totals.loggedOnTime};${share(totals.loggedOnTimeShare)};` +
          `${days(totals.loggingDelayMedian)};${days(totals.loggingDelayP90)};${totals.acknowledgedOnTime};${totals.acknowledgedLate};` +
          `${share(totals.acknowledgedOnTimeShare)};${days(totals.acknowledgementDelayMedian)};${totals.open};${totals.atRisk};` +
          `${totals.breached};${totals.blocked};${totals.fulfilledOutside};cpas-beauraing;;`,
      );
      expect(lines.at(-1)).toMatch(/^2026-11;Total du réseau;;;.*;;;$/);
    });

    it('as a PDF that opens and reads in French, with its chart', async () => {
      const pdf = await download(
        '/api/v1/compliance/report.pdf?month=2026-11',
        'chef@cpas-beauraing.demo',
      );
      expect(pdf.status).toBe(200);
      expect(pdf.type).toBe('application/pdf');
      expect(pdf.body.subarray(0, 5).toString()).toBe('%PDF-');
      const { pages, text } = readPdf(pdf.body);
      mkdirSync(ARTIFACTS, { recursive: true });
      writeFileSync(join(ARTIFACTS, 'monthly-report.pdf'), pdf.body);
      writeFileSync(join(ARTIFACTS, 'monthly-report.txt'), text);
      expect(text).toContain('Respect du protocole — novembre 2026');
      expect(text).toContain('CPAS de Beauraing');
      expect(text).toContain('Informées dans le délai, par organisation tenue d’informer');
      expect(text).toMatch(/50 % \(1\/2\)/); // the chart's bar for CPAS Beauraing
      expect(text).not.toMatch(/Lambotte|Noémie|Dumont|Céline/);
      // Two rows fit under the chart: the table follows on the same page, no page half empty.
      expect(pages).toBe(1);
      // Its own font, embedded, so that every character prints as written: the arrow too.
      const raw = pdf.body.toString('latin1');
      expect(raw).toContain('/FontFile2');
      expect(raw).toMatch(/\/BaseFont \/[A-Z]{6}\+DejaVuSans/);
      expect(raw).not.toMatch(/\/BaseFont \/Helvetica/);
      const read = text.replace(/\s+/g, ' ');
      expect(read).toContain('CPAS de Beauraing → SAJ de Dinant');
      expect(read).toContain('Délai médian d’accusé de réception : 0 jour ouvrable');
      // The per-rule section as a table: one header, then one row per organisation and rule.
      expect(text).toMatch(
        /Tenue\s+d’informer\s+→\s+destinataire\s+Règle\s+Obligations\s+Dans\s+le\s+délai/,
      );
      expect(text).not.toContain('obligation(s)');
    });
  });

  it('keeps no personal data and no free text in its read models', async () => {
    const { pool } = relais.database;
    const columns = await pool.query<{
      table_name: string;
      column_name: string;
      data_type: string;
    }>(
      `select table_name, column_name, data_type from information_schema.columns
       where table_name like 'compliance_%' and table_schema = current_schema()
       order by table_name, ordinal_position`,
    );
    const text = columns.rows
      .filter((c) => c.data_type === 'text')
      .map((c) => `${c.table_name}.${c.column_name}`);
    expect(text).toEqual([
      'compliance_cases.case_id',
      'compliance_cases.reference',
      'compliance_monthly.obliged_organisation_id',
      'compliance_monthly.recipient_organisation_id',
      'compliance_monthly.rule_id',
      'compliance_obligations.obligation_id',
      'compliance_obligations.event_id',
      'compliance_obligations.case_id',
      'compliance_obligations.obliged_organisation_id',
      'compliance_obligations.recipient_organisation_id',
      'compliance_obligations.protocol_id',
      'compliance_obligations.rule_id',
      'compliance_obligations.event_type',
      'compliance_obligations.breach_reason',
      'compliance_obligations.status',
    ]);
    for (const table of ['compliance_obligations', 'compliance_monthly', 'compliance_cases']) {
      const { rows } = await pool.query<{ row: string }>(`select t::text as row from ${table} t`);
      const dump = rows.map((r) => r.row).join('\n');
      expect(dump).not.toMatch(/Lambotte|Noémie|Dumont|Céline/);
    }
    const references = await pool.query<{ reference: string }>(
      'select reference from compliance_cases',
    );
    expect(references.rows.every((r) => /^[A-Z]{3}-\d{4}-[A-Z0-9]+$/.test(r.reference))).toBe(true);
  });
});

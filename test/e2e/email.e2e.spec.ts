import { eventually, startTestRelais, TestRelais } from '../support/relais-app';
import { apiOf, joinedBy } from '../support/api';
import { ReceivedMail, SmtpReceiver, startSmtpReceiver } from '../support/receivers';

jest.setTimeout(60_000);

/** Quoted-printable soft line breaks and escapes undone, enough to search the French text. */
function decoded(raw: string): string {
  return raw
    .replace(/=\r?\n/g, '')
    .replace(/(=[0-9A-F]{2})+/g, (match) =>
      Buffer.from(match.replace(/=/g, ''), 'hex').toString('utf8'),
    );
}

/** The Subject header, its RFC 2047 encoded words decoded. */
function subjectOf(raw: string): string {
  const header = /^Subject: (.*(?:\r?\n[ \t].*)*)/m.exec(raw)?.[1] ?? '';
  return header
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?UTF-8\?Q\?(.*?)\?=/g, (_, word: string) => decoded(word.replace(/_/g, ' ')));
}

describe('notifications by e-mail', () => {
  const received: ReceivedMail[] = [];
  let smtp: SmtpReceiver;
  let relais: TestRelais;
  let as: string;

  beforeAll(async () => {
    smtp = await startSmtpReceiver(0, received);
    relais = await startTestRelais({
      SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
      MAIL_FROM: 'Relais Dinant <relais@relais.demo>',
      PUBLIC_URL: 'https://relais.example.be',
    });
    as = await relais.token('as@cpas-ciney.demo');
  });
  afterAll(async () => {
    await relais.close();
    await smtp.close();
  });

  async function call<T>(method: string, path: string, body?: unknown) {
    const response = await fetch(`${relais.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${as}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return (await response.json()) as T;
  }

  async function aCaseWithTheSaj(): Promise<{ caseId: string; reference: string }> {
    const { caseId } = await call<{ caseId: string }>('POST', '/api/v1/cases', {
      occurredOn: '2026-11-02',
      residenceCommune: '91030',
      legalBasis: 'legal_obligation',
      familyMembers: [
        { role: 'parent', firstName: 'Aurélie', lastName: 'Grandjean', niss: '90020212372' },
      ],
    });
    await joinedBy(apiOf(relais), as, caseId, 'saj-dinant', { legalBasis: 'judicial_mandate' });
    const { reference } = await call<{ reference: string }>('GET', `/api/v1/cases/${caseId}`);
    return { caseId, reference };
  }

  const about = (reference: string, to: string) =>
    received.filter((m) => m.to.includes(to) && decoded(m.raw).includes(reference));

  it('sends the SAJ a French e-mail with the due date in working days and only the allowed fields', async () => {
    const { caseId, reference } = await aCaseWithTheSaj();
    await call('POST', `/api/v1/cases/${caseId}/events`, {
      type: 'RisSuppressed',
      occurredOn: '2026-11-20',
      reason: 'resources_above_threshold',
      effectiveOn: '2026-12-01',
    });
    await eventually(() => Promise.resolve(about(reference, 'contact@saj-dinant.demo').length > 0));
    const text = decoded(about(reference, 'contact@saj-dinant.demo')[0]?.raw ?? '');
    const message = about(reference, 'contact@saj-dinant.demo')[0]?.raw ?? '';
    expect(subjectOf(message)).toBe(`[Relais] Suppression du RIS — dossier ${reference}`);
    expect(text).toContain('CPAS de Ciney vous informe');
    expect(text).toContain('au plus tard le 27/11/2026');
    expect(text).toContain(`https://relais.example.be/cases/${caseId}`);
    expect(text).toContain('X-Relais-Idempotency-Key:');
    for (const secret of ['Grandjean', 'Aurélie', '90020212372'])
      expect(text).not.toContain(secret);
  });

  it('loses nothing in an SMTP outage: exactly one e-mail arrives once the server is back', async () => {
    const { caseId, reference } = await aCaseWithTheSaj();
    const port = smtp.port;
    await smtp.close();
    await call('POST', `/api/v1/cases/${caseId}/events`, {
      type: 'FamilyRelocated',
      occurredOn: '2026-11-19',
      destinationCommune: '91114',
      effectiveOn: '2026-11-19',
    });
    const pool = relais.database.pool;
    await eventually(async () => {
      const { rows } = await pool.query<{ attempts: number }>(
        `select attempts from outbox where recipient = 'contact@cpas-rochefort.demo' and delivered_at is null and attempts > 0`,
      );
      return rows.length > 0;
    });
    expect(about(reference, 'contact@cpas-rochefort.demo')).toHaveLength(0);

    smtp = await startSmtpReceiver(port, received);
    relais.clock.set(new Date('2026-11-20T11:00:00+01:00')); // past the retry's backoff
    await eventually(() =>
      Promise.resolve(about(reference, 'contact@cpas-rochefort.demo').length > 0),
    );
    await new Promise((r) => setTimeout(r, 1500));
    expect(about(reference, 'contact@cpas-rochefort.demo')).toHaveLength(1);
    expect(decoded(about(reference, 'contact@cpas-rochefort.demo')[0]?.raw ?? '')).toContain(
      'Rochefort (91114)',
    );
  });
});

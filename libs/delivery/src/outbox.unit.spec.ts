import { backoffMs, retriedForADay } from './outbox';
import { belgianDate, notificationEmail } from './notification-email';

describe('outbox retries', () => {
  it('waits 1 s, 2 s, 4 s … up to an hour between attempts', () => {
    expect([1, 2, 3, 4].map(backoffMs)).toEqual([1000, 2000, 4000, 8000]);
    expect(backoffMs(30)).toBe(3_600_000);
  });

  it('gives up once the waits add up to a day', () => {
    expect(retriedForADay(12)).toBe(false);
    expect(retriedForADay(40)).toBe(true);
    const firstDay = Array.from({ length: 60 }, (_, i) => i + 1).find(retriedForADay);
    expect(firstDay).toBe(35);
  });
});

describe('notification e-mail', () => {
  it('is in French, with Belgian dates, the allowed fields and the link to the case', () => {
    const message = notificationEmail({
      to: 'contact@saj-dinant.demo',
      caseReference: 'CIN-2026-AB12',
      caseUrl: 'https://relais.example.be/cases/42',
      from: 'CPAS de Ciney',
      eventType: 'RisSuppressed',
      dueOn: '2026-11-27',
      acknowledgementDueOn: '2026-11-30',
      fields: { occurredOn: '2026-11-20', reason: 'resources_above_threshold' },
    });
    expect(message.subject).toBe('[Relais] Suppression du RIS — dossier CIN-2026-AB12');
    expect(message.text).toContain('CPAS de Ciney vous informe');
    expect(message.text).toContain('- Date de l’événement : 20/11/2026');
    expect(message.text).toContain('- Motif : resources_above_threshold');
    expect(message.text).toContain('au plus tard le 27/11/2026');
    expect(message.text).toContain('avant le 30/11/2026');
    expect(message.text).toContain('https://relais.example.be/cases/42');
    expect(belgianDate('2026-01-05')).toBe('05/01/2026');
  });
});

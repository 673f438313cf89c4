import type { Delivery } from '@relais/delivery';
import { outboxEntriesOf, Recipients, withContacts } from './outbox-entries';
import { belgianDate, notificationEmail } from './notification-email';
import { anObligationOpened } from './testing/an-obligation';

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

const opened = anObligationOpened({
  ruleId: 'relocation',
  eventType: 'FamilyRelocated',
  sharedData: { destinationCommune: '91114', occurredOn: '2026-11-20' },
  channels: ['inbox', 'email', 'webhook'],
  assignedStaffIds: ['staff-saj'],
  contactStaffIds: ['staff-cpas'],
});

const recipients: Recipients = {
  emails: ['contact@saj-dinant.demo', 'delegue1@saj-dinant.demo'],
  hasWebhook: true,
  contacts: [
    {
      name: 'Assistante',
      email: 'as@cpas-ciney.demo',
      phone: '+3283212345',
      organisationId: 'cpas-ciney',
    },
  ],
  caseReference: 'CIN-2026-AB12',
  publicUrl: 'https://relais.example.be',
  organisationName: (id) => (id === 'cpas-ciney' ? 'CPAS de Ciney' : undefined),
  communeName: (ins) => (ins === '91114' ? 'Rochefort' : undefined),
};

describe('outboxEntriesOf', () => {
  it('given an open obligation on e-mail and webhook, writes one e-mail per address and one webhook body', () => {
    const entries = outboxEntriesOf(opened, recipients);
    expect(entries.map((e) => [e.channel, e.recipient])).toEqual([
      ['email', 'contact@saj-dinant.demo'],
      ['email', 'delegue1@saj-dinant.demo'],
      ['webhook', 'saj-dinant'],
    ]);
    const [email, , webhook] = entries;
    expect(email?.channel === 'email' && email.message.text).toContain(
      '- Nouvelle commune : Rochefort (91114)',
    );
    expect(email?.channel === 'email' && email.message.text).toContain(
      '- Assistante <as@cpas-ciney.demo>, tél. +32 83 21 23 45',
    );
    expect(webhook?.message).toMatchObject({
      organisationId: 'saj-dinant',
      body: {
        type: 'obligation.opened',
        deliveryId: webhook?.id,
        obligation: {
          id: 'o-1',
          caseReference: 'CIN-2026-AB12',
          data: opened.sharedData,
          contacts: recipients.contacts,
          acknowledgeUrl: 'https://relais.example.be/api/v1/notifications/o-1/acknowledge',
        },
      },
    });
  });

  it('gives a replay the same ids', () => {
    expect(outboxEntriesOf(opened, recipients).map((e) => e.id)).toEqual(
      outboxEntriesOf(opened, recipients).map((e) => e.id),
    );
  });

  it('writes nothing for a blocked obligation, and no webhook for a recipient without one', () => {
    expect(outboxEntriesOf({ ...opened, status: 'blocked_no_legal_basis' }, recipients)).toEqual(
      [],
    );
    expect(
      outboxEntriesOf(opened, { ...recipients, hasWebhook: false }).map((e) => e.channel),
    ).toEqual(['email', 'email']);
    expect(outboxEntriesOf({ ...opened, channels: ['inbox'] }, recipients)).toEqual([]);
  });
});

describe('withContacts', () => {
  const reassigned = [
    { name: 'Relève', email: 'releve@cpas-ciney.demo', phone: null, organisationId: 'cpas-ciney' },
  ];
  const sent = (entry: ReturnType<typeof outboxEntriesOf>[number]): Delivery => ({
    ...entry,
    attempt: 2,
    retriedAfter: 0,
  });

  it('given the workers assigned now, the e-mail and the webhook name them instead, the rest unchanged', () => {
    const [email, , webhook] = outboxEntriesOf(opened, recipients).map(sent);
    const emailNow = withContacts(email as Delivery, reassigned);
    const text = emailNow.channel === 'email' ? emailNow.message.text : '';
    expect(text).toContain('- Relève <releve@cpas-ciney.demo>');
    expect(text).not.toContain('as@cpas-ciney.demo');
    expect(text).toContain('- Nouvelle commune : Rochefort (91114)');
    const webhookNow = withContacts(webhook as Delivery, reassigned);
    expect(webhookNow.message).toMatchObject({
      body: { obligation: { contacts: reassigned, data: opened.sharedData } },
    });
    expect(webhookNow.id).toBe(webhook?.id);
  });

  it('sends an e-mail written before it kept what it was written from as it is', () => {
    const [email] = outboxEntriesOf(opened, recipients).map(sent);
    const old = { ...(email as Delivery), message: { to: 'x@y.be', subject: 's', text: 't' } };
    expect(withContacts(old as Delivery, reassigned)).toBe(old);
  });
});

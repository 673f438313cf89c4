import {
  DistributedMinutes,
  minutesDeliveries,
  minutesDeliveryEvent,
  minutesEmail,
} from './minutes-distribution';

const minutes: DistributedMinutes = {
  meetingId: 'm-oct',
  bodyName: 'Groupe de travail Jeunesse',
  bodyKind: 'working_group',
  date: '2026-10-15',
  place: 'CPAS de Dinant',
  agenda: ['Approbation du PV précédent', 'Collaboration CPAS–SAJ'],
  attendance: [
    { name: 'AMO Le Cercle', status: 'present' },
    { name: 'Claire Martin', status: 'excused' },
  ],
  text: 'Les services présentent leurs actions jeunesse.',
  approvedOn: '2026-11-19',
  recipients: [
    { kind: 'member', name: 'AMO Le Cercle', email: 'Contact@amo-le-cercle.be' },
    {
      kind: 'member',
      name: 'Claire Martin',
      email: 'claire@cpas-dinant.be',
      staffId: 'staff-claire',
    },
    { kind: 'official', name: 'Anne Lenoir', email: 'presidente@cpas-dinant.be' },
  ],
  publicUrl: 'https://relais.example.be',
};

describe('distributing approved minutes', () => {
  it('e-mails every recipient, members and officials, and fills the inbox of those with an account', () => {
    const { outbox, inbox } = minutesDeliveries(minutes);
    expect(outbox.map((e) => [e.channel, e.recipient, e.source])).toEqual([
      ['email', 'contact@amo-le-cercle.be', 'minutes'],
      ['email', 'claire@cpas-dinant.be', 'minutes'],
      ['email', 'presidente@cpas-dinant.be', 'minutes'],
    ]);
    expect(inbox.map((e) => [e.data.channel, e.data.recipient])).toEqual([
      ['inbox', 'staff-claire'],
    ]);
  });

  it('derives every id from the meeting and the recipient: a replay enqueues nothing new', () => {
    const ids = (m: DistributedMinutes) => {
      const { outbox, inbox } = minutesDeliveries(m);
      return [...outbox.map((e) => e.id), ...inbox.map((e) => e.data.deliveryId)];
    };
    expect(ids(minutes)).toEqual(ids(minutes));
    expect(new Set(ids(minutes)).size).toBe(4);
    expect(ids({ ...minutes, meetingId: 'm-nov' })).not.toEqual(ids(minutes));
  });

  it('writes the minutes in French with the agenda and the attendance', () => {
    const { subject, text } = minutesEmail('presidente@cpas-dinant.be', minutes);
    expect(subject).toBe('[Relais] Procès-verbal — Groupe de travail Jeunesse du 15/10/2026');
    expect(text).toContain('approuvé le 19/11/2026');
    expect(text).toContain('1. Approbation du PV précédent');
    expect(text).toContain('Présents : AMO Le Cercle');
    expect(text).toContain('Excusés : Claire Martin');
    expect(text).toContain('Les services présentent leurs actions jeunesse.');
    expect(text).toContain('https://relais.example.be/coordination/meetings/m-oct');
  });

  it('records an e-mail’s outcome on the meeting: delivered, or failed and perhaps dead-lettered', () => {
    const [entry] = minutesDeliveries(minutes).outbox;
    const delivery = { ...entry!, attempt: 2, retriedAfter: 0 };
    expect(minutesDeliveryEvent({ delivered: true, delivery })).toEqual({
      type: 'MinutesDelivered',
      data: {
        meetingId: 'm-oct',
        channel: 'email',
        recipient: 'contact@amo-le-cercle.be',
        deliveryId: entry!.id,
        attempt: 2,
      },
    });
    expect(
      minutesDeliveryEvent({ delivered: false, delivery, reason: 'refused', deadLettered: true }),
    ).toMatchObject({
      type: 'MinutesDeliveryFailed',
      data: { reason: 'refused', deadLettered: true },
    });
  });
});

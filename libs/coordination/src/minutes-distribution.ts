import type { DeliveryOutcome, EmailMessage, OutboxEntry } from '@relais/delivery';
import { uuidFromName } from '@relais/kernel';
import type { AttendanceStatus, BodyKind } from '@relais/wire';
import type { MeetingEvent, MinutesRecipient } from './meeting';

/** What the minutes' e-mail says of the meeting. */
export interface DistributedMinutes {
  readonly meetingId: string;
  readonly bodyName: string;
  readonly bodyKind: BodyKind;
  readonly date: string;
  readonly place: string;
  readonly agenda: readonly string[];
  readonly attendance: readonly { readonly name: string; readonly status: AttendanceStatus }[];
  readonly text: string;
  readonly approvedOn: string;
  readonly recipients: readonly MinutesRecipient[];
  /** Where the web app is, for the link to the minutes. */
  readonly publicUrl: string;
}

/** A body's kind in French, as minutes name it. */
export const BODY_KIND_LABELS: Readonly<Record<BodyKind, string>> = {
  plenary: 'Assemblée plénière',
  steering_committee: 'Comité d’accompagnement',
  working_group: 'Groupe de travail',
  commission: 'Commission',
};

/** 2026-11-27 -> 27/11/2026. */
const belgian = (iso: string) => iso.split('-').reverse().join('/');

/** The French e-mail of approved minutes: the meeting, who came, the minutes themselves. */
export function minutesEmail(to: string, minutes: DistributedMinutes): EmailMessage {
  const names = (status: AttendanceStatus) =>
    minutes.attendance.filter((a) => a.status === status).map((a) => a.name);
  const present = names('present');
  const excused = names('excused');
  return {
    to,
    subject: `[Relais] Procès-verbal — ${minutes.bodyName} du ${belgian(minutes.date)}`,
    text: [
      'Bonjour,',
      '',
      `Voici le procès-verbal de la réunion du ${belgian(minutes.date)} (${BODY_KIND_LABELS[minutes.bodyKind].toLowerCase()} « ${minutes.bodyName} »), à ${minutes.place}, approuvé le ${belgian(minutes.approvedOn)}.`,
      '',
      'Ordre du jour :',
      ...minutes.agenda.map((item, i) => `${i + 1}. ${item}`),
      '',
      `Présents : ${present.length ? present.join(', ') : '—'}`,
      `Excusés : ${excused.length ? excused.join(', ') : '—'}`,
      '',
      minutes.text,
      '',
      `Dans Relais : ${minutes.publicUrl}/coordination/meetings/${minutes.meetingId}`,
      '',
      'Procès-verbal adressé aux membres et aux responsables politiques de la coordination sociale.',
      '— Relais',
    ].join('\n'),
  };
}

/** The outbox id of the minutes' e-mail to one address: the same on every replay. */
export const minutesEmailDeliveryId = (meetingId: string, email: string) =>
  uuidFromName(`${meetingId}:minutes:email:${email.toLowerCase()}`);

/**
 * What distributing approved minutes sends: one e-mail per recipient (members and political
 * officials alike), and, to each recipient with a Relais account, a delivery to their inbox,
 * recorded at once. Ids derive from the meeting and the recipient, so a replay sends nothing new.
 */
export function minutesDeliveries(minutes: DistributedMinutes): {
  readonly outbox: OutboxEntry[];
  readonly inbox: Extract<MeetingEvent, { type: 'MinutesDelivered' }>[];
} {
  const outbox: OutboxEntry[] = minutes.recipients.map((recipient) => {
    const email = recipient.email.toLowerCase();
    return {
      id: minutesEmailDeliveryId(minutes.meetingId, email),
      source: 'minutes',
      obligationId: minutes.meetingId,
      channel: 'email',
      recipient: email,
      message: minutesEmail(email, minutes),
    };
  });
  const accounts = [...new Set(minutes.recipients.flatMap((r) => (r.staffId ? [r.staffId] : [])))];
  const inbox = accounts.map((staffId) => ({
    type: 'MinutesDelivered' as const,
    data: {
      meetingId: minutes.meetingId,
      channel: 'inbox' as const,
      recipient: staffId,
      deliveryId: uuidFromName(`${minutes.meetingId}:minutes:inbox:${staffId}`),
      attempt: 1,
    },
  }));
  return { outbox, inbox };
}

/** What an e-mail's outcome writes on the meeting's stream: delivered, or delivery failed. */
export function minutesDeliveryEvent(outcome: DeliveryOutcome): MeetingEvent {
  const { delivery } = outcome;
  const base = {
    meetingId: delivery.obligationId,
    channel: 'email' as const,
    recipient: delivery.recipient,
    deliveryId: delivery.id,
    attempt: delivery.attempt,
  };
  return outcome.delivered
    ? { type: 'MinutesDelivered', data: base }
    : {
        type: 'MinutesDeliveryFailed',
        data: { ...base, reason: outcome.reason, deadLettered: outcome.deadLettered },
      };
}

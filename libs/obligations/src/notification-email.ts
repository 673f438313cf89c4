import type { EmailMessage } from '@relais/delivery';
import { formattedBelgianPhone } from '@relais/wire';

const EVENT_LABELS: Readonly<Record<string, string>> = {
  AidProgrammeChanged: "Changement de programme d'aide",
  CaseJudicialised: 'Judiciarisation du dossier',
  CaseClosed: 'Clôture du dossier',
  RisSuppressed: 'Suppression du RIS',
  FamilyRelocated: 'Déménagement de la famille',
};

const FIELD_LABELS: Readonly<Record<string, string>> = {
  occurredOn: 'Date de l’événement',
  effectiveOn: 'Date de prise d’effet',
  reason: 'Motif',
  programme: 'Programme',
  to: 'Vers',
  fromCommune: 'Ancienne commune',
  destinationCommune: 'Nouvelle commune',
};

/** 2026-11-27 -> 27/11/2026, as dates are written in Belgium. */
export function belgianDate(isoDate: string): string {
  const [year, month, day] = isoDate.split('-');
  return `${day}/${month}/${year}`;
}

export interface NotificationEmail {
  readonly to: string;
  readonly caseReference: string;
  readonly caseUrl: string;
  readonly from: string;
  readonly eventType: string;
  readonly dueOn: string;
  readonly acknowledgementDueOn: string | null;
  /** Only what the rule allows; commune codes come with their names. */
  readonly fields: Readonly<Record<string, string>>;
  /** The obliged party's assigned workers, when the rule shares their contact. */
  readonly contacts?: readonly {
    readonly name: string;
    readonly email: string;
    readonly phone?: string | null;
  }[];
}

/** The French e-mail of a notification: what happened, by when, and the link to acknowledge it. */
export function notificationEmail(n: NotificationEmail): EmailMessage {
  const label = EVENT_LABELS[n.eventType] ?? n.eventType;
  const lines = Object.entries(n.fields).map(([field, value]) => {
    const shown = /^\d{4}-\d{2}-\d{2}$/.test(value) ? belgianDate(value) : value;
    return `- ${FIELD_LABELS[field] ?? field} : ${shown}`;
  });
  const acknowledgement = n.acknowledgementDueOn
    ? `Merci d’en accuser réception dans Relais avant le ${belgianDate(n.acknowledgementDueOn)}.`
    : 'Aucun accusé de réception n’est demandé.';
  return {
    to: n.to,
    subject: `[Relais] ${label} — dossier ${n.caseReference}`,
    text: [
      'Bonjour,',
      '',
      `${n.from} vous informe, comme le prévoit le protocole de collaboration : ${label.toLowerCase()}.`,
      '',
      ...lines,
      '',
      ...(n.contacts && n.contacts.length > 0
        ? [
            n.contacts.length === 1 ? 'Personne de contact :' : 'Personnes de contact :',
            ...n.contacts.map(
              (c) =>
                `- ${c.name} <${c.email}>${c.phone ? `, tél. ${formattedBelgianPhone(c.phone)}` : ''}`,
            ),
            '',
          ]
        : []),
      `Information due au plus tard le ${belgianDate(n.dueOn)}.`,
      acknowledgement,
      '',
      `Dossier ${n.caseReference} : ${n.caseUrl}`,
      '',
      'Ce message ne contient que les informations prévues par le protocole.',
      '— Relais',
    ].join('\n'),
  };
}

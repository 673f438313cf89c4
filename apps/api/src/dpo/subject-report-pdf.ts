import { frenchPdf } from '@relais/documents';
import type { ReportCase, ReportNotification, SubjectReport } from '@relais/wire';

/** The words of the report, in plain French: the family reads it. */
const EVENTS: Readonly<Record<string, string>> = {
  CaseOpened: 'Ouverture du dossier',
  PartnerJoined: 'Un service rejoint le suivi',
  PartnerLeft: 'Un service quitte le suivi',
  ConsentRecorded: 'Consentement de la famille',
  ConsentWithdrawn: 'Retrait du consentement',
  ReferralSent: 'Orientation vers un service',
  ReferralAccepted: 'Orientation acceptée',
  ReferralDeclined: 'Orientation refusée',
  AidProgrammeChanged: "Changement de programme d'aide",
  CaseJudicialised: 'Judiciarisation',
  CaseClosed: 'Clôture du dossier',
  RisSuppressed: "Suppression du revenu d'intégration (RIS)",
  FamilyRelocated: 'Déménagement',
  CaseWorkerReassigned: 'Changement d’intervenant·e',
  InformationSharedOutsideRelais: 'Information transmise en dehors de Relais',
};

const LEGAL_BASES: Readonly<Record<string, string>> = {
  family_informed_consent: 'votre consentement éclairé',
  judicial_mandate: 'un mandat judiciaire',
  legal_obligation: 'une obligation légale',
  competence: 'la compétence du service pour votre commune (protocole)',
};

const PURPOSES: Readonly<Record<string, string>> = {
  case_follow_up: 'suivi du dossier',
  acknowledgement: "réception d'une information du protocole",
  compliance_follow_up: 'suivi du respect du protocole',
  dpo_review: 'contrôle par le délégué à la protection des données',
};

const OUTCOMES: Readonly<Record<string, string>> = {
  allowed: 'consulté',
  denied: 'refusé (pas d’accès)',
  refused: 'demande refusée',
};

const ROLES: Readonly<Record<string, string>> = {
  parent: 'parent',
  child: 'enfant',
  other_adult: 'autre adulte',
};

const STATUSES: Readonly<Record<string, string>> = {
  open: 'transmise, en attente d’accusé de réception',
  acknowledged: 'transmise, reçue par le service',
  fulfilled_outside: 'transmise en dehors de Relais',
  blocked_no_legal_basis: 'non transmise : aucune base légale',
};

const FIELDS: Readonly<Record<string, string>> = {
  caseId: 'numéro interne du dossier',
  occurredOn: 'date des faits',
  organisationId: 'service qui a consigné',
  reference: 'référence du dossier',
  residenceCommune: 'commune de résidence',
  subjects: 'membres de la famille (identifiants)',
  partnerId: 'service partenaire',
  partnerKind: 'type de service',
  assignedStaffIds: 'intervenants désignés',
  legalBasis: 'base légale',
  consentId: 'consentement',
  givenBy: 'consentement donné par',
  sharingWith: 'partage autorisé avec',
  referralId: 'orientation',
  to: 'destinataire',
  reason: 'motif',
  programme: "programme d'aide",
  effectiveOn: "date d'effet",
  fromCommune: 'ancienne commune',
  destinationCommune: 'nouvelle commune',
  channel: 'moyen utilisé',
  sharedWith: 'service informé',
  about: "objet de l'information",
  aboutEventId: 'événement concerné',
};

const label = (table: Readonly<Record<string, string>>, code: string) => table[code] ?? code;

/** `2026-11-20` as the family writes it: `20/11/2026`. */
export function frenchDate(date: string): string {
  const [year, month, day] = date.slice(0, 10).split('-');
  return `${day}/${month}/${year}`;
}

const TIME = new Intl.DateTimeFormat('fr-BE', {
  timeZone: 'Europe/Brussels',
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

/** An instant in Brussels: `20/11/2026 à 10:00`. */
export function frenchTime(instant: string): string {
  const parts = Object.fromEntries(
    TIME.formatToParts(new Date(instant)).map((p) => [p.type, p.value]),
  );
  return `${parts.day}/${parts.month}/${parts.year} à ${parts.hour}:${parts.minute}`;
}

/**
 * An A4 PDF in French for the person themself: what Relais keeps about them, their cases and
 * what happened in them, what was told to whom and why, and who read their file, in the font
 * `frenchPdf` embeds.
 */
export function subjectReportPdf(report: SubjectReport): Promise<Buffer> {
  const { doc, done } = frenchPdf({
    title: 'Relais — vos données personnelles',
    subject: "Rapport d'accès de la personne concernée (RGPD, article 15)",
  });

  const heading = (text: string) => doc.moveDown(0.8).fillColor('#000').fontSize(14).text(text);
  const line = (text: string) => doc.fillColor('#000').fontSize(10).text(text);
  const note = (text: string) => doc.fillColor('#333').fontSize(10).text(text);

  doc.fontSize(18).text('Vos données dans Relais');
  note(
    `Rapport établi le ${frenchDate(report.generatedOn)} à votre demande (Règlement général sur la protection des données, article 15).`,
  );
  note(
    'Relais est l’outil que les services sociaux (CPAS, SAJ, SPJ) utilisent pour se tenir informés du suivi de votre famille, selon le protocole qu’ils ont signé.',
  );

  heading('Ce que Relais garde sur vous');
  const { person } = report;
  if (person.erased) {
    line('Vos données personnelles ont été effacées : Relais ne peut plus les lire.');
  } else {
    line(`Nom : ${person.lastName ?? ''}`);
    line(`Prénom : ${person.firstName ?? ''}`);
    if (person.birthDate) line(`Date de naissance : ${frenchDate(person.birthDate)}`);
    if (person.niss) line(`Numéro de registre national : ${person.niss}`);
    if (person.address)
      line(
        `Adresse : ${person.address.street}, ${person.address.postalCode} ${person.address.municipality}`,
      );
    note('Ces données sont chiffrées ; les services n’y accèdent qu’à travers votre dossier.');
  }

  if (report.cases.length === 0) {
    heading('Vos dossiers');
    line('Vous ne figurez dans aucun dossier.');
  }
  for (const each of report.cases) writeCase(doc, each, heading, line, note);

  heading('Qui a consulté votre dossier');
  if (report.accesses.length === 0) line('Personne n’a consulté votre dossier.');
  for (const access of report.accesses) {
    const who = access.staff.name ?? 'une personne';
    line(
      `${frenchTime(access.at)} — ${who} (${access.organisation.name}) : ${label(PURPOSES, access.purpose)}, ${label(OUTCOMES, access.outcome)}.`,
    );
  }
  doc.end();
  return done;
}

function writeCase(
  doc: PDFKit.PDFDocument,
  each: ReportCase,
  heading: (text: string) => void,
  line: (text: string) => void,
  note: (text: string) => void,
): void {
  heading(`Dossier ${each.reference}`);
  line(
    `Ouvert le ${frenchDate(each.openedOn)}, ${each.status === 'open' ? 'en cours' : 'terminé'} ; vous y figurez comme ${label(ROLES, each.role)}.`,
  );
  if (each.residenceCommune.name) line(`Commune : ${each.residenceCommune.name}.`);
  for (const partner of each.partners) {
    const status =
      partner.status === 'active'
        ? 'suit votre famille'
        : partner.status === 'closed'
          ? 'a clôturé son suivi'
          : 'a quitté le suivi';
    line(`${partner.name} ${status}, sur la base de ${label(LEGAL_BASES, partner.legalBasis)}.`);
  }
  doc.moveDown(0.4).fontSize(12).fillColor('#000').text('Ce qui a été consigné');
  for (const event of each.events) {
    const by = event.organisation ? ` par ${event.organisation.name}` : '';
    line(`${frenchDate(event.occurredOn)} — ${label(EVENTS, event.type)}, consigné${by}.`);
  }
  doc
    .moveDown(0.4)
    .fontSize(12)
    .fillColor('#000')
    .text('Ce qui a été transmis à d’autres services');
  if (each.notifications.length === 0) line('Rien n’a été transmis.');
  for (const notification of each.notifications) writeNotification(notification, line, note);
}

function writeNotification(
  n: ReportNotification,
  line: (text: string) => void,
  note: (text: string) => void,
): void {
  line(
    `${frenchDate(n.occurredOn)} — ${label(EVENTS, n.eventType)} : ${n.from.name} vers ${n.to.name}, ${label(STATUSES, n.status)}.`,
  );
  const fields = n.sharedFields.map((f) => label(FIELDS, f));
  note(`   Données transmises : ${fields.length > 0 ? fields.join(', ') : 'aucune'}.`);
  note(
    `   Base légale : ${n.legalBasis === null ? 'aucune (rien n’a été transmis)' : label(LEGAL_BASES, n.legalBasis)}.`,
  );
  note(`   Règle du protocole : ${n.rule.title}.`);
}

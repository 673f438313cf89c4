import { BODY_KIND_LABELS } from '@relais/coordination';
import { frenchPdf } from '@relais/documents';
import type { BodyView, MeetingView } from '@relais/wire';
import { frenchDate } from '../dpo/subject-report-pdf';

/**
 * A meeting's minutes as an A4 PDF in French: the body, the date and place, whether and when they
 * were approved, the agenda, who was present or excused, and the minutes themselves.
 */
export function minutesPdf(meeting: MeetingView, body: BodyView): Promise<Buffer> {
  const { doc, done } = frenchPdf({
    title: `Procès-verbal — ${body.name} du ${frenchDate(meeting.date)}`,
    subject: 'Procès-verbal d’une réunion de la coordination sociale',
  });
  const heading = (text: string) => doc.moveDown(0.8).fillColor('#000').fontSize(13).text(text);
  const line = (text: string) => doc.fillColor('#000').fontSize(10).text(text);
  const names = new Map(body.members.map((m) => [m.key, m.name]));
  const attending = (status: 'present' | 'excused') =>
    meeting.attendance
      .filter((a) => a.status === status)
      .map((a) => names.get(a.member) ?? a.member)
      .join(', ') || '—';
  const { minutes } = meeting;

  doc.fontSize(18).text('Procès-verbal');
  line(`${BODY_KIND_LABELS[body.kind]} « ${body.name} » — ${body.theme}`);
  line(`Réunion du ${frenchDate(meeting.date)}, ${meeting.place}`);
  doc.moveDown(0.3);
  line(
    minutes.approvedOn
      ? `Approuvé lors de la réunion du ${frenchDate(minutes.approvedOn)}` +
          (minutes.distributedOn ? `, diffusé le ${frenchDate(minutes.distributedOn)}.` : '.')
      : 'Projet : pas encore approuvé.',
  );

  heading('Ordre du jour');
  meeting.agenda.forEach((item, i) => line(`${i + 1}. ${item}`));
  heading('Présences');
  line(`Présents : ${attending('present')}`);
  line(`Excusés : ${attending('excused')}`);
  heading('Procès-verbal');
  line(minutes.text ?? '');
  doc.moveDown(1.2);
  doc
    .fillColor('#333')
    .fontSize(9)
    .text(
      'Adressé aux membres de l’instance et aux responsables politiques de la coordination sociale.',
    );
  doc.end();
  return done;
}

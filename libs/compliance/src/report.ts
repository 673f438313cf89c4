import { frenchPdf } from '@relais/kernel';
import { Indicators } from './indicators';
import { Month, Summary, SummaryRow } from './compliance.queries';

/** What the monthly report shows: one month, per organisation and rule, with the network's totals. */
export interface MonthlyReport {
  readonly month: Month;
  readonly generatedOn: string;
  /** The organisation the figures are for, or null for the whole network. */
  readonly organisation: string | null;
  readonly summary: Summary;
  readonly organisationName: (id: string) => string;
  readonly ruleTitle: (id: string) => string;
}

const MONTHS_FR = [
  'janvier',
  'février',
  'mars',
  'avril',
  'mai',
  'juin',
  'juillet',
  'août',
  'septembre',
  'octobre',
  'novembre',
  'décembre',
];

export function frenchMonth(month: Month): string {
  const [year, m] = month.split('-');
  return `${MONTHS_FR[Number(m) - 1] ?? m} ${year}`;
}

const percent = (share: number | null) => (share === null ? '' : `${Math.round(share * 100)} %`);
const number = (value: number | null) => (value === null ? '' : String(value));
const days = (value: number | null) => (value === null ? '' : decimalComma(value));

const CSV_COLUMNS: readonly [string, (row: Indicators) => string][] = [
  ['obligations', (r) => String(r.obligations)],
  ['informees_dans_le_delai', (r) => String(r.loggedOnTime)],
  ['part_dans_le_delai', (r) => shareForCsv(r.loggedOnTimeShare)],
  ['delai_median_jours_ouvrables', (r) => days(r.loggingDelayMedian)],
  ['delai_p90_jours_ouvrables', (r) => days(r.loggingDelayP90)],
  ['accusees_dans_le_delai', (r) => String(r.acknowledgedOnTime)],
  ['accusees_en_retard', (r) => String(r.acknowledgedLate)],
  ['part_accusees_dans_le_delai', (r) => shareForCsv(r.acknowledgedOnTimeShare)],
  ['delai_median_accuse_jours_ouvrables', (r) => days(r.acknowledgementDelayMedian)],
  ['ouvertes', (r) => String(r.open)],
  ['a_risque', (r) => String(r.atRisk)],
  ['manquements', (r) => String(r.breached)],
  ['bloquees_sans_base_legale', (r) => String(r.blocked)],
  ['transmises_hors_relais', (r) => String(r.fulfilledOutside)],
];

/** A share as a percentage with a decimal comma (`33,3%`): a fr-BE spreadsheet reads it as 0.333. */
function shareForCsv(share: number | null): string {
  if (share === null) return '';
  return `${decimalComma(Math.round(share * 1000) / 10)}%`;
}

/** `1.5` as `1,5`: a fr-BE spreadsheet reads a point as text, or as a date. */
function decimalComma(value: number): string {
  return String(value).replace('.', ',');
}

function csvField(value: string): string {
  return /[",;\n\r]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/**
 * UTF-8 with a byte-order mark and `;` separators, as spreadsheet software in Belgium opens it:
 * organisations and rules by name, shares as percentages, decimals with a comma; their ids last.
 */
export function reportCsv(report: MonthlyReport): string {
  const header = [
    'mois',
    'organisation_tenue',
    'organisation_destinataire',
    'regle',
    ...CSV_COLUMNS.map(([n]) => n),
    'id_organisation_tenue',
    'id_organisation_destinataire',
    'id_regle',
  ];
  const line = (cells: readonly string[]) => cells.map(csvField).join(';');
  const name = report.organisationName;
  const rows = report.summary.rows.map((row) =>
    line([
      row.month,
      name(row.obligedOrganisationId),
      name(row.recipientOrganisationId),
      report.ruleTitle(row.ruleId),
      ...CSV_COLUMNS.map(([, value]) => value(row)),
      row.obligedOrganisationId,
      row.recipientOrganisationId,
      row.ruleId,
    ]),
  );
  const total = (label: string, indicators: Indicators, id: string) =>
    line([
      report.month,
      label,
      '',
      '',
      ...CSV_COLUMNS.map(([, value]) => value(indicators)),
      id,
      '',
      '',
    ]);
  const network = total('Total du réseau', report.summary.network, '');
  const totals = report.organisation
    ? [
        total(`Total ${name(report.organisation)}`, report.summary.totals, report.organisation),
        network,
      ]
    : [network];
  return `\uFEFF${[line(header), ...rows, ...totals].join('\r\n')}\r\n`;
}

/** Per obliged organisation: how many of its obligations it logged on time. */
function byObligedOrganisation(rows: readonly SummaryRow[]) {
  const totals = new Map<string, { obligations: number; onTime: number; breached: number }>();
  for (const row of rows) {
    const entry = totals.get(row.obligedOrganisationId) ?? {
      obligations: 0,
      onTime: 0,
      breached: 0,
    };
    entry.obligations += row.obligations;
    entry.onTime += row.loggedOnTime;
    entry.breached += row.breached;
    totals.set(row.obligedOrganisationId, entry);
  }
  return [...totals].sort(([a], [b]) => a.localeCompare(b));
}

/** An A4 PDF in French: the key figures, a bar chart per organisation, and the table per rule. */
export function reportPdf(report: MonthlyReport): Promise<Buffer> {
  const { doc, done } = frenchPdf({
    title: `Relais — respect du protocole, ${frenchMonth(report.month)}`,
    subject: 'Rapport mensuel pour la réunion de concertation',
  });

  const scope = report.organisation
    ? report.organisationName(report.organisation)
    : 'tout le réseau';
  doc.fontSize(18).text(`Respect du protocole — ${frenchMonth(report.month)}`);
  doc
    .moveDown(0.3)
    .fontSize(11)
    .fillColor('#333')
    .text(`Périmètre : ${scope}. Établi le ${belgian(report.generatedOn)}.`);
  doc.text(
    'Chiffres sans contenu de dossier : organisations, règles, délais et comptages seulement.',
  );
  doc.moveDown();

  const shown = report.organisation ? report.summary.totals : report.summary.network;
  doc.fillColor('#000').fontSize(13).text('Chiffres clés');
  doc.fontSize(11);
  for (const [label, value] of keyFigures(shown)) doc.text(`${label} : ${value}`);
  if (report.organisation) {
    doc
      .moveDown(0.3)
      .fillColor('#333')
      .text(
        `Réseau : ${report.summary.network.obligations} obligations, ${percent(report.summary.network.loggedOnTimeShare)} dans le délai, ${report.summary.network.breached} manquements.`,
      );
  }
  doc.moveDown();

  drawChart(doc, byObligedOrganisation(report.summary.rows), report.organisationName);

  doc.addPage();
  doc.fillColor('#000').fontSize(13).text('Par organisation et par règle');
  doc.moveDown(0.5).fontSize(9);
  if (report.summary.rows.length === 0) doc.text('Aucune obligation ce mois-ci.');
  for (const row of report.summary.rows) {
    doc
      .font('Helvetica-Bold')
      .text(
        `${report.organisationName(row.obligedOrganisationId)} → ${report.organisationName(row.recipientOrganisationId)}`,
      )
      .font('Helvetica')
      .text(
        `${report.ruleTitle(row.ruleId)} : ${row.obligations} obligation(s), ${percent(row.loggedOnTimeShare)} informées dans le délai ` +
          `(médiane ${number(row.loggingDelayMedian)} j. ouvr.), accusé dans le délai ${percent(row.acknowledgedOnTimeShare)}, ` +
          `ouvertes ${row.open}, à risque ${row.atRisk}, manquements ${row.breached}.`,
      )
      .moveDown(0.4);
  }
  doc.end();
  return done;
}

function keyFigures(figures: Indicators): [string, string][] {
  return [
    ['Obligations du mois (une par événement et destinataire)', String(figures.obligations)],
    ['Informées dans le délai', `${figures.loggedOnTime} (${percent(figures.loggedOnTimeShare)})`],
    [
      'Délai d’information médian / 90e centile',
      `${number(figures.loggingDelayMedian)} / ${number(figures.loggingDelayP90)} jours ouvrables`,
    ],
    [
      'Accusés de réception dans le délai',
      `${figures.acknowledgedOnTime} (${percent(figures.acknowledgedOnTimeShare)})`,
    ],
    [
      'Délai médian d’accusé de réception',
      `${number(figures.acknowledgementDelayMedian)} jours ouvrables`,
    ],
    [
      'En cours / à risque / manquements',
      `${figures.open} / ${figures.atRisk} / ${figures.breached}`,
    ],
    [
      'Bloquées faute de base légale / transmises hors Relais',
      `${figures.blocked} / ${figures.fulfilledOutside}`,
    ],
  ];
}

function drawChart(
  doc: PDFKit.PDFDocument,
  bars: readonly [string, { obligations: number; onTime: number; breached: number }][],
  name: (id: string) => string,
): void {
  doc
    .fillColor('#000')
    .fontSize(13)
    .text('Informées dans le délai, par organisation tenue d’informer');
  doc.moveDown(0.5);
  const left = doc.page.margins.left + 150;
  const width = doc.page.width - doc.page.margins.right - left - 40;
  let y = doc.y;
  doc.fontSize(9);
  if (bars.length === 0) doc.text('Aucune obligation ce mois-ci.');
  for (const [id, bar] of bars) {
    if (y > doc.page.height - doc.page.margins.bottom - 20) {
      doc.addPage();
      y = doc.y;
    }
    const share = bar.obligations === 0 ? 0 : bar.onTime / bar.obligations;
    doc.fillColor('#000').text(name(id), doc.page.margins.left, y + 2, {
      width: 145,
      ellipsis: true,
      lineBreak: false,
    });
    doc.rect(left, y, width, 12).fillColor('#e6e6e6').fill();
    doc
      .rect(left, y, Math.max(width * share, 0.5), 12)
      .fillColor('#1f5f8b')
      .fill();
    doc
      .fillColor('#000')
      .text(
        `${Math.round(share * 100)} % (${bar.onTime}/${bar.obligations})`,
        left + width + 4,
        y + 2,
        {
          lineBreak: false,
        },
      );
    y += 18;
  }
  doc.x = doc.page.margins.left;
  doc.y = y + 6;
}

function belgian(date: string): string {
  const [year, month, day] = date.split('-');
  return `${day}/${month}/${year}`;
}

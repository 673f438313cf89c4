import { frenchPdf, PDF_FONT, PDF_FONT_BOLD } from '@relais/documents';
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
/** French counts 0 and 1 in the singular: “0 jour ouvrable”, “1,5 jour ouvrable”, “2 jours ouvrables”. */
const workingDays = (value: number | null) =>
  value === null ? '' : `${decimalComma(value)} ${value < 2 ? 'jour ouvrable' : 'jours ouvrables'}`;
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

  drawRuleTable(doc, report);
  doc.end();
  return done;
}

const RULE_COLUMNS: readonly { title: string; width: number; cell: (row: SummaryRow) => string }[] =
  [
    { title: 'Tenue d’informer → destinataire', width: 112, cell: () => '' },
    { title: 'Règle', width: 117, cell: () => '' },
    { title: 'Obligations', width: 58, cell: (row) => String(row.obligations) },
    { title: 'Dans le délai', width: 44, cell: (row) => percent(row.loggedOnTimeShare) },
    {
      title: 'Délai médian (j. ouvr.)',
      width: 46,
      cell: (row) => number(row.loggingDelayMedian),
    },
    {
      title: 'Accusé dans le délai',
      width: 46,
      cell: (row) => percent(row.acknowledgedOnTimeShare),
    },
    {
      title: 'Ouvertes / à risque / manquements',
      width: 76,
      cell: (row) => `${row.open} / ${row.atRisk} / ${row.breached}`,
    },
  ];

/** One row per obliged organisation, recipient and rule; the header again on each new page. */
function drawRuleTable(doc: PDFKit.PDFDocument, report: MonthlyReport): void {
  const left = doc.page.margins.left;
  const pad = 3;
  const bottom = () => doc.page.height - doc.page.margins.bottom;
  const cellsOf = (row: SummaryRow) =>
    RULE_COLUMNS.map((column, index) =>
      index === 0
        ? `${report.organisationName(row.obligedOrganisationId)} → ${report.organisationName(row.recipientOrganisationId)}`
        : index === 1
          ? report.ruleTitle(row.ruleId)
          : column.cell(row),
    );
  const heightOf = (cells: readonly string[]) =>
    Math.max(
      ...cells.map((text, i) =>
        doc.heightOfString(text, { width: (RULE_COLUMNS[i]?.width ?? 0) - 2 * pad }),
      ),
    ) +
    2 * pad;
  const drawRow = (cells: readonly string[], y: number, header: boolean, shaded: boolean) => {
    const height = heightOf(cells);
    const width = RULE_COLUMNS.reduce((sum, column) => sum + column.width, 0);
    if (header || shaded)
      doc
        .rect(left, y, width, height)
        .fillColor(header ? '#dde6ee' : '#f3f3f3')
        .fill();
    let x = left;
    cells.forEach((text, i) => {
      const columnWidth = RULE_COLUMNS[i]?.width ?? 0;
      doc.fillColor('#000').text(text, x + pad, y + pad, {
        width: columnWidth - 2 * pad,
        align: i < 2 ? 'left' : 'right',
      });
      x += columnWidth;
    });
    return y + height;
  };
  const header = () => {
    doc.font(PDF_FONT_BOLD).fontSize(7);
    const y = drawRow(
      RULE_COLUMNS.map((column) => column.title),
      doc.y,
      true,
      false,
    );
    doc.font(PDF_FONT);
    return y;
  };

  doc.x = left;
  doc.moveDown();
  if (doc.y > bottom() - 80) doc.addPage();
  doc.fillColor('#000').fontSize(13).text('Par organisation et par règle', left);
  doc.moveDown(0.5);
  if (report.summary.rows.length === 0) {
    doc.fontSize(9).text('Aucune obligation ce mois-ci.');
    return;
  }
  let y = header();
  report.summary.rows.forEach((row, index) => {
    doc.fontSize(8);
    const cells = cellsOf(row);
    if (y + heightOf(cells) > bottom()) {
      doc.addPage();
      doc.y = doc.page.margins.top;
      y = header();
      doc.fontSize(8);
    }
    y = drawRow(cells, y, false, index % 2 === 1);
  });
  doc.x = left;
  doc.y = y + 6;
}

function keyFigures(figures: Indicators): [string, string][] {
  return [
    ['Obligations du mois (une par événement et destinataire)', String(figures.obligations)],
    ['Informées dans le délai', `${figures.loggedOnTime} (${percent(figures.loggedOnTimeShare)})`],
    [
      'Délai d’information médian / 90e centile',
      `${number(figures.loggingDelayMedian)} / ${workingDays(figures.loggingDelayP90)}`,
    ],
    [
      'Accusés de réception dans le délai',
      `${figures.acknowledgedOnTime} (${percent(figures.acknowledgedOnTimeShare)})`,
    ],
    ['Délai médian d’accusé de réception', workingDays(figures.acknowledgementDelayMedian)],
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

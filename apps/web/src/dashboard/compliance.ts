import type { FollowUpStatus, Indicators, SummaryRow } from '@relais/wire';

/** What the dashboard asks of the compliance API (`GET /compliance/…`) and derives for its charts. */

/** The indicators the dashboard shows, in its order; the kind says how each value reads. */
export const INDICATORS: readonly {
  readonly key: keyof Indicators;
  readonly kind: 'count' | 'share' | 'days';
}[] = [
  { key: 'obligations', kind: 'count' },
  { key: 'acknowledgedOnTime', kind: 'count' },
  { key: 'acknowledgedLate', kind: 'count' },
  { key: 'acknowledgedOnTimeShare', kind: 'share' },
  { key: 'acknowledgementDelayMedian', kind: 'days' },
  { key: 'loggedOnTime', kind: 'count' },
  { key: 'loggedOnTimeShare', kind: 'share' },
  { key: 'loggingDelayMedian', kind: 'days' },
  { key: 'loggingDelayP90', kind: 'days' },
  { key: 'open', kind: 'count' },
  { key: 'atRisk', kind: 'count' },
  { key: 'breached', kind: 'count' },
  { key: 'blocked', kind: 'count' },
  { key: 'fulfilledOutside', kind: 'count' },
];

export interface Filters {
  readonly from?: string;
  readonly to?: string;
  readonly organisation?: string;
  readonly rule?: string;
}

function query(params: Readonly<Record<string, string | number | undefined>>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params))
    if (value !== undefined && value !== '') search.set(name, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** Without dates the API picks the period, and says which in its answer. */
export function summaryPath(filters: Filters): string {
  return `/compliance/summary${query({ ...filters })}`;
}

export function obligationsPath(
  status: FollowUpStatus,
  filters: Filters,
  page: number,
  pageSize: number,
): string {
  return `/compliance/obligations${query({
    status,
    organisation: filters.organisation,
    from: filters.from,
    to: filters.to,
    page,
    pageSize,
  })}`;
}

export function reportPath(format: 'csv' | 'pdf', month: string): string {
  return `/compliance/report.${format}${query({ month })}`;
}

/** The counts the charts compare; shares are the API's to compute, not summed here. */
export const CHARTED = [
  'acknowledgedOnTime',
  'acknowledgedLate',
  'open',
  'breached',
  'blocked',
] as const;
export type Charted = (typeof CHARTED)[number];

/** The rows summed per organisation that had to inform, busiest first. */
export function byObligedOrganisation(rows: readonly SummaryRow[]): {
  readonly organisationId: string;
  readonly obligations: number;
  readonly counts: Readonly<Record<Charted, number>>;
}[] {
  const totals = new Map<string, { obligations: number; counts: Record<Charted, number> }>();
  for (const row of rows) {
    const total = totals.get(row.obligedOrganisationId) ?? {
      obligations: 0,
      counts: { acknowledgedOnTime: 0, acknowledgedLate: 0, open: 0, breached: 0, blocked: 0 },
    };
    total.obligations += row.obligations;
    for (const key of CHARTED) total.counts[key] += row[key];
    totals.set(row.obligedOrganisationId, total);
  }
  return [...totals.entries()]
    .map(([organisationId, total]) => ({ organisationId, ...total }))
    .sort(
      (a, b) => b.obligations - a.obligations || a.organisationId.localeCompare(b.organisationId),
    );
}

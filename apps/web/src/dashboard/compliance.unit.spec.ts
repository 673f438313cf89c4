import type { Indicators, SummaryRow } from '@relais/wire';
import { byObligedOrganisation, obligationsPath, reportPath, summaryPath } from './compliance';

/** A tiny stand-in for `GET /compliance/summary` rows, shaped as the contract says. */
const indicators = (counts: Partial<Indicators>): Indicators => ({
  obligations: 0,
  loggedOnTime: 0,
  loggedOnTimeShare: null,
  loggingDelayMedian: null,
  loggingDelayP90: null,
  acknowledgedOnTime: 0,
  acknowledgedLate: 0,
  acknowledgedOnTimeShare: null,
  acknowledgementDelayMedian: null,
  open: 0,
  atRisk: 0,
  breached: 0,
  blocked: 0,
  fulfilledOutside: 0,
  ...counts,
});
const row = (obliged: string, month: string, counts: Partial<Indicators>): SummaryRow => ({
  ...indicators(counts),
  obligedOrganisationId: obliged,
  recipientOrganisationId: 'saj-dinant',
  ruleId: 'cpas-ris-suppressed',
  month,
});

describe('the dashboard’s reading of the compliance API', () => {
  it('sums the rows per organisation that had to inform, busiest first', () => {
    const rows = [
      row('cpas-ciney', '2026-10', { obligations: 2, acknowledgedOnTime: 1, open: 1 }),
      row('cpas-dinant', '2026-11', {
        obligations: 5,
        acknowledgedLate: 2,
        breached: 2,
        blocked: 1,
      }),
      row('cpas-ciney', '2026-11', { obligations: 1, acknowledgedOnTime: 1 }),
    ];
    expect(byObligedOrganisation(rows)).toEqual([
      {
        organisationId: 'cpas-dinant',
        obligations: 5,
        counts: { acknowledgedOnTime: 0, acknowledgedLate: 2, open: 0, breached: 2, blocked: 1 },
      },
      {
        organisationId: 'cpas-ciney',
        obligations: 3,
        counts: { acknowledgedOnTime: 2, acknowledgedLate: 0, open: 1, breached: 0, blocked: 0 },
      },
    ]);
  });

  it('asks for what the filters say, and nothing more', () => {
    expect(summaryPath({})).toBe('/compliance/summary');
    expect(summaryPath({ from: '2026-11-01', to: '2026-11-30', organisation: 'saj-dinant' })).toBe(
      '/compliance/summary?from=2026-11-01&to=2026-11-30&organisation=saj-dinant',
    );
    expect(obligationsPath('at_risk', { rule: 'x', organisation: 'cpas-ciney' }, 2, 10)).toBe(
      '/compliance/obligations?status=at_risk&organisation=cpas-ciney&page=2&pageSize=10',
    );
    expect(reportPath('pdf', '2026-11')).toBe('/compliance/report.pdf?month=2026-11');
  });
});

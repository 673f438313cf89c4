/** `YYYY-MM`. */
export type Month = string;

/** The compliance figures of a group of obligations: `GET /compliance/summary`. */
export interface Indicators {
  /** Obligations opened: one per event and recipient. */
  readonly obligations: number;
  readonly loggedOnTime: number;
  /** Logged by the due date, of all obligations; null when there are none. */
  readonly loggedOnTimeShare: number | null;
  /** Working days from the day an event occurred to the day it was logged. */
  readonly loggingDelayMedian: number | null;
  readonly loggingDelayP90: number | null;
  readonly acknowledgedOnTime: number;
  readonly acknowledgedLate: number;
  /**
   * Acknowledged by the acknowledgement due date, of the obligations whose acknowledgement is
   * settled: acknowledged (on time or late) or breached unacknowledged. Open ones wait.
   */
  readonly acknowledgedOnTimeShare: number | null;
  /** Working days from the day an obligation opened to its acknowledgement. */
  readonly acknowledgementDelayMedian: number | null;
  readonly open: number;
  /** Open, and due today or on the next working day: filled in from the open obligations. */
  readonly atRisk: number;
  readonly breached: number;
  readonly blocked: number;
  readonly fulfilledOutside: number;
}

export interface GroupKey {
  readonly obligedOrganisationId: string;
  readonly recipientOrganisationId: string;
  readonly ruleId: string;
}

export type SummaryRow = Indicators & GroupKey & { readonly month: Month };
export type TrendPoint = Indicators & { readonly month: Month };

export interface Summary {
  readonly from: Month;
  readonly to: Month;
  readonly today: string;
  readonly organisation: string | null;
  readonly rule: string | null;
  /** Every organisation together, for comparison. */
  readonly network: Indicators;
  /** The rows below together: the organisation's figures when one is chosen. */
  readonly totals: Indicators;
  readonly rows: readonly SummaryRow[];
  /** The twelve months up to `to`, for the same organisation and rule. */
  readonly trend: readonly TrendPoint[];
}

export const FOLLOW_UP_STATUSES = ['open', 'at_risk', 'breached'] as const;
export type FollowUpStatus = (typeof FOLLOW_UP_STATUSES)[number];

/** One obligation to follow up: `GET /compliance/obligations`. */
export interface FollowUpItem {
  readonly obligationId: string;
  readonly caseId: string;
  readonly caseReference: string | null;
  readonly obligedOrganisationId: string;
  readonly recipientOrganisationId: string;
  readonly ruleId: string;
  readonly eventType: string;
  readonly occurredOn: string;
  readonly loggedOn: string;
  readonly dueOn: string;
  readonly acknowledgementDueOn: string | null;
  readonly status: string;
  readonly atRisk: boolean;
  readonly escalatedOn: string | null;
  readonly breachedOn: string | null;
}

export interface FollowUpPage {
  readonly items: readonly FollowUpItem[];
  readonly page: number;
  readonly pageSize: number;
  readonly total: number;
}

export function addMonths(month: Month, n: number): Month {
  const [year = 0, m = 1] = month.split('-').map(Number);
  const index = year * 12 + (m - 1) + n;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** Every month from one to another, both included. */
export function monthsBetween(from: Month, to: Month): Month[] {
  const months: Month[] = [];
  for (let month = from; month <= to; month = addMonths(month, 1)) months.push(month);
  return months;
}

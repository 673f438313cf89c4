import { ObligationOpened } from '../opening';

/** An open obligation of the CPAS of Ciney towards the SAJ of Dinant, for specs to vary. */
export function anObligationOpened(overrides: Partial<ObligationOpened> = {}): ObligationOpened {
  return {
    obligationId: 'o-1',
    protocolId: 'dinant-cpas-saj',
    protocolVersion: 1,
    ruleId: 'ris',
    caseId: 'case-1',
    eventId: 'e-1',
    eventType: 'RisSuppressed',
    obligedOrganisationId: 'cpas-ciney',
    recipientOrganisationId: 'saj-dinant',
    occurredOn: '2026-11-20',
    loggedOn: '2026-11-20',
    dueOn: '2026-11-27',
    acknowledgementWithinWorkingDays: 3,
    // A Wednesday: two working days more end on Friday 27 November.
    acknowledgementDueOn: '2026-11-25',
    sharedData: {},
    channels: ['inbox'],
    assignedStaffIds: [],
    status: 'open',
    escalation: {
      unacknowledged: 'recipient_managers',
      loggedLate: 'obliged_managers',
      breachAfterWorkingDays: 2,
    },
    ...overrides,
  };
}

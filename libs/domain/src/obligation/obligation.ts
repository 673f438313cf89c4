import type { ObligationEscalation } from '@relais/wire';
import { assertNever, Decider, DomainRuleViolation, IsoDate, NotFound } from '../decider';

/**
 * What a protocol rule demands after a case event, towards one recipient organisation. Its
 * stream id derives from the rule, the event and the recipient, so evaluating an event again
 * opens nothing new.
 */
export type ObligationEvent =
  | {
      type: 'ObligationOpened';
      data: {
        obligationId: string;
        protocolId: string;
        protocolVersion: number;
        ruleId: string;
        caseId: string;
        eventId: string;
        eventType: string;
        obligedOrganisationId: string;
        recipientOrganisationId: string;
        occurredOn: IsoDate;
        /** The day the case event was logged in Relais (Brussels): after `dueOn`, it was logged late. */
        loggedOn: IsoDate;
        dueOn: IsoDate;
        acknowledgementWithinWorkingDays: number | null;
        /** Counted from the day the obligation opened, in the recipient's calendar. */
        acknowledgementDueOn: IsoDate | null;
        /** Only the fields the rule allows: no personal data, subjects stay ids. */
        sharedData: Readonly<Record<string, unknown>>;
        channels: readonly string[];
        /** The recipient's staff assigned to the case when it opened: their own inboxes show it. */
        assignedStaffIds: readonly string[];
        /** `blocked_no_legal_basis`: the recipient has no consent or mandate on the case; nothing is sent. */
        status: 'open' | 'blocked_no_legal_basis';
        /** The rule's escalation; absent from obligations opened before it was recorded: `DEFAULT_ESCALATION`. */
        escalation?: ObligationEscalation;
        /**
         * The obliged party's workers assigned to the case whose professional contact the rule
         * shares (`shareAssignedWorkerContact`); their name and e-mail are read when shown or sent.
         */
        contactStaffIds?: readonly string[];
        /**
         * Whether the rule shares that contact: the inbox then names those assigned when it is
         * read, after a reassignment too. Absent before it was recorded: `contactStaffIds` tells.
         */
        sharesWorkerContact?: boolean;
      };
    }
  | {
      type: 'ObligationAcknowledged';
      data: {
        obligationId: string;
        acknowledgedBy: string;
        organisationId: string;
        acknowledgedOn: IsoDate;
      };
    }
  | {
      /** Told to the recipient's managers when no acknowledgement came in time. */
      type: 'ObligationEscalated';
      data: {
        obligationId: string;
        to: 'recipient_managers' | 'obliged_managers';
        reason: 'unacknowledged' | 'logged_late';
        on: IsoDate;
      };
    }
  | {
      /**
       * The protocol was not kept: logged after its due date, acknowledged after the
       * acknowledgement due date, or still unacknowledged when the escalation window closed.
       */
      type: 'ObligationBreached';
      data: {
        obligationId: string;
        reason: 'unacknowledged' | 'logged_late' | 'acknowledged_late';
        on: IsoDate;
      };
    }
  | {
      /** Delivered on a channel (the inbox needs no delivery: it is the obligation itself). */
      type: 'ObligationDispatched';
      data: {
        obligationId: string;
        channel: DeliveryChannel;
        /** The delivery's idempotency key, as the receiver saw it. */
        deliveryId: string;
        attempt: number;
      };
    }
  | {
      type: 'ObligationDeliveryFailed';
      data: {
        obligationId: string;
        channel: DeliveryChannel;
        deliveryId: string;
        attempt: number;
        reason: string;
        /** No more retries: the delivery waits in the dead letters until someone retries it. */
        deadLettered: boolean;
      };
    }
  | {
      /** The obliged party told the recipient another way, and logged it on the case. */
      type: 'ObligationFulfilledOutsideRelais';
      data: {
        obligationId: string;
        /** The InformationSharedOutsideRelais event. */
        caseEventId: string;
        sharedOn: IsoDate;
        channel: string;
      };
    };

export type DeliveryChannel = 'email' | 'webhook';

/** Who is told when a protocol is not kept, and how long the recipient's managers have. */
export type { ObligationEscalation } from '@relais/wire';

export const DEFAULT_ESCALATION: ObligationEscalation = {
  unacknowledged: 'recipient_managers',
  loggedLate: 'obliged_managers',
  breachAfterWorkingDays: 2,
};

export type ObligationCommand =
  | { type: 'OpenObligation'; data: Extract<ObligationEvent, { type: 'ObligationOpened' }>['data'] }
  | {
      type: 'AcknowledgeObligation';
      data: { acknowledgedBy: string; organisationId: string; acknowledgedOn: IsoDate };
    }
  /** The deadline watcher's: the acknowledgement due date passed, perhaps the escalation window too. */
  | { type: 'CheckDeadlines'; data: { today: IsoDate; escalationDeadlinePassed: boolean } }
  /** The protocol engine's, on an InformationSharedOutsideRelais about this obligation's event. */
  | {
      type: 'RecordFulfilmentOutsideRelais';
      data: { caseEventId: string; sharedOn: IsoDate; channel: string };
    };

export type ObligationState =
  | { readonly status: 'none' }
  | {
      readonly status: 'open' | 'blocked_no_legal_basis' | 'acknowledged' | 'fulfilled_outside';
      readonly obligationId: string;
      readonly recipientOrganisationId: string;
      readonly acknowledgementDueOn: IsoDate | null;
      readonly escalation: ObligationEscalation;
      readonly escalated: boolean;
      readonly breached: boolean;
    };

export type ObligationRuleCode =
  'OBLIGATION_EXISTS' | 'ALREADY_ACKNOWLEDGED' | 'BLOCKED_NO_LEGAL_BASIS';

export class ObligationRuleViolation extends DomainRuleViolation<ObligationRuleCode> {}

/** A notification that is not the caller's is answered as one that does not exist: nothing leaks. */
export class ObligationNotFound extends NotFound<'OBLIGATION_NOT_FOUND'> {
  constructor() {
    super('OBLIGATION_NOT_FOUND', 'No such notification for your organisation');
  }
}

export const obligationStreamId = (obligationId: string) => `obligation-${obligationId}`;

export function evolveObligation(state: ObligationState, event: ObligationEvent): ObligationState {
  switch (event.type) {
    case 'ObligationOpened':
      return {
        status: event.data.status,
        obligationId: event.data.obligationId,
        recipientOrganisationId: event.data.recipientOrganisationId,
        acknowledgementDueOn: event.data.acknowledgementDueOn,
        escalation: event.data.escalation ?? DEFAULT_ESCALATION,
        escalated: false,
        breached: false,
      };
    case 'ObligationAcknowledged':
      return state.status === 'none' ? state : { ...state, status: 'acknowledged' };
    case 'ObligationEscalated':
      // Only the recipient's escalation counts here: a late logging escalates on the obliged side.
      if (state.status === 'none' || event.data.to !== 'recipient_managers') return state;
      return { ...state, escalated: true };
    case 'ObligationBreached':
      return state.status === 'none' ? state : { ...state, breached: true };
    case 'ObligationFulfilledOutsideRelais':
      return state.status === 'none' ? state : { ...state, status: 'fulfilled_outside' };
    case 'ObligationDispatched':
    case 'ObligationDeliveryFailed':
      return state;
  }
}

const refuse = (code: ObligationRuleCode, message: string): never => {
  throw new ObligationRuleViolation(code, message);
};

export function decideObligation(
  command: ObligationCommand,
  state: ObligationState,
): ObligationEvent[] {
  switch (command.type) {
    case 'OpenObligation':
      if (state.status !== 'none')
        refuse('OBLIGATION_EXISTS', `Obligation ${command.data.obligationId} is already open`);
      return [{ type: 'ObligationOpened', data: command.data }];
    case 'AcknowledgeObligation': {
      if (
        state.status === 'none' ||
        command.data.organisationId !== state.recipientOrganisationId
      ) {
        throw new ObligationNotFound();
      }
      if (state.status === 'blocked_no_legal_basis')
        refuse('BLOCKED_NO_LEGAL_BASIS', 'Nothing was sent: there is no legal basis');
      if (state.status === 'acknowledged')
        refuse('ALREADY_ACKNOWLEDGED', 'This notification is already acknowledged');
      // Told by phone or letter as well: acknowledging what arrived here is still welcome.
      const acknowledged: ObligationEvent = {
        type: 'ObligationAcknowledged',
        data: { obligationId: state.obligationId, ...command.data },
      };
      const late =
        state.acknowledgementDueOn !== null &&
        command.data.acknowledgedOn > state.acknowledgementDueOn &&
        !state.breached;
      return late
        ? [
            acknowledged,
            {
              type: 'ObligationBreached',
              data: {
                obligationId: state.obligationId,
                reason: 'acknowledged_late',
                on: command.data.acknowledgedOn,
              },
            },
          ]
        : [acknowledged];
    }
    case 'CheckDeadlines': {
      const { today, escalationDeadlinePassed } = command.data;
      if (state.status !== 'open' || state.acknowledgementDueOn === null) return [];
      if (today <= state.acknowledgementDueOn) return [];
      const { obligationId } = state;
      const events: ObligationEvent[] = [];
      if (!state.escalated && state.escalation.unacknowledged === 'recipient_managers') {
        events.push({
          type: 'ObligationEscalated',
          data: { obligationId, to: 'recipient_managers', reason: 'unacknowledged', on: today },
        });
      }
      if (escalationDeadlinePassed && !state.breached) {
        events.push({
          type: 'ObligationBreached',
          data: { obligationId, reason: 'unacknowledged', on: today },
        });
      }
      return events;
    }
    case 'RecordFulfilmentOutsideRelais':
      // Only what still waits: an acknowledged obligation was already fulfilled here.
      if (state.status !== 'open' && state.status !== 'blocked_no_legal_basis') return [];
      return [
        {
          type: 'ObligationFulfilledOutsideRelais',
          data: { obligationId: state.obligationId, ...command.data },
        },
      ];
    default:
      return assertNever(command);
  }
}

export const obligationDecider: Decider<ObligationCommand, ObligationEvent, ObligationState, void> =
  {
    initialState: { status: 'none' },
    evolve: evolveObligation,
    decide: (command, state) => decideObligation(command, state),
  };

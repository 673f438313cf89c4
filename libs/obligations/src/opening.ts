import { ObligationEvent } from '@relais/domain';
import { uuidFromName } from '@relais/kernel';
import { EvaluationInput, ObligationDraft, obligationsFor } from './obligations';
import { ProtocolVersion, versionInForce } from './version-in-force';

export type ObligationOpened = Extract<ObligationEvent, { type: 'ObligationOpened' }>['data'];

/** One obligation as the engine records it, and as the dry run shows it before anything is logged. */
export interface ObligationOpening {
  readonly draft: ObligationDraft;
  readonly opened: ObligationOpened;
  /**
   * Logged after its deadline: breached from the start, and the obliged party's managers told
   * when the rule escalates late logging.
   */
  readonly late: readonly ObligationEvent[];
}

export interface OpeningInput extends EvaluationInput {
  /** The day (Brussels) the event is logged in Relais: acknowledgements count from it. */
  readonly loggedOn: string;
}

/** Where an obligation's stream and its outbox entries get their ids: the rule, the event, the recipient. */
export function obligationIdOf(draft: Pick<ObligationDraft, 'key'>): string {
  return uuidFromName(`obligation:${draft.key}`);
}

/**
 * The obligations a case event opens, complete: dates, what is shared, with whom to get in touch,
 * who is told when it goes wrong. Pure: the engine appends what it returns, the dry run shows it,
 * so the two cannot tell different stories.
 */
export function obligationOpenings(input: OpeningInput): ObligationOpening[] {
  const { calendars, caseState, loggedOn } = input;
  return obligationsFor(input).map((draft) => {
    const obligationId = obligationIdOf(draft);
    const lawful = draft.legalBasis === 'ok';
    const sharesWorkerContact = lawful && draft.shareAssignedWorkerContact;
    const contactStaffIds = sharesWorkerContact
      ? (caseState.partners[draft.obligedOrganisationId]?.assignedStaffIds ?? [])
      : [];
    const opened: ObligationOpened = {
      obligationId,
      protocolId: draft.protocolId,
      protocolVersion: draft.protocolVersion,
      ruleId: draft.ruleId,
      caseId: draft.caseId,
      eventId: draft.eventId,
      eventType: draft.eventType,
      obligedOrganisationId: draft.obligedOrganisationId,
      recipientOrganisationId: draft.recipientOrganisationId,
      occurredOn: draft.occurredOn,
      loggedOn,
      dueOn: draft.dueOn,
      acknowledgementWithinWorkingDays: draft.acknowledgementWithinWorkingDays,
      acknowledgementDueOn:
        draft.acknowledgementWithinWorkingDays === null
          ? null
          : calendars.addWorkingDays(
              draft.recipientOrganisationId,
              loggedOn,
              draft.acknowledgementWithinWorkingDays,
            ),
      // A recipient without a legal basis receives nothing.
      sharedData: lawful ? draft.sharedData : {},
      channels: draft.channels,
      assignedStaffIds: caseState.partners[draft.recipientOrganisationId]?.assignedStaffIds ?? [],
      status: lawful ? 'open' : 'blocked_no_legal_basis',
      escalation: draft.escalation,
      contactStaffIds,
      sharesWorkerContact,
    };
    const late: ObligationEvent[] =
      loggedOn > draft.dueOn
        ? [
            {
              type: 'ObligationBreached',
              data: { obligationId, reason: 'logged_late', on: loggedOn },
            },
            ...(draft.escalation.loggedLate === 'obliged_managers'
              ? [
                  {
                    type: 'ObligationEscalated' as const,
                    data: {
                      obligationId,
                      to: 'obliged_managers' as const,
                      reason: 'logged_late' as const,
                      on: loggedOn,
                    },
                  },
                ]
              : []),
          ]
        : [];
    return { draft, opened, late };
  });
}

/**
 * Every obligation a case event opens: under each protocol, the version in force on the day the
 * event occurred. What the engine records for each logged event.
 */
export function caseEventObligations(
  input: Omit<OpeningInput, 'protocol'> & { readonly protocols: readonly ProtocolVersion[][] },
): ObligationOpening[] {
  const { protocols, ...rest } = input;
  return protocols.flatMap((versions) => {
    const protocol = versionInForce(versions, input.event.data.occurredOn);
    return protocol ? obligationOpenings({ ...rest, protocol }) : [];
  });
}

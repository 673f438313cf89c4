import { ObligationEvent } from '@relais/domain';
import { NewEvent } from '@relais/event-store';
import { dinantNetwork } from '@relais/network';
import { uuidFromName } from '@relais/platform';
import { calendarsOf } from '@relais/obligations';

export interface HistoryOptions {
  /** Cases to open across the Dinant network. */
  readonly cases: number;
  /** Obligations per case, on average. */
  readonly obligationsPerCase: number;
  /** Case events per case that open no obligation (consents, referrals): the store's bulk. */
  readonly fillerPerCase?: number;
  /** The first day events occur on, and the day the history ends ("today"). */
  readonly from: string;
  readonly to: string;
  readonly seed?: number;
}

export interface StreamAppend {
  readonly streamId: string;
  readonly events: readonly NewEvent[];
  readonly recordedAt: Date;
}

const RULES = {
  cpas: ['cpas-ris-suppressed', 'cpas-family-relocated'],
  saj: ['saj-aid-programme-changed', 'saj-case-judicialised', 'saj-file-closed'],
} as const;
const EVENT_TYPES: Record<string, string> = {
  'cpas-ris-suppressed': 'RisSuppressed',
  'cpas-family-relocated': 'FamilyRelocated',
  'saj-aid-programme-changed': 'AidProgrammeChanged',
  'saj-case-judicialised': 'CaseJudicialised',
  'saj-file-closed': 'CaseClosed',
};

/** mulberry32: the same seed gives the same history. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const addDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T12:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/**
 * A synthetic history of the Dinant network, as the protocol engine and its users would have
 * written it: cases between a CPAS and the SAJ, and their obligations opened, acknowledged (on
 * time or late), escalated, breached, blocked or fulfilled outside Relais, with working-day
 * deadlines from the real calendars. For benchmarks and rebuild tests; no personal data.
 */
export function* networkHistory(options: HistoryOptions): Generator<StreamAppend> {
  const next = random(options.seed ?? 42);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const directory = dinantNetwork();
  const calendars = calendarsOf(directory);
  const cpas = directory
    .listOrganisations()
    .filter(
      (o) =>
        o.kind === 'CPAS' &&
        o.territory.kind === 'communes' &&
        o.territory.communes[0]?.startsWith('91') === true,
    )
    .map((o) => o.id);
  const saj = 'saj-dinant';
  const span = Math.max(
    1,
    Math.round((Date.parse(options.to) - Date.parse(options.from)) / 86_400_000),
  );
  const at = (date: string, hour = 10) =>
    new Date(`${date}T${String(hour).padStart(2, '0')}:00:00+01:00`);

  const openCase = (
    c: number,
    opened: string,
  ): StreamAppend & { caseId: string; centre: string } => {
    const caseId = uuidFromName(`history-case:${options.seed ?? 42}:${c}`);
    const centre = pick(cpas);
    const caseEvents: NewEvent[] = [
      {
        eventId: uuidFromName(`${caseId}:opened`),
        type: 'CaseOpened',
        data: {
          caseId,
          occurredOn: opened,
          organisationId: centre,
          reference: `${centre.slice(5, 8).toUpperCase()}-${opened.slice(0, 4)}-${c.toString(36).toUpperCase()}`,
          residenceCommune: '91030',
          subjects: [],
        },
      },
      {
        eventId: uuidFromName(`${caseId}:saj`),
        type: 'PartnerJoined',
        data: {
          caseId,
          occurredOn: opened,
          organisationId: centre,
          partnerId: saj,
          partnerKind: 'SAJ',
          assignedStaffIds: [],
          legalBasis: 'judicial_mandate',
        },
      },
    ];
    for (let f = 0; f < (options.fillerPerCase ?? 0); f++) {
      caseEvents.push({
        eventId: uuidFromName(`${caseId}:filler:${f}`),
        type: 'ReferralSent',
        data: {
          caseId,
          occurredOn: opened,
          organisationId: centre,
          referralId: uuidFromName(`${caseId}:referral:${f}`),
          to: saj,
          reason: 'other',
        },
      });
    }
    return {
      streamId: `case-${caseId}`,
      events: caseEvents,
      recordedAt: at(opened),
      caseId,
      centre,
    };
  };

  const obligation = (
    o: number,
    { caseId, centre, opened }: { caseId: string; centre: string; opened: string },
    loggedOn: string,
  ): StreamAppend => {
    const fromCpas = next() < 0.5;
    const ruleId = fromCpas ? pick(RULES.cpas) : pick(RULES.saj);
    const obliged = fromCpas ? centre : saj;
    const recipient = fromCpas ? saj : centre;
    const lag = next() < 0.85 ? Math.floor(next() * 4) : 4 + Math.floor(next() * 10);
    const occurredOn = [addDays(loggedOn, -lag), opened].sort()[1] as string;
    const dueOn = calendars.addWorkingDays(
      obliged,
      occurredOn,
      ruleId === 'saj-case-judicialised' ? 2 : 5,
    );
    const ackDueOn = calendars.addWorkingDays(recipient, loggedOn, 5);
    const obligationId = uuidFromName(`history-obligation:${options.seed ?? 42}:${o}`);
    const blocked = next() < 0.03;
    const events: ObligationEvent[] = [
      {
        type: 'ObligationOpened',
        data: {
          obligationId,
          protocolId: 'dinant-cpas-saj',
          protocolVersion: 1,
          ruleId,
          caseId,
          eventId: uuidFromName(`${obligationId}:event`),
          eventType: EVENT_TYPES[ruleId] ?? 'RisSuppressed',
          obligedOrganisationId: obliged,
          recipientOrganisationId: recipient,
          occurredOn,
          loggedOn,
          dueOn,
          acknowledgementWithinWorkingDays: 5,
          acknowledgementDueOn: ackDueOn,
          sharedData: { occurredOn },
          channels: ['inbox', 'email'],
          assignedStaffIds: [],
          status: blocked ? 'blocked_no_legal_basis' : 'open',
        },
      },
    ];
    if (loggedOn > dueOn) {
      events.push(
        {
          type: 'ObligationBreached',
          data: { obligationId, reason: 'logged_late', on: loggedOn },
        },
        {
          type: 'ObligationEscalated',
          data: { obligationId, to: 'obliged_managers', reason: 'logged_late', on: loggedOn },
        },
      );
    }
    const roll = next();
    if (blocked) {
      if (roll < 0.5) {
        events.push({
          type: 'ObligationFulfilledOutsideRelais',
          data: {
            obligationId,
            caseEventId: uuidFromName(`${obligationId}:phone`),
            sharedOn: loggedOn,
            channel: 'phone',
          },
        });
      }
    } else {
      events.push({
        type: 'ObligationDispatched',
        data: {
          obligationId,
          channel: 'email',
          deliveryId: uuidFromName(`${obligationId}:email`),
          attempt: 1,
        },
      });
      const ackOn = calendars.addWorkingDays(
        recipient,
        loggedOn,
        roll < 0.8 ? Math.floor(next() * 6) : 6 + Math.floor(next() * 3),
      );
      const escalationEnds = calendars.addWorkingDays(recipient, ackDueOn, 2);
      // What the deadline watcher appends the working day after the acknowledgement due date.
      const unacknowledgedEscalation: ObligationEvent = {
        type: 'ObligationEscalated',
        data: {
          obligationId,
          to: 'recipient_managers',
          reason: 'unacknowledged',
          on: calendars.addWorkingDays(recipient, ackDueOn, 1),
        },
      };
      if (roll < 0.9 && ackOn <= options.to) {
        if (ackOn > ackDueOn) {
          events.push(unacknowledgedEscalation);
        }
        events.push({
          type: 'ObligationAcknowledged',
          data: {
            obligationId,
            acknowledgedBy: `staff-of-${recipient}`,
            organisationId: recipient,
            acknowledgedOn: ackOn,
          },
        });
        if (ackOn > ackDueOn && loggedOn <= dueOn) {
          events.push({
            type: 'ObligationBreached',
            data: { obligationId, reason: 'acknowledged_late', on: ackOn },
          });
        }
      } else {
        // Unacknowledged: escalated and breached as the deadline watcher does, by the end day
        // (an obligation logged late is breached already and only escalated).
        if (ackDueOn < options.to) {
          events.push(unacknowledgedEscalation);
        }
        if (loggedOn <= dueOn && escalationEnds < options.to) {
          events.push({
            type: 'ObligationBreached',
            data: {
              obligationId,
              reason: 'unacknowledged',
              on: calendars.addWorkingDays(recipient, escalationEnds, 1),
            },
          });
        }
      }
    }
    return {
      streamId: `obligation-${obligationId}`,
      events: events.map((event, i) => ({
        eventId: uuidFromName(`${obligationId}:${i}`),
        ...event,
      })),
      recordedAt: at(loggedOn, 11),
    };
  };

  // Day by day, as the store would have received them: cases open over the first 80 % of the
  // period, obligations are logged evenly over all of it on the open cases.
  const total = Math.round(options.cases * options.obligationsPerCase);
  const cases: { caseId: string; centre: string; opened: string }[] = [];
  let o = 0;
  for (let day = 0; day <= span; day++) {
    const date = addDays(options.from, day);
    const casesBy = Math.min(
      options.cases,
      Math.ceil((options.cases * (day + 1)) / (span * 0.8 + 1)),
    );
    while (cases.length < casesBy) {
      const opened = openCase(cases.length, date);
      cases.push({ caseId: opened.caseId, centre: opened.centre, opened: date });
      yield { streamId: opened.streamId, events: opened.events, recordedAt: opened.recordedAt };
    }
    const obligationsBy = Math.round((total * (day + 1)) / (span + 1));
    for (; o < obligationsBy; o++) yield obligation(o, pick(cases), date);
  }
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { Principal } from '@relais/auth';
import {
  CASE_EVENT_TYPES,
  caseDecider,
  CaseEvent,
  CaseEventType,
  CaseState,
  ExistingCase,
  fold,
  ProtocolEvent,
  protocolDecider,
  protocolStreamId,
} from '@relais/domain';
import { EVENT_STORE, EventStore, toDomainEvent } from '@relais/event-store';
import { CompetenceDirectory } from '@relais/network';
import { calendarDateMessage, InvalidInputException } from '@relais/platform';
import {
  currentCalendars,
  networkOf,
  obligationOpenings,
  ProtocolVersion,
  protocolVersionsOf,
  versionInForce,
} from '@relais/obligations';
import { CASE_EVENT_FIELDS } from '@relais/protocol';
import { Database } from '@relais/database';
import { brusselsDate, Clock, CLOCK } from '@relais/platform';
import { ProtocolVersions, workerContacts } from '@relais/read-models';
import {
  ArrayMaxSize,
  IsArray,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
} from 'class-validator';
import {
  isCalendarDate,
  MAX_ITEMS,
  MAX_LENGTH,
  type Simulation,
  type SimulatedObligation,
} from '@relais/wire';
import { randomUUID } from 'node:crypto';
import { CaseRepository } from '../cases/case-repository';

export class SimulateEventDto {
  @ApiPropertyOptional({
    description: 'A case the caller is a partner of; else a hypothetical one',
  })
  @IsOptional()
  @IsUUID()
  caseId?: string;

  @ApiProperty({
    description: 'A case event as it would be logged: `type`, `occurredOn` and its fields',
    example: { type: 'RisSuppressed', occurredOn: '2026-11-20', reason: 'other' },
  })
  @IsObject()
  event!: Record<string, unknown>;

  @ApiPropertyOptional({ description: "Who logs the event; the caller's organisation by default" })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_LENGTH.slug)
  obligedOrganisationId?: string;

  @ApiPropertyOptional({
    description: 'Without a case: the other organisations active on the hypothetical case',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_ITEMS.organisations)
  @IsString({ each: true })
  @MaxLength(MAX_LENGTH.slug, { each: true })
  partners?: string[];
}

/** Set from the case or the caller, never from the body. */
const LOGGED_FIELDS = ['caseId', 'organisationId', 'occurredOn'];

/**
 * The dry run: what a case event would oblige under the version in force on the day it occurred,
 * evaluated exactly as the protocol engine evaluates it. Reads the streams, writes nothing.
 */
@Injectable()
export class ProtocolSimulator {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CompetenceDirectory) private readonly directory: CompetenceDirectory,
    private readonly cases: CaseRepository,
    private readonly database: Database,
    private readonly protocols: ProtocolVersions,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async simulate(
    protocolId: string,
    body: SimulateEventDto,
    principal: Principal,
  ): Promise<Simulation> {
    const { type, occurredOn, fields } = validEvent(body.event);
    const versions = await this.versionsOf(protocolId);
    if (versions.length === 0) {
      throw new NotFoundException({
        message: `No protocol ${protocolId}`,
        code: 'PROTOCOL_NOT_FOUND',
      });
    }
    const obliged = body.obligedOrganisationId ?? principal.organisationId;
    const caseState =
      body.caseId === undefined
        ? this.hypotheticalCase(obliged, occurredOn, body.partners ?? [])
        : await this.partnerCase(body.caseId, principal.organisationId);
    const event = {
      type,
      data: { ...fields, caseId: caseState.caseId, organisationId: obliged, occurredOn },
    } as unknown as CaseEvent;
    return this.evaluate(protocolId, versions, [{ before: caseState, event }]);
  }

  /**
   * What the events a command decided would oblige under every protocol, each judged on the case
   * as it stood just before it: the preview of a write, which runs the write's own decision.
   */
  async ofDecided(before: ExistingCase, events: readonly CaseEvent[]): Promise<Simulation[]> {
    const steps: { before: ExistingCase; event: CaseEvent }[] = [];
    let state: CaseState = before;
    for (const event of events) {
      if (state.status !== 'none') steps.push({ before: state, event });
      state = caseDecider.evolve(state, event);
    }
    const protocolIds = [...new Set((await this.protocols.all()).map((v) => v.protocolId))];
    return Promise.all(
      protocolIds.map(async (id) => this.evaluate(id, await this.versionsOf(id), steps)),
    );
  }

  private async versionsOf(protocolId: string): Promise<ProtocolVersion[]> {
    const history = await this.store.readStream(protocolStreamId(protocolId));
    if (history.length === 0) return [];
    return protocolVersionsOf(fold(protocolDecider, history.map(toDomainEvent<ProtocolEvent>)));
  }

  /** The obligations the events open under the version in force on the day each occurred. */
  private async evaluate(
    protocolId: string,
    versions: readonly ProtocolVersion[],
    steps: readonly { before: ExistingCase; event: CaseEvent }[],
  ): Promise<Simulation> {
    const calendars = await currentCalendars(this.directory, this.database.pool);
    const loggedOn = brusselsDate(this.clock.now());
    let version: number | null = null;
    const obligations: SimulatedObligation[] = [];
    for (const { before, event } of steps) {
      const protocol = versionInForce(versions, event.data.occurredOn);
      if (!protocol) continue;
      version = protocol.version;
      const openings = obligationOpenings({
        protocol,
        event: { eventId: randomUUID(), ...event },
        caseState: before,
        network: networkOf(this.directory),
        calendars,
        loggedOn,
      });
      for (const { draft, opened, late } of openings) {
        obligations.push({
          ruleId: draft.ruleId,
          ruleTitle: protocol.rules.find((r) => r.id === draft.ruleId)?.title,
          obligedOrganisationId: opened.obligedOrganisationId,
          recipientOrganisationId: opened.recipientOrganisationId,
          dueOn: opened.dueOn,
          acknowledgementWithinWorkingDays: opened.acknowledgementWithinWorkingDays,
          acknowledgementDueOn: opened.acknowledgementDueOn,
          loggedLate: late.length > 0,
          sharedData: opened.sharedData,
          shareAssignedWorkerContact: draft.shareAssignedWorkerContact,
          contacts: await workerContacts(this.database.pool, opened.contactStaffIds ?? []),
          channels: draft.channels,
          legalBasis: draft.legalBasis,
          escalation: draft.escalation,
        });
      }
    }
    return { protocolId, version, obligations };
  }

  /** A real case, just before the event; only its partners may try events on it. */
  private async partnerCase(caseId: string, organisationId: string): Promise<ExistingCase> {
    const { state } = await this.cases.load(caseId);
    if (state.status === 'none' || state.partners[organisationId] === undefined) {
      throw new NotFoundException({ message: `No case ${caseId}`, code: 'CASE_NOT_FOUND' });
    }
    return state;
  }

  /**
   * A case opened on the day of the event by the obliged organisation, in its first commune, with
   * the named organisations as active partners on a legal obligation, and nothing else.
   */
  private hypotheticalCase(
    obliged: string,
    occurredOn: string,
    others: readonly string[],
  ): ExistingCase {
    const partners = [obliged, ...others].flatMap((organisationId) => {
      const kind = this.directory.organisation(organisationId)?.kind;
      if (kind === undefined) {
        throw new InvalidInputException([
          { field: 'partners', message: `unknown organisation ${organisationId}` },
        ]);
      }
      return [
        [
          organisationId,
          {
            organisationId,
            kind,
            assignedStaffIds: [],
            legalBasis: 'legal_obligation' as const,
            consentId: undefined,
            status: 'active' as const,
          },
        ] as const,
      ];
    });
    return {
      status: 'open',
      caseId: randomUUID(),
      reference: 'SIMULATION',
      openedOn: occurredOn,
      openedBy: obliged,
      residenceCommune: this.directory.communesOf(obliged)?.[0]?.ins ?? '',
      subjects: [],
      partners: Object.fromEntries(partners),
      consents: {},
      referrals: {},
    };
  }
}

function validEvent(event: Record<string, unknown>): {
  type: CaseEventType;
  occurredOn: string;
  fields: Record<string, unknown>;
} {
  const { type, occurredOn, ...fields } = event;
  if (typeof type !== 'string' || !(CASE_EVENT_TYPES as readonly string[]).includes(type)) {
    throw new InvalidInputException([
      { field: 'event.type', message: `must be one of ${CASE_EVENT_TYPES.join(', ')}` },
    ]);
  }
  const eventType = type as CaseEventType;
  if (!isCalendarDate(occurredOn)) {
    throw new InvalidInputException([
      { field: 'event.occurredOn', message: calendarDateMessage('occurredOn') },
    ]);
  }
  const known = CASE_EVENT_FIELDS[eventType].filter((f) => !LOGGED_FIELDS.includes(f));
  const unknown = Object.keys(fields).filter((f) => !known.includes(f));
  if (unknown.length > 0) {
    throw new InvalidInputException(
      unknown.map((f) => ({
        field: `event.${f}`,
        message: `${type} has no field ${f} (its fields: ${known.join(', ')})`,
      })),
    );
  }
  return { type: eventType, occurredOn, fields };
}

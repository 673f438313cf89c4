import {
  Controller,
  Get,
  HttpCode,
  HttpStatus,
  Inject,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
} from '@nestjs/common';
import { CommandBus, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@relais/auth';
import { fold, ObligationEvent, obligationDecider, obligationStreamId } from '@relais/domain';
import { EVENT_STORE, EventStore, toDomainEvent } from '@relais/event-store';
import { brusselsDate, Clock, CLOCK, oneOf } from '@relais/platform';
import { Inbox } from '@relais/read-models';
import { randomUUID } from 'node:crypto';

export class AcknowledgeNotification {
  constructor(
    readonly obligationId: string,
    readonly by: Principal,
  ) {}
}

@CommandHandler(AcknowledgeNotification)
export class AcknowledgeNotificationHandler implements ICommandHandler<
  AcknowledgeNotification,
  { version: number }
> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ obligationId, by }: AcknowledgeNotification): Promise<{ version: number }> {
    const stream = obligationStreamId(obligationId);
    const history = await this.store.readStream(stream);
    const state = fold(obligationDecider, history.map(toDomainEvent<ObligationEvent>));
    const events = obligationDecider.decide(
      {
        type: 'AcknowledgeObligation',
        data: {
          acknowledgedBy: by.staffId,
          organisationId: by.organisationId,
          acknowledgedOn: brusselsDate(this.clock.now()),
        },
      },
      state,
    );
    const result = await this.store.append(
      stream,
      events.map((event) => ({
        eventId: randomUUID(),
        ...event,
        metadata: { actor: by.staffId, organisation: by.organisationId },
      })),
      { expectedVersion: history.length, recordedAt: this.clock.now() },
    );
    return { version: result.nextExpectedVersion };
  }
}

const SCOPES = ['organisation', 'mine'] as const;
const OBLIGATION_STATUSES = [
  'open',
  'acknowledged',
  'fulfilled_outside',
  'blocked_no_legal_basis',
] as const;

/**
 * What the protocol told the caller's organisation, and its acknowledgements; and what it asked
 * the caller's organisation to tell others. Managers see both too: escalations reach them.
 */
@ApiTags('inbox')
@ApiBearerAuth()
@Roles('social_worker', 'saj_delegate', 'manager')
@Controller()
export class InboxController {
  constructor(
    private readonly inbox: Inbox,
    private readonly commandBus: CommandBus,
  ) {}

  /** `scope=mine`: only the notifications about the cases the caller is assigned to. */
  @Get('inbox')
  @ApiQuery({ name: 'scope', required: false, enum: SCOPES })
  list(@CurrentPrincipal() principal: Principal, @Query('scope') scope?: string) {
    const mine = oneOf('scope', SCOPES, scope) === 'mine';
    return this.inbox.forOrganisation(principal.organisationId, {
      staffId: principal.staffId,
      ...(mine ? { onlyAssignedTo: principal.staffId } : {}),
    });
  }

  @Post('notifications/:id/acknowledge')
  @HttpCode(HttpStatus.OK)
  acknowledge(@Param('id', ParseUUIDPipe) id: string, @CurrentPrincipal() principal: Principal) {
    return this.commandBus.execute(new AcknowledgeNotification(id, principal));
  }

  /** The obligations on the caller's organisation, blocked ones included: what it still owes. */
  @Get('outgoing')
  @ApiQuery({ name: 'status', required: false, enum: OBLIGATION_STATUSES })
  outgoing(@CurrentPrincipal() principal: Principal, @Query('status') status?: string) {
    const wanted = oneOf('status', OBLIGATION_STATUSES, status);
    return this.inbox.sentBy(principal.organisationId, wanted ? { status: wanted } : {});
  }
}

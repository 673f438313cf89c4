import {
  Controller,
  Get,
  HttpCode,
  HttpStatus,
  Inject,
  Param,
  ParseUUIDPipe,
  Post,
} from '@nestjs/common';
import { CommandBus, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@relais/auth';
import { fold, ObligationEvent, obligationDecider, obligationStreamId } from '@relais/domain';
import { EVENT_STORE, EventStore, toDomainEvent } from '@relais/event-store';
import { brusselsDate, Clock, CLOCK } from '@relais/platform';
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

/** What the protocol told the caller's organisation, and its acknowledgements. */
@ApiTags('inbox')
@ApiBearerAuth()
@Roles('social_worker', 'saj_delegate')
@Controller()
export class InboxController {
  constructor(
    private readonly inbox: Inbox,
    private readonly commandBus: CommandBus,
  ) {}

  @Get('inbox')
  list(@CurrentPrincipal() principal: Principal) {
    return this.inbox.forOrganisation(principal.organisationId);
  }

  @Post('notifications/:id/acknowledge')
  @HttpCode(HttpStatus.OK)
  acknowledge(@Param('id', ParseUUIDPipe) id: string, @CurrentPrincipal() principal: Principal) {
    return this.commandBus.execute(new AcknowledgeNotification(id, principal));
  }
}

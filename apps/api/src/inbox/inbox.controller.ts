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
import { AccessPurpose, noteCaseAccess } from '@relais/access-log';
import { ApiBearerAuth, ApiHeader, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@relais/auth';
import { obligationDecider, obligationStreamId } from '@relais/domain';
import { handleObligation, Inbox, namesTheFamily } from '@relais/obligations';
import { EVENT_STORE, EventStore } from '@relais/event-store';
import { brusselsDate, Clock, CLOCK, IdempotencyKey, oneOf } from '@relais/platform';
import { FamilyNames } from '../cases/family-names';
import { OBLIGATION_STATUSES, type Notification } from '@relais/wire';

export class AcknowledgeNotification {
  constructor(
    readonly obligationId: string,
    readonly by: Principal,
    readonly idempotencyKey: string | undefined,
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

  /**
   * Retried under the same `Idempotency-Key`, it answers as the first time; without a key, the
   * same acknowledgement sent twice at once is written once.
   */
  async execute({
    obligationId,
    by,
    idempotencyKey,
  }: AcknowledgeNotification): Promise<{ version: number }> {
    const result = await handleObligation(
      this.store,
      obligationStreamId(obligationId),
      (state) =>
        obligationDecider.decide(
          {
            type: 'AcknowledgeObligation',
            data: {
              acknowledgedBy: by.staffId,
              organisationId: by.organisationId,
              acknowledgedOn: brusselsDate(this.clock.now()),
            },
          },
          state,
        ),
      {
        identity: { actor: by.staffId, idempotencyKey, content: { acknowledge: obligationId } },
        metadata: {
          actor: by.staffId,
          organisation: by.organisationId,
          ...(idempotencyKey ? { idempotencyKey } : {}),
        },
        recordedAt: this.clock.now(),
        check: ({ history }) => {
          const { caseId } = (history[0]?.data ?? {}) as { caseId?: string };
          if (caseId !== undefined) noteCaseAccess([caseId]);
        },
      },
    );
    return { version: result.nextExpectedVersion };
  }
}

const SCOPES = ['organisation', 'mine'] as const;

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
    private readonly names: FamilyNames,
  ) {}

  /** `scope=mine`: only the notifications about the cases the caller is assigned to. */
  @Get('inbox')
  @AccessPurpose('acknowledgement')
  @ApiQuery({ name: 'scope', required: false, enum: SCOPES })
  async list(
    @CurrentPrincipal() principal: Principal,
    @Query('scope') scope?: string,
  ): Promise<Notification<Date>[]> {
    const mine = oneOf('scope', SCOPES, scope) === 'mine';
    const cards = await this.inbox.forOrganisation(principal.organisationId, {
      staffId: principal.staffId,
      ...(mine ? { onlyAssignedTo: principal.staffId } : {}),
    });
    return this.names.name(cards, namesTheFamily);
  }

  @Post('notifications/:id/acknowledge')
  @AccessPurpose('acknowledgement')
  @HttpCode(HttpStatus.OK)
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  acknowledge(
    @Param('id', ParseUUIDPipe) id: string,
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() idempotencyKey: string | undefined,
  ) {
    return this.commandBus.execute(new AcknowledgeNotification(id, principal, idempotencyKey));
  }

  /** The obligations on the caller's organisation, blocked ones included: what it still owes. */
  @Get('outgoing')
  @AccessPurpose('case_follow_up')
  @ApiQuery({ name: 'status', required: false, enum: OBLIGATION_STATUSES })
  outgoing(@CurrentPrincipal() principal: Principal, @Query('status') status?: string) {
    const wanted = oneOf('status', OBLIGATION_STATUSES, status);
    return this.inbox.sentBy(principal.organisationId, wanted ? { status: wanted } : {});
  }
}

import {
  Body,
  Controller,
  Delete,
  ForbiddenException,
  Get,
  HttpCode,
  HttpStatus,
  Inject,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Post,
  Put,
  Query,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiPropertyOptional,
  ApiProperty,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@relais/auth';
import { RELAIS_CONFIG, RelaisConfig } from '@relais/config';
import { Database, inTransaction } from '@relais/database';
import { NetworkEvent, webhookStreamId } from '@relais/domain';
import {
  appendAtCurrentVersion,
  CommitNotifier,
  EVENT_STORE,
  TransactionalEventStore,
} from '@relais/event-store';
import type { PoolClient } from 'pg';
import { metadataOf } from '../network/network.commands';
import {
  DeliveryRecord,
  MIN_SECRET_LENGTH,
  newWebhookSecret,
  webhookSecretProblem,
  Outbox,
  WebhookRegistry,
  webhookUrlRefusal,
} from '@relais/delivery';
import { Clock, CLOCK, InvalidInputException, oneOf } from '@relais/platform';
import { NetworkQueries } from '@relais/read-models';
import { MAX_LENGTH, type WebhookSet } from '@relais/wire';
import { IsOptional, IsString, MaxLength, MinLength } from 'class-validator';

export class SetWebhookDto {
  @ApiProperty({ example: 'https://saj-dinant.example.be/relais/webhook' })
  @IsString()
  @MaxLength(MAX_LENGTH.url)
  readonly url!: string;

  @ApiPropertyOptional({
    description: `whsec_ and the base64 of at least 24 bytes (Standard Webhooks), or at least ${MIN_SECRET_LENGTH} characters; Relais makes a whsec_ one when absent`,
  })
  @IsOptional()
  @IsString()
  @MinLength(MIN_SECRET_LENGTH)
  @MaxLength(MAX_LENGTH.secret)
  readonly secret?: string | null;
}

class NoWebhook extends Error {
  constructor(organisationId: string) {
    super(`${organisationId} has no webhook`);
  }
}

const STATUSES: readonly DeliveryRecord['status'][] = ['pending', 'delivered', 'dead'];

/**
 * Each organisation's webhook: where Relais POSTs its notifications, signed with its secret.
 * An admin, or a manager of the organisation, sets it, removes it, and follows its deliveries.
 */
@ApiTags('webhooks')
@ApiBearerAuth()
@Roles('admin', 'manager')
@Controller('organisations/:organisationId/webhook')
export class WebhooksController {
  private readonly outbox: Outbox;

  constructor(
    private readonly webhooks: WebhookRegistry,
    private readonly network: NetworkQueries,
    private readonly database: Database,
    @Inject(EVENT_STORE) private readonly store: TransactionalEventStore,
    private readonly notifier: CommitNotifier,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(RELAIS_CONFIG) private readonly config: RelaisConfig,
  ) {
    this.outbox = new Outbox(database.pool);
  }

  /** The change and its event commit together: every webhook change is in the store, with its author. */
  private async recorded<T>(
    principal: Principal,
    organisationId: string,
    event: NetworkEvent,
    change: (client: PoolClient) => Promise<T>,
  ): Promise<T> {
    let signal = false;
    const result = await inTransaction(this.database.pool, async (client) => {
      const changed = await change(client);
      const stream = webhookStreamId(organisationId);
      const store = this.store.within(client, () => (signal = true));
      // The webhook's row is locked by the change: the version read is the one appended on.
      await appendAtCurrentVersion(
        store,
        stream,
        [event],
        { actor: principal.staffId, content: event },
        { metadata: metadataOf(principal) },
      );
      return changed;
    });
    if (signal) this.notifier.signal();
    return result;
  }

  /** The secret is shown once, in this answer; keep it where the receiver verifies signatures. */
  @Put()
  async set(
    @Param('organisationId') organisationId: string,
    @Body() body: SetWebhookDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<WebhookSet<Date>> {
    await this.mayManage(organisationId, principal);
    const refusal = webhookUrlRefusal(body.url, this.config.webhookAllow);
    if (refusal) throw new InvalidInputException([{ field: 'url', ...refusal }]);
    // `null`, as `IsOptional` lets it through, is no secret given: Relais makes one.
    const given = body.secret ?? undefined;
    const secretProblem = given === undefined ? undefined : webhookSecretProblem(given);
    if (secretProblem) {
      throw new InvalidInputException([
        { field: 'secret', message: secretProblem, code: 'WEBHOOK_SECRET_INVALID' },
      ]);
    }
    const secret = given ?? newWebhookSecret();
    const webhook = await this.recorded(
      principal,
      organisationId,
      { type: 'WebhookConfigured', data: { organisationId, url: body.url } },
      (client) =>
        this.webhooks.set(
          organisationId,
          body.url,
          secret,
          principal.staffId,
          this.clock.now(),
          client,
        ),
    );
    return { ...webhook, secret };
  }

  @Get()
  async get(
    @Param('organisationId') organisationId: string,
    @CurrentPrincipal() principal: Principal,
  ) {
    await this.mayManage(organisationId, principal);
    const webhook = await this.webhooks.describe(organisationId);
    if (!webhook) {
      throw new NotFoundException({
        message: `${organisationId} has no webhook`,
        code: 'WEBHOOK_NOT_FOUND',
      });
    }
    return webhook;
  }

  /** Deliveries already queued then fail at once and wait, dead-lettered, for a retry. */
  @Delete()
  @HttpCode(HttpStatus.NO_CONTENT)
  async remove(
    @Param('organisationId') organisationId: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<void> {
    await this.mayManage(organisationId, principal);
    const removed = await this.recorded(
      principal,
      organisationId,
      { type: 'WebhookRemoved', data: { organisationId } },
      async (client) => {
        const done = await this.webhooks.remove(organisationId, client);
        // Nothing to remove is no change: roll back rather than record one.
        if (!done) throw new NoWebhook(organisationId);
        return done;
      },
    ).catch((error: unknown) => {
      if (error instanceof NoWebhook) return false;
      throw error;
    });
    if (!removed) {
      throw new NotFoundException({
        message: `${organisationId} has no webhook`,
        code: 'WEBHOOK_NOT_FOUND',
      });
    }
  }

  @Get('deliveries')
  @ApiQuery({ name: 'status', required: false, enum: STATUSES })
  async deliveries(
    @Param('organisationId') organisationId: string,
    @CurrentPrincipal() principal: Principal,
    @Query('status') status?: string,
  ) {
    await this.mayManage(organisationId, principal);
    const wanted = oneOf('status', STATUSES, status);
    return this.outbox.deliveries('webhook', organisationId, wanted ? { status: wanted } : {});
  }

  /** A dead letter sent again, with a fresh day of retries. */
  @Post('deliveries/:deliveryId/retry')
  @HttpCode(HttpStatus.ACCEPTED)
  async retry(
    @Param('organisationId') organisationId: string,
    @Param('deliveryId', ParseUUIDPipe) deliveryId: string,
    @CurrentPrincipal() principal: Principal,
  ) {
    await this.mayManage(organisationId, principal);
    if (!(await this.outbox.retry(deliveryId, 'webhook', organisationId, this.clock.now()))) {
      throw new NotFoundException({
        message: `No dead-lettered delivery ${deliveryId} for ${organisationId}`,
        code: 'DEAD_LETTER_NOT_FOUND',
      });
    }
    return { id: deliveryId, status: 'pending' };
  }

  private async mayManage(organisationId: string, principal: Principal): Promise<void> {
    if (!(await this.network.organisation(organisationId))) {
      throw new NotFoundException({
        message: `No organisation ${organisationId}`,
        code: 'ORGANISATION_NOT_FOUND',
      });
    }
    if (!principal.roles.includes('admin') && principal.organisationId !== organisationId) {
      throw new ForbiddenException({
        message: 'A manager manages the webhook of their own organisation only',
        code: 'NOT_YOUR_ORGANISATION',
      });
    }
  }
}

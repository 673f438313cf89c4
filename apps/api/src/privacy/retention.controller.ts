import {
  Body,
  Controller,
  Get,
  Inject,
  NotFoundException,
  Param,
  Put,
  Query,
} from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiQuery, ApiTags } from '@nestjs/swagger';
import { AccessPurpose } from '@relais/access-log';
import { CurrentPrincipal, Principal, Roles } from '@relais/auth';
import { addDays } from '@relais/calendar';
import { brusselsDate, Clock, CLOCK, wholeNumberParameter } from '@relais/platform';
import { Retention } from '@relais/privacy';
import { NetworkQueries } from '@relais/read-models';
import { RETENTION_YEARS, type ExpiringCase, type RetentionPolicy } from '@relais/wire';
import { IsInt, Max, Min } from 'class-validator';

export class SetRetentionDto {
  @ApiProperty({
    minimum: RETENTION_YEARS.min,
    maximum: RETENTION_YEARS.max,
    description: `years after the case ended (default ${RETENTION_YEARS.default})`,
  })
  @IsInt()
  @Min(RETENTION_YEARS.min)
  @Max(RETENTION_YEARS.max)
  readonly years!: number;
}

const MAX_DAYS = 366;

/** Retention: each organisation's period (set by an admin), and what the next days will shred (the DPO). */
@ApiTags('privacy')
@ApiBearerAuth()
@Controller()
export class RetentionController {
  constructor(
    private readonly retention: Retention,
    private readonly network: NetworkQueries,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get('organisations/:id/retention')
  @Roles('admin', 'dpo')
  async policy(@Param('id') organisationId: string): Promise<RetentionPolicy<Date>> {
    await this.known(organisationId);
    return this.retention.policy(organisationId);
  }

  @Put('organisations/:id/retention')
  @Roles('admin')
  async setPolicy(
    @Param('id') organisationId: string,
    @Body() body: SetRetentionDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<RetentionPolicy<Date>> {
    await this.known(organisationId);
    return this.retention.setPolicy(organisationId, body.years, principal, this.clock.now());
  }

  /** Ended cases whose family's personal data the retention job erases within `days` (default 30). */
  @Get('retention/expiring')
  @Roles('dpo')
  @AccessPurpose('dpo_review')
  @ApiQuery({ name: 'days', required: false, description: `1 to ${MAX_DAYS}, default 30` })
  async expiring(
    @Query('days') wanted?: string,
  ): Promise<{ until: string; items: ExpiringCase[] }> {
    const until = addDays(
      brusselsDate(this.clock.now()),
      wholeNumberParameter('days', wanted, { min: 1, max: MAX_DAYS, fallback: 30 }),
    );
    return { until, items: await this.retention.expiringBy(until) };
  }

  private async known(organisationId: string): Promise<void> {
    if (!(await this.network.organisation(organisationId)))
      throw new NotFoundException({
        message: `No organisation ${organisationId}`,
        code: 'ORGANISATION_NOT_FOUND',
      });
  }
}

import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiQuery, ApiTags } from '@nestjs/swagger';
import { AccessPurpose } from '@relais/access-log';
import { CurrentPrincipal, Principal, Roles } from '@relais/auth';
import { positiveInteger } from '@relais/platform';
import { Referrals } from '@relais/read-models';
import type { ReferralSummary } from '@relais/wire';

/**
 * The referrals the caller's organisation must answer, and the answers to those it sent: case
 * work, so social workers and SAJ delegates, like the cases they lead to.
 */
@ApiTags('cases')
@ApiBearerAuth()
@Roles('social_worker', 'saj_delegate')
@Controller('referrals')
export class ReferralsController {
  constructor(private readonly referrals: Referrals) {}

  /** Every referral waiting for an answer; of those sent, the `outgoing` newest (1–200, 50). */
  @Get()
  @AccessPurpose('case_follow_up')
  @ApiQuery({ name: 'outgoing', required: false, description: '1–200, default 50' })
  list(
    @CurrentPrincipal() principal: Principal,
    @Query('outgoing') outgoing?: string,
  ): Promise<ReferralSummary[]> {
    return this.referrals.forOrganisation(principal.organisationId, {
      outgoing: positiveInteger('outgoing', outgoing, 50, 200),
    });
  }
}

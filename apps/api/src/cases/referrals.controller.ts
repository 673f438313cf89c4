import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AccessPurpose } from '@relais/access-log';
import { CurrentPrincipal, Principal, Roles } from '@relais/auth';
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

  @Get()
  @AccessPurpose('case_follow_up')
  list(@CurrentPrincipal() principal: Principal): Promise<ReferralSummary[]> {
    return this.referrals.forOrganisation(principal.organisationId);
  }
}

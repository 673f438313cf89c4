import { Body, Controller, Get, HttpCode, HttpStatus, Inject, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiTags } from '@nestjs/swagger';
import { AccessPurpose } from '@relais/access-log';
import { CurrentPrincipal, Principal, Roles } from '@relais/auth';
import { Clock, CLOCK } from '@relais/platform';
import { Erasures } from '@relais/privacy';
import { DPO_ERASURE_REASONS, type Erasure } from '@relais/wire';
import { IsIn, IsUUID } from 'class-validator';

export class RequestErasureDto {
  @ApiProperty({ description: 'the person: a subject id, as a case or the DPO lookup shows it' })
  @IsUUID()
  readonly subjectId!: string;

  @ApiProperty({ enum: DPO_ERASURE_REASONS })
  @IsIn(DPO_ERASURE_REASONS)
  readonly reason!: (typeof DPO_ERASURE_REASONS)[number];
}

/** Erasure (GDPR art. 17) as the data protection officer asks for it. */
@ApiTags('privacy')
@ApiBearerAuth()
@Roles('dpo')
@Controller('erasures')
export class ErasuresController {
  constructor(
    private readonly erasures: Erasures,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Records the erasure as an event, destroys the person's key and rotates the epoch; a retry answers the same erasure. */
  @Post()
  @HttpCode(HttpStatus.CREATED)
  @AccessPurpose('erasure')
  request(
    @Body() body: RequestErasureDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<Erasure<Date>> {
    return this.erasures.erase(body.subjectId, body.reason, principal, this.clock.now());
  }

  /** Every erasure, newest first: subject and case ids, reason, author; never a name. */
  @Get()
  @AccessPurpose('erasure')
  async list(): Promise<{ items: Erasure<Date>[] }> {
    return { items: await this.erasures.list() };
  }
}

import {
  Body,
  Controller,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  ParseIntPipe,
  Post,
  Res,
} from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import { AccessPurpose } from '@relais/access-log';
import { CurrentPrincipal, Principal, Roles } from '@relais/auth';
import { MaxBodyBytes } from '@relais/platform';
import { ProtocolDefinition } from '@relais/protocol';
import { BODY_LIMITS } from '@relais/wire';
import type { Response } from 'express';
import { DraftedVersion, DraftProtocolVersion } from './draft-protocol-version.handler';
import { ProtocolDocumentPipe } from './protocol-document.body';
import { ProtocolSimulator, SimulateEventDto } from './protocol-simulation';
import { ProtocolViews } from './protocol-views';
import { SignProtocolVersion } from './sign-protocol-version.handler';

/** Protocols: any member of staff reads them; coordinators upload, managers sign. */
@ApiTags('protocols')
@ApiBearerAuth()
@Controller('protocols')
export class ProtocolsController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly views: ProtocolViews,
    private readonly simulator: ProtocolSimulator,
  ) {}

  @Post()
  @Roles('admin', 'coordinator')
  @MaxBodyBytes(BODY_LIMITS.documentBytes)
  @ApiConsumes('application/yaml', 'text/yaml', 'application/json')
  @ApiBody({ description: 'The protocol document (see README, Protocol files)' })
  async upload(
    @Body(ProtocolDocumentPipe) definition: ProtocolDefinition,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) response: Response,
  ): Promise<DraftedVersion> {
    const drafted = await this.commandBus.execute<DraftProtocolVersion, DraftedVersion>(
      new DraftProtocolVersion(definition, principal),
    );
    response.location(`/api/v1/protocols/${drafted.id}`);
    return drafted;
  }

  @Get()
  list() {
    return this.views.list();
  }

  @Get(':id')
  get(@Param('id') id: string) {
    return this.views.get(id);
  }

  @Post(':id/versions/:version/signatures')
  @Roles('manager', 'admin')
  sign(
    @Param('id') id: string,
    @Param('version', ParseIntPipe) version: number,
    @CurrentPrincipal() principal: Principal,
  ): Promise<{ adopted: boolean }> {
    return this.commandBus.execute(new SignProtocolVersion(id, version, principal));
  }

  /** With a `caseId`, a dry run reads that case: its partners and where the family lives. */
  @Post(':id/simulate')
  @AccessPurpose('case_follow_up')
  @HttpCode(HttpStatus.OK)
  @Roles('social_worker', 'saj_delegate', 'manager', 'coordinator', 'admin')
  simulate(
    @Param('id') id: string,
    @Body() body: SimulateEventDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.simulator.simulate(id, body, principal);
  }
}

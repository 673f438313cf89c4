import {
  Body,
  Controller,
  Get,
  HttpCode,
  HttpStatus,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Query,
} from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@relais/auth';
import { ORGANISATION_KINDS, Territory } from '@relais/domain';
import { CompetenceDirectory } from '@relais/network';
import { NetworkQueries } from '@relais/read-models';
import { oneOf } from '@relais/platform';
import {
  RegisterOrganisationDto,
  RegisterStaffDto,
  UpdateOrganisationDto,
  UpdateStaffDto,
} from './network.dto';
import {
  ChangeStaffMember,
  RegisterOrganisation,
  RegisterStaffMember,
  UpdateOrganisation,
} from './network.commands';

@ApiTags('network')
@ApiBearerAuth()
@Controller()
export class NetworkController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly network: NetworkQueries,
    private readonly directory: CompetenceDirectory,
  ) {}

  @Get('organisations')
  @ApiQuery({ name: 'kind', required: false, enum: ORGANISATION_KINDS })
  organisations(@Query('kind') kind?: string) {
    return this.network.organisations(oneOf('kind', ORGANISATION_KINDS, kind));
  }

  @Get('organisations/:id')
  async organisation(@Param('id') id: string) {
    const organisation = await this.network.organisation(id);
    if (!organisation)
      throw new NotFoundException({
        message: `No organisation ${id}`,
        code: 'ORGANISATION_NOT_FOUND',
      });
    return organisation;
  }

  @Post('organisations')
  @Roles('admin')
  registerOrganisation(
    @Body() body: RegisterOrganisationDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    const territory: Territory =
      body.territory.kind === 'communes'
        ? { kind: 'communes', communes: body.territory.communes ?? [] }
        : { kind: 'arrondissements', arrondissements: body.territory.arrondissements ?? [] };
    return this.commandBus.execute(
      new RegisterOrganisation(
        { ...body, territory, closureDays: body.closureDays ?? [] },
        principal,
      ),
    );
  }

  /** Name, contact e-mail and closure days: an admin, or a manager for their organisation. */
  @Patch('organisations/:id')
  @Roles('admin', 'manager')
  updateOrganisation(
    @Param('id') id: string,
    @Body() body: UpdateOrganisationDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.commandBus.execute(new UpdateOrganisation(id, body, principal));
  }

  @Get('staff')
  @ApiQuery({ name: 'organisationId', required: false })
  staff(@Query('organisationId') organisationId?: string) {
    return this.network.staff(organisationId);
  }

  /** Along the role-granting table: an admin registers anyone; a manager, case workers of their organisation. */
  @Post('staff')
  @Roles('admin', 'manager')
  registerStaff(@Body() body: RegisterStaffDto, @CurrentPrincipal() principal: Principal) {
    return this.commandBus.execute(new RegisterStaffMember(body, principal));
  }

  @Patch('staff/:id')
  @Roles('admin', 'manager')
  updateStaff(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: UpdateStaffDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.commandBus.execute(
      new ChangeStaffMember(id, { type: 'UpdateStaffMember', ...body }, principal),
    );
  }

  /** The account's tokens stop working at once, and it can no longer sign in. */
  @Post('staff/:id/deactivate')
  @Roles('admin', 'manager')
  @HttpCode(HttpStatus.OK)
  deactivateStaff(
    @Param('id', ParseUUIDPipe) id: string,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.commandBus.execute(
      new ChangeStaffMember(id, { type: 'DeactivateStaffMember' }, principal),
    );
  }

  @Post('staff/:id/reactivate')
  @Roles('admin', 'manager')
  @HttpCode(HttpStatus.OK)
  reactivateStaff(
    @Param('id', ParseUUIDPipe) id: string,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.commandBus.execute(
      new ChangeStaffMember(id, { type: 'ReactivateStaffMember' }, principal),
    );
  }

  @Get('communes')
  communes() {
    return this.directory.listCommunes();
  }
}

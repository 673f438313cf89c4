import { Body, Controller, Get, NotFoundException, Param, Post, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@relais/auth';
import { ORGANISATION_KINDS, Territory } from '@relais/domain';
import { CompetenceDirectory } from '@relais/network';
import { NetworkQueries } from '@relais/read-models';
import { InvalidInputException, oneOf } from '@relais/platform';
import { RegisterOrganisationDto, RegisterStaffDto } from './network.dto';
import { RegisterOrganisation, RegisterStaffMember } from './network.commands';

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

  @Get('staff')
  @ApiQuery({ name: 'organisationId', required: false })
  staff(@Query('organisationId') organisationId?: string) {
    return this.network.staff(organisationId);
  }

  /** Admins register anyone; a manager registers staff of their own organisation. */
  @Post('staff')
  @Roles('admin', 'manager')
  registerStaff(@Body() body: RegisterStaffDto, @CurrentPrincipal() principal: Principal) {
    if (!principal.roles.includes('admin') && body.organisationId !== principal.organisationId) {
      throw new InvalidInputException([
        {
          field: 'organisationId',
          message: 'a manager registers staff of their own organisation only',
        },
      ]);
    }
    return this.commandBus.execute(new RegisterStaffMember(body, principal));
  }

  @Get('communes')
  communes() {
    return this.directory.listCommunes();
  }
}

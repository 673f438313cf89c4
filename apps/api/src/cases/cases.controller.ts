import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  HttpStatus,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiBody, ApiHeader, ApiQuery, ApiTags } from '@nestjs/swagger';
import { AccessPurpose } from '@relais/access-log';
import { CurrentPrincipal, Principal, Roles } from '@relais/auth';
import { IdempotencyKey, uuidFromName } from '@relais/platform';
import { Inbox } from '@relais/obligations';
import { CaseSummaries, encodeCaseCursor } from '@relais/read-models';
import type { CasePage, OpenCasePreview, Simulation } from '@relais/wire';
import type { Response } from 'express';
import { ActorResolver } from './actor-resolver';
import { CaseEventBodyPipe } from './case-event-body.pipe';
import { CaseListQuery, CaseSearch } from './case-search';
import { FamilyNames } from './family-names';
import { CaseRepository } from './case-repository';
import { CaseViews } from './case-views';
import { CaseEventDto, OpenCaseDto } from './case.dto';
import { CaseCommands } from './case-commands';
import { CasePreviews } from './case-preview';
import { LoggedResult } from './case-appender';
import { LogCaseEvent } from './log-case-event.handler';
import { OpenCase } from './open-case.handler';

const etag = (version: number) => `"${version}"`;

function parseIfMatch(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  const version = Number(header.replace(/^W\//, '').replaceAll('"', ''));
  return Number.isInteger(version) ? version : -1;
}

/** Case work: social workers and SAJ delegates; management sees figures, never cases. */
@ApiTags('cases')
@ApiBearerAuth()
@Roles('social_worker', 'saj_delegate')
@Controller('cases')
export class CasesController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly cases: CaseRepository,
    private readonly views: CaseViews,
    private readonly summaries: CaseSummaries,
    private readonly commands: CaseCommands,
    private readonly actors: ActorResolver,
    private readonly inbox: Inbox,
    private readonly previews: CasePreviews,
    private readonly search: CaseSearch,
    private readonly names: FamilyNames,
  ) {}

  @Post()
  @AccessPurpose('case_follow_up')
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  async open(
    @Body() body: OpenCaseDto,
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() idempotencyKey: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<LoggedResult> {
    const by = await this.actors.resolve(principal);
    const result = await this.commandBus.execute<OpenCase, LoggedResult>(
      new OpenCase(body, by, idempotencyKey),
    );
    response.location(`/api/v1/cases/${result.caseId}`).setHeader('ETag', etag(result.version));
    return result;
  }

  /**
   * What opening this case would meet, before it is opened: the cases still open in the
   * caller's organisation for a NISS of the family, found through the blind index. Writes nothing.
   */
  @Post('preview')
  @AccessPurpose('case_follow_up')
  @HttpCode(HttpStatus.OK)
  async previewOpening(
    @Body() body: OpenCaseDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<OpenCasePreview> {
    return { openCases: await this.search.openCasesFor(body, principal.organisationId) };
  }

  /** One page of the organisation's cases, its family by name; searched and filtered (see `CaseSearch`). */
  @Get()
  @AccessPurpose('case_follow_up')
  @ApiQuery({ name: 'status', required: false, enum: ['open', 'ended'] })
  @ApiQuery({ name: 'q', required: false, description: 'a name, a NISS or a case reference' })
  @ApiQuery({ name: 'commune', required: false, description: 'INS code of the residence' })
  @ApiQuery({ name: 'assigned', required: false, enum: ['me'] })
  @ApiQuery({ name: 'limit', required: false, description: 'cases per page, 1–200, default 50' })
  @ApiQuery({ name: 'after', required: false, description: 'the `next` of the previous page' })
  async list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: CaseListQuery,
  ): Promise<CasePage<Date>> {
    const page = this.search.page(query);
    const filters = await this.search.filters(query, principal.staffId);
    const { rows, next } = await this.summaries.forOrganisation(
      principal.organisationId,
      filters,
      page,
    );
    return { items: await this.names.name(rows), next: next ? encodeCaseCursor(next) : null };
  }

  @Get(':id')
  @AccessPurpose('case_follow_up')
  async get(
    @Param('id', ParseUUIDPipe) id: string,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) response: Response,
  ) {
    const read = await this.cases.read(id, principal.organisationId);
    if (read.access !== 'former_partner') response.setHeader('ETag', etag(read.version));
    return this.views.caseView(read, principal.organisationId);
  }

  @Get(':id/timeline')
  @AccessPurpose('case_follow_up')
  async timeline(@Param('id', ParseUUIDPipe) id: string, @CurrentPrincipal() principal: Principal) {
    return this.views.timeline(await this.cases.readHistory(id, principal.organisationId));
  }

  /** Who the case's events had to be told to, by when, and how it went (blocked ones included). */
  @Get(':id/obligations')
  @AccessPurpose('case_follow_up')
  async obligations(
    @Param('id', ParseUUIDPipe) id: string,
    @CurrentPrincipal() principal: Principal,
  ) {
    const read = await this.cases.readHistory(id, principal.organisationId);
    const obligations = await this.inbox.forCase(id);
    // A former partner keeps what concerned it: what it owed and what it was told.
    return read.access === 'partner'
      ? obligations
      : obligations.filter((o) =>
          [o.obligedOrganisationId, o.recipientOrganisationId].includes(principal.organisationId),
        );
  }

  /** The dry run of the event below: the same checks and refusals, what it would oblige, no write. */
  @Post(':id/events/preview')
  @AccessPurpose('case_follow_up')
  @HttpCode(HttpStatus.OK)
  @ApiBody({ type: CaseEventDto, description: 'The body `POST /cases/:id/events` would get' })
  async preview(
    @Param('id', ParseUUIDPipe) id: string,
    @Body(CaseEventBodyPipe) body: Record<string, unknown>,
    @CurrentPrincipal() principal: Principal,
  ): Promise<Simulation[]> {
    return this.previews.preview(id, body as unknown as CaseEventDto, principal);
  }

  @Post(':id/events')
  @AccessPurpose('case_follow_up')
  @HttpCode(HttpStatus.CREATED)
  @ApiBody({ type: CaseEventDto, description: 'One of the event bodies, chosen by `type`' })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiHeader({ name: 'If-Match', required: false, description: 'The ETag of the case read' })
  async log(
    @Param('id', ParseUUIDPipe) id: string,
    @Body(CaseEventBodyPipe) body: Record<string, unknown>,
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() idempotencyKey: string | undefined,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<LoggedResult> {
    const by = await this.actors.resolve(principal);
    const key = idempotencyKey ?? crypto.randomUUID();
    const command = await this.commands.fromBody(body as unknown as CaseEventDto, by, (purpose) =>
      uuidFromName(`${by.organisationId}:${id}:${key}:${purpose}`),
    );
    const result = await this.commandBus.execute<LogCaseEvent, LoggedResult>(
      new LogCaseEvent(id, command, by, { idempotencyKey, ifMatch: parseIfMatch(ifMatch) }),
    );
    response.setHeader('ETag', etag(result.version));
    return result;
  }
}

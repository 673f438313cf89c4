import {
  Controller,
  ForbiddenException,
  Get,
  Header,
  Inject,
  Query,
  StreamableFile,
} from '@nestjs/common';
import { ApiBearerAuth, ApiQuery, ApiTags } from '@nestjs/swagger';
import { AccessPurpose } from '@relais/access-log';
import { CurrentPrincipal, Principal, Roles } from '@relais/auth';
import {
  addMonths,
  ComplianceQueries,
  Month,
  MonthlyReport,
  reportCsv,
  reportPdf,
} from '@relais/compliance';
import { CompetenceDirectory } from '@relais/network';
import {
  brusselsDate,
  calendarDateParameter,
  Clock,
  CLOCK,
  InvalidInputException,
  oneOf,
  positiveInteger,
} from '@relais/platform';
import { ProtocolVersions } from '@relais/read-models';
import { FOLLOW_UP_STATUSES, isCalendarDate } from '@relais/wire';

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const STATUSES = FOLLOW_UP_STATUSES;

/** A month as `YYYY-MM` (a date `YYYY-MM-DD` stands for its month). */
function month(field: string, value: string | undefined, fallback: Month): Month {
  if (value === undefined || value === '') return fallback;
  if (!MONTH.test(value) && !isCalendarDate(value))
    throw new InvalidInputException([{ field, message: `${field} must be a month, YYYY-MM` }]);
  return value.slice(0, 7);
}

const sees = {
  everything: (p: Principal) => p.roles.includes('coordinator') || p.roles.includes('admin'),
  organisationFigures: (p: Principal) => p.roles.includes('manager'),
};

/**
 * Protocol compliance for management, without case content. A coordinator (or an admin) sees
 * every organisation; a manager sees their organisation's figures and the network's totals;
 * social workers and delegates see their organisation's open obligations only.
 */
@ApiTags('compliance')
@ApiBearerAuth()
@Controller('compliance')
export class ComplianceController {
  constructor(
    private readonly compliance: ComplianceQueries,
    private readonly directory: CompetenceDirectory,
    private readonly protocols: ProtocolVersions,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get('summary')
  @Roles('manager', 'coordinator', 'admin')
  @ApiQuery({
    name: 'from',
    required: false,
    description: 'YYYY-MM; default 11 months before `to`',
  })
  @ApiQuery({ name: 'to', required: false, description: 'YYYY-MM; default this month' })
  @ApiQuery({ name: 'organisation', required: false })
  @ApiQuery({ name: 'rule', required: false })
  summary(
    @CurrentPrincipal() principal: Principal,
    @Query('from') from?: string,
    @Query('to') to?: string,
    @Query('organisation') organisation?: string,
    @Query('rule') rule?: string,
  ) {
    const today = this.today();
    const until = month('to', to, today.slice(0, 7));
    const since = month('from', from, addMonths(until, -11));
    if (since > until)
      throw new InvalidInputException([{ field: 'from', message: 'from must not be after to' }]);
    return this.compliance.summary({
      from: since,
      to: until,
      today,
      ...this.scope(principal, organisation),
      ...(rule ? { rule } : {}),
    });
  }

  @Get('obligations')
  @AccessPurpose('compliance_follow_up')
  @Roles('social_worker', 'saj_delegate', 'manager', 'coordinator', 'admin')
  @ApiQuery({ name: 'status', required: false, enum: STATUSES })
  @ApiQuery({ name: 'organisation', required: false })
  @ApiQuery({ name: 'from', required: false, description: 'YYYY-MM-DD, on occurredOn' })
  @ApiQuery({ name: 'to', required: false, description: 'YYYY-MM-DD, on occurredOn' })
  @ApiQuery({ name: 'page', required: false })
  @ApiQuery({ name: 'pageSize', required: false, description: '1 to 200, default 50' })
  obligations(
    @CurrentPrincipal() principal: Principal,
    @Query('status') status?: string,
    @Query('organisation') organisation?: string,
    @Query('from') from?: string,
    @Query('to') to?: string,
    @Query('page') page?: string,
    @Query('pageSize') pageSize?: string,
  ) {
    const wanted = oneOf('status', STATUSES, status);
    const management = sees.everything(principal) || sees.organisationFigures(principal);
    if (!management && wanted !== 'open' && wanted !== 'at_risk') {
      throw new ForbiddenException({
        message: 'Social workers and delegates follow their organisation’s open obligations only',
        code: 'OPEN_OBLIGATIONS_ONLY',
      });
    }
    return this.compliance.followUp({
      today: this.today(),
      ...(wanted ? { status: wanted } : {}),
      ...this.scope(principal, organisation),
      ...optional('from', calendarDateParameter('from', from)),
      ...optional('to', calendarDateParameter('to', to)),
      page: positiveInteger('page', page, 1, 1_000_000),
      pageSize: positiveInteger('pageSize', pageSize, 50, 200),
    });
  }

  @Get('report.csv')
  @Roles('manager', 'coordinator', 'admin')
  @Header('Content-Type', 'text/csv; charset=utf-8')
  @ApiQuery({ name: 'month', required: false, description: 'YYYY-MM; default last month' })
  async csv(
    @CurrentPrincipal() principal: Principal,
    @Query('month') wanted?: string,
    @Query('organisation') organisation?: string,
  ): Promise<StreamableFile> {
    const report = await this.report(principal, wanted, organisation);
    return new StreamableFile(Buffer.from(reportCsv(report)), {
      type: 'text/csv; charset=utf-8',
      disposition: `attachment; filename="relais-conformite-${report.month}.csv"`,
    });
  }

  @Get('report.pdf')
  @Roles('manager', 'coordinator', 'admin')
  @ApiQuery({ name: 'month', required: false, description: 'YYYY-MM; default last month' })
  async pdf(
    @CurrentPrincipal() principal: Principal,
    @Query('month') wanted?: string,
    @Query('organisation') organisation?: string,
  ): Promise<StreamableFile> {
    const report = await this.report(principal, wanted, organisation);
    return new StreamableFile(await reportPdf(report), {
      type: 'application/pdf',
      disposition: `attachment; filename="relais-conformite-${report.month}.pdf"`,
    });
  }

  private async report(
    principal: Principal,
    wanted: string | undefined,
    organisation: string | undefined,
  ): Promise<MonthlyReport> {
    const today = this.today();
    const reported = month('month', wanted, addMonths(today.slice(0, 7), -1));
    const scope = this.scope(principal, organisation);
    const summary = await this.compliance.summary({
      from: reported,
      to: reported,
      today,
      ...scope,
    });
    const titles = new Map<string, string>();
    for (const version of await this.protocols.all()) {
      const rules =
        (version.definition as { rules?: { id: string; title?: string }[] }).rules ?? [];
      for (const rule of rules) titles.set(rule.id, rule.title ?? rule.id);
    }
    return {
      month: reported,
      generatedOn: today,
      organisation: scope.organisation ?? null,
      summary,
      organisationName: (id) => this.directory.organisation(id)?.name ?? id,
      ruleTitle: (id) => titles.get(id) ?? id,
    };
  }

  /** Whose figures the caller may see: a coordinator chooses; everyone else sees their own. */
  private scope(principal: Principal, organisation: string | undefined): { organisation?: string } {
    if (sees.everything(principal)) return organisation ? { organisation } : {};
    if (organisation && organisation !== principal.organisationId) {
      throw new ForbiddenException({
        message: 'You see the figures of your own organisation and the network’s totals only',
        code: 'NOT_YOUR_ORGANISATION',
        field: 'organisation',
        params: { organisation: principal.organisationId },
      });
    }
    return { organisation: principal.organisationId };
  }

  private today(): string {
    return brusselsDate(this.clock.now());
  }
}

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };
}

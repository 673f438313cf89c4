import { Controller, Get, Query, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiQuery, ApiTags } from '@nestjs/swagger';
import { AccessLog, accessLogCsv, AccessLogQuery, AccessPurpose } from '@relais/access-log';
import { Roles } from '@relais/auth';
import { CaseSummaries } from '@relais/read-models';
import {
  calendarDateParameter,
  InvalidInputException,
  oneOf,
  wholeNumberParameter,
} from '@relais/platform';
import { MAX_LENGTH } from '@relais/wire';

const FORMATS = ['json', 'csv'] as const;
const MAX_LIMIT = 10_000;

function id(field: string, value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (value.length > MAX_LENGTH.id)
    throw new InvalidInputException([
      { field, message: `${field} must be at most ${MAX_LENGTH.id} characters` },
    ]);
  return value;
}

/** Who read which case, when and why: for the data protection officer alone. */
@ApiTags('access-log')
@ApiBearerAuth()
@Roles('dpo')
@Controller('access-log')
export class AccessLogController {
  constructor(
    private readonly log: AccessLog,
    private readonly summaries: CaseSummaries,
  ) {}

  /** Newest first; `format=csv` downloads the same entries. Reading the log is logged too. */
  @Get()
  @AccessPurpose('dpo_review')
  @ApiQuery({ name: 'staff', required: false, description: 'a staff id' })
  @ApiQuery({ name: 'organisation', required: false })
  @ApiQuery({ name: 'case', required: false, description: 'a case id' })
  @ApiQuery({ name: 'subject', required: false, description: 'a subject id' })
  @ApiQuery({ name: 'from', required: false, description: 'YYYY-MM-DD (Brussels), inclusive' })
  @ApiQuery({ name: 'to', required: false, description: 'YYYY-MM-DD (Brussels), inclusive' })
  @ApiQuery({ name: 'limit', required: false, description: `1 to ${MAX_LIMIT}, default 1000` })
  @ApiQuery({ name: 'format', required: false, enum: FORMATS })
  async search(
    @Query('staff') staff?: string,
    @Query('organisation') organisation?: string,
    @Query('case') caseId?: string,
    @Query('subject') subject?: string,
    @Query('from') from?: string,
    @Query('to') to?: string,
    @Query('limit') wanted?: string,
    @Query('format') format?: string,
  ) {
    const csv = oneOf('format', FORMATS, format) === 'csv';
    const query: AccessLogQuery = {
      staffId: id('staff', staff),
      organisationId: id('organisation', organisation),
      caseId: id('case', caseId),
      subjectId: id('subject', subject),
      from: calendarDateParameter('from', from),
      to: calendarDateParameter('to', to),
      limit: wholeNumberParameter('limit', wanted, { min: 1, max: MAX_LIMIT, fallback: 1_000 }),
    };
    if (query.from && query.to && query.from > query.to)
      throw new InvalidInputException([{ field: 'from', message: 'from must not be after to' }]);
    const items = await this.log.search(query);
    if (!csv) {
      const references = await this.summaries.references(items.flatMap((i) => i.caseIds));
      return {
        items: items.map((item) => ({
          ...item,
          cases: item.caseIds.map((caseId) => ({
            caseId,
            reference: references.get(caseId) ?? null,
          })),
        })),
      };
    }
    return new StreamableFile(Buffer.from(accessLogCsv(items)), {
      type: 'text/csv; charset=utf-8',
      disposition: `attachment; filename="relais-journal-acces.csv"`,
    });
  }
}

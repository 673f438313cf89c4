import {
  Controller,
  Get,
  Headers,
  Param,
  ParseUUIDPipe,
  Query,
  StreamableFile,
} from '@nestjs/common';
import { ApiBearerAuth, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import { AccessPurpose } from '@relais/access-log';
import { Roles } from '@relais/auth';
import { InvalidInputException, oneOf } from '@relais/platform';
import { CaseSummaries } from '@relais/read-models';
import { normalisedName, normalisedNiss, SubjectVault } from '@relais/vault';
import { MAX_LENGTH, SubjectMatch, SubjectReport } from '@relais/wire';
import { subjectReportPdf } from './subject-report-pdf';
import { SubjectReports } from './subject-report';

const FORMATS = ['json', 'pdf'] as const;
/** A NISS typed with its dots and dashes: `85.07.30-033.28`. */
const MAX_NISS_TYPED = 20;

/** The data protection officer's side: finding a person, and their own report. */
@ApiTags('dpo')
@ApiBearerAuth()
@Roles('dpo')
@Controller('dpo')
export class DpoController {
  constructor(
    private readonly vault: SubjectVault,
    private readonly summaries: CaseSummaries,
    private readonly reports: SubjectReports,
  ) {}

  /**
   * The people with this NISS or this full name, found through the vault's blind index, with the
   * cases they are a member of: ids and references, no other personal data.
   */
  @Get('subjects')
  @AccessPurpose('dpo_review')
  @ApiQuery({ name: 'niss', required: false, description: '11 digits, dots and dashes allowed' })
  @ApiQuery({ name: 'name', required: false, description: 'first and last name, in either order' })
  async subjects(
    @Query('niss') niss?: string,
    @Query('name') name?: string,
  ): Promise<{ items: SubjectMatch[] }> {
    const ids = await this.find(niss, name);
    const cases = await this.summaries.ofSubjects(ids);
    return { items: ids.map((subjectId) => ({ subjectId, cases: cases.get(subjectId) ?? [] })) };
  }

  /** GDPR art. 15: as JSON, or as a PDF in French (`format=pdf` or `Accept: application/pdf`). */
  @Get('subjects/:id/report')
  @AccessPurpose('dpo_review')
  @ApiQuery({ name: 'format', required: false, enum: FORMATS })
  @ApiProduces('application/json', 'application/pdf')
  async report(
    @Param('id', ParseUUIDPipe) id: string,
    @Query('format') format?: string,
    @Headers('accept') accept?: string,
  ): Promise<SubjectReport | StreamableFile> {
    const wanted =
      oneOf('format', FORMATS, format) ?? (accept?.includes('application/pdf') ? 'pdf' : 'json');
    const report = await this.reports.of(id.toLowerCase());
    if (wanted === 'json') return report;
    return new StreamableFile(await subjectReportPdf(report), {
      type: 'application/pdf',
      disposition: `attachment; filename="relais-rapport-${report.generatedOn}.pdf"`,
    });
  }

  private find(niss: string | undefined, name: string | undefined): Promise<string[]> {
    const given = [niss, name].filter((v) => v !== undefined && v.trim() !== '');
    if (given.length !== 1) {
      throw new InvalidInputException([
        { field: 'niss', message: 'give either niss or name, not both nor neither' },
      ]);
    }
    if (niss !== undefined && niss.trim() !== '') {
      if (niss.length > MAX_NISS_TYPED || normalisedNiss(niss).length !== 11)
        throw new InvalidInputException([{ field: 'niss', message: 'niss must be 11 digits' }]);
      return this.vault.findByNiss(niss);
    }
    const full = name ?? '';
    if (full.length > 2 * MAX_LENGTH.personName + 1)
      throw new InvalidInputException([
        {
          field: 'name',
          message: `name must be at most ${2 * MAX_LENGTH.personName + 1} characters`,
        },
      ]);
    if (!normalisedName(full).includes(' '))
      throw new InvalidInputException([
        { field: 'name', message: 'name must hold a first name and a last name' },
      ]);
    return this.vault.findByName(full);
  }
}

import { Injectable } from '@nestjs/common';
import { CompetenceDirectory } from '@relais/network';
import { InvalidInputException, oneOf, positiveInteger } from '@relais/platform';
import { CaseCursor, CaseFilters, CaseSummaries, decodeCaseCursor } from '@relais/read-models';
import { normalisedNiss, SubjectVault } from '@relais/vault';
import { CASE_PAGE, MAX_LENGTH, type OpenCasePreview } from '@relais/wire';

/** `GET /cases`'s query parameters as typed. */
export interface CaseListQuery {
  readonly q?: string;
  readonly status?: string;
  readonly commune?: string;
  readonly assigned?: string;
  readonly limit?: string;
  readonly after?: string;
}

const STATUSES = ['open', 'ended'] as const;
const ASSIGNED = ['me'] as const;
const NISS_TYPED = /^[\d\s./-]+$/;

/**
 * From `GET /cases`'s query to the list's filters, each parameter checked (a 400 naming it). A
 * search goes through the vault's blind index: an 11-digit NISS however typed, else every word
 * of a name; it also matches the text within a case reference. No name or NISS is kept or
 * compared in clear: only their keyed digests are looked up.
 */
@Injectable()
export class CaseSearch {
  constructor(
    private readonly vault: SubjectVault,
    private readonly directory: CompetenceDirectory,
    private readonly summaries: CaseSummaries,
  ) {}

  /**
   * For each family member with a NISS, the cases still open in the organisation whose family
   * holds a person of that NISS: the vault's digest finds them, no NISS is compared in clear.
   */
  async openCasesFor(
    body: { readonly familyMembers: readonly { readonly niss?: string }[] },
    organisationId: string,
  ): Promise<OpenCasePreview['openCases']> {
    const found = await Promise.all(
      body.familyMembers.map(async ({ niss }, member) => {
        if (niss === undefined) return [];
        const subjectIds = await this.vault.findByNiss(niss);
        const cases = await this.summaries.openForSubjects(organisationId, subjectIds);
        const seen = new Set<string>();
        return cases
          .filter((c) => !seen.has(c.caseId) && seen.add(c.caseId))
          .map(({ caseId, reference, openedOn }) => ({ member, caseId, reference, openedOn }));
      }),
    );
    return found.flat();
  }

  async filters(query: CaseListQuery, staffId: string): Promise<CaseFilters> {
    const status = oneOf('status', STATUSES, query.status);
    const assigned = oneOf('assigned', ASSIGNED, query.assigned);
    const commune = query.commune;
    if (
      commune !== undefined &&
      (!/^\d{5}$/.test(commune) || this.directory.commune(commune) === undefined)
    ) {
      throw new InvalidInputException([
        { field: 'commune', message: 'commune must be the INS code of a known commune' },
      ]);
    }
    return {
      ...(status ? { status } : {}),
      ...(commune !== undefined ? { commune } : {}),
      ...(assigned === 'me' ? { assignedTo: staffId } : {}),
      ...(await this.search(query.q)),
    };
  }

  /** Which page: `limit` cases (1 to `CASE_PAGE.max`), after the case the `after` cursor names. */
  page(query: CaseListQuery): { limit: number; after?: CaseCursor } {
    const limit = positiveInteger('limit', query.limit, CASE_PAGE.default, CASE_PAGE.max);
    if (query.after === undefined) return { limit };
    const after = decodeCaseCursor(query.after);
    if (after === undefined) {
      throw new InvalidInputException([
        { field: 'after', message: 'after must be the next cursor of a GET /cases answer' },
      ]);
    }
    return { limit, after };
  }

  private async search(q: string | undefined): Promise<CaseFilters> {
    if (q === undefined || q.trim() === '') return {};
    if (q.length > MAX_LENGTH.caseSearch) {
      throw new InvalidInputException([
        { field: 'q', message: `q must be at most ${MAX_LENGTH.caseSearch} characters` },
      ]);
    }
    const digits = normalisedNiss(q);
    if (NISS_TYPED.test(q) && digits.length === 11) {
      return { subjectIds: await this.vault.findByNiss(digits) };
    }
    return {
      reference: q.trim().toUpperCase(),
      subjectIds: await this.vault.findByNameWords(q),
    };
  }
}

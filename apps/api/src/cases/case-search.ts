import { Injectable } from '@nestjs/common';
import { CompetenceDirectory } from '@relais/network';
import { InvalidInputException, oneOf } from '@relais/platform';
import { CaseFilters } from '@relais/read-models';
import { normalisedNiss, SubjectVault } from '@relais/vault';
import { MAX_LENGTH } from '@relais/wire';

/** `GET /cases`'s query parameters as typed. */
export interface CaseListQuery {
  readonly q?: string;
  readonly status?: string;
  readonly commune?: string;
  readonly assigned?: string;
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
  ) {}

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

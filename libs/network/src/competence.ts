import type { Commune, CommuneCompetence } from '@relais/wire';
import { OrganisationKind, ReferenceOrganisation } from './organisations';
import { slugify } from './slugify';

/** The kinds for which a commune has exactly one competent organisation. */
export type CompetentKind = Exclude<OrganisationKind, 'OTHER'>;

const COMPETENT_KINDS: readonly CompetentKind[] = ['CPAS', 'SAJ', 'SPJ'];

export type { CommuneCompetence } from '@relais/wire';

/** The reference data contradicts itself; raised while building a directory, never at lookup. */
export class InvalidNetworkError extends Error {
  constructor(problem: string) {
    super(`Invalid network reference data: ${problem}`);
    this.name = 'InvalidNetworkError';
  }
}

const INS = /^\d{5}$/;
const byName = new Intl.Collator('fr', { sensitivity: 'base' });

export class CompetenceDirectory {
  private readonly communesByIns = new Map<string, Commune>();
  private readonly communesBySlug = new Map<string, Commune>();
  private readonly organisations = new Map<string, ReferenceOrganisation>();
  private readonly servedBy = new Map<string, readonly Commune[]>();
  private readonly competent = new Map<CompetentKind, Map<string, ReferenceOrganisation>>(
    COMPETENT_KINDS.map((kind) => [kind, new Map()]),
  );

  constructor(communes: readonly Commune[], organisations: readonly ReferenceOrganisation[]) {
    for (const commune of communes) this.addCommune(commune);
    for (const organisation of organisations) this.addOrganisation(organisation);
  }

  /** Finds a commune by INS code, slug or name (case and accents ignored). */
  commune(insOrSlugOrName: string): Commune | undefined {
    const query = insOrSlugOrName.trim();
    return INS.test(query)
      ? this.communesByIns.get(query)
      : this.communesBySlug.get(slugify(query));
  }

  isKnownCommune(ins: string): boolean {
    return this.communesByIns.has(ins);
  }

  organisation(id: string): ReferenceOrganisation | undefined {
    return this.organisations.get(id);
  }

  competentCpas(communeIns: string): ReferenceOrganisation | undefined {
    return this.competentFor('CPAS', communeIns);
  }

  competentSaj(communeIns: string): ReferenceOrganisation | undefined {
    return this.competentFor('SAJ', communeIns);
  }

  competentSpj(communeIns: string): ReferenceOrganisation | undefined {
    return this.competentFor('SPJ', communeIns);
  }

  competentFor(kind: CompetentKind, communeIns: string): ReferenceOrganisation | undefined {
    return this.competent.get(kind)?.get(communeIns);
  }

  /** The communes an organisation serves, or undefined for an unknown organisation. */
  communesOf(organisationId: string): readonly Commune[] | undefined {
    return this.servedBy.get(organisationId);
  }

  /** Every commune, by French name, with its competent CPAS, SAJ and SPJ. */
  listCommunes(): CommuneCompetence[] {
    return [...this.communesByIns.values()]
      .sort((a, b) => byName.compare(a.name, b.name))
      .map((commune) => ({
        ...commune,
        cpasId: this.competentCpas(commune.ins)?.id ?? null,
        sajId: this.competentSaj(commune.ins)?.id ?? null,
        spjId: this.competentSpj(commune.ins)?.id ?? null,
      }));
  }

  listOrganisations(): ReferenceOrganisation[] {
    return [...this.organisations.values()];
  }

  private addCommune(commune: Commune): void {
    if (!INS.test(commune.ins)) {
      throw new InvalidNetworkError(`commune ${commune.name} has INS code '${commune.ins}'`);
    }
    if (commune.slug !== slugify(commune.name)) {
      throw new InvalidNetworkError(`commune ${commune.ins} has slug '${commune.slug}'`);
    }
    if (this.communesByIns.has(commune.ins)) {
      throw new InvalidNetworkError(`INS code ${commune.ins} is used twice`);
    }
    if (this.communesBySlug.has(commune.slug)) {
      throw new InvalidNetworkError(`slug '${commune.slug}' is used twice`);
    }
    this.communesByIns.set(commune.ins, commune);
    this.communesBySlug.set(commune.slug, commune);
  }

  private addOrganisation(organisation: ReferenceOrganisation): void {
    if (this.organisations.has(organisation.id)) {
      throw new InvalidNetworkError(`organisation id '${organisation.id}' is used twice`);
    }
    const served = this.territoryOf(organisation);
    this.organisations.set(organisation.id, organisation);
    this.servedBy.set(organisation.id, served);
    if (organisation.kind === 'OTHER') return;
    const competent = this.competent.get(organisation.kind);
    for (const commune of served) {
      const rival = competent?.get(commune.ins);
      if (rival) {
        throw new InvalidNetworkError(
          `${rival.id} and ${organisation.id} are both ${organisation.kind} for ${commune.name}`,
        );
      }
      competent?.set(commune.ins, organisation);
    }
  }

  private territoryOf(organisation: ReferenceOrganisation): Commune[] {
    const { territory } = organisation;
    switch (territory.kind) {
      case 'communes':
        return territory.communes.map((ins) => {
          const commune = this.communesByIns.get(ins);
          if (!commune) {
            throw new InvalidNetworkError(`${organisation.id} serves unknown commune ${ins}`);
          }
          return commune;
        });
      case 'arrondissements': {
        const all = [...this.communesByIns.values()];
        return territory.arrondissements.flatMap((arrondissement) => {
          const served = all.filter((commune) => commune.arrondissement === arrondissement);
          if (served.length === 0) {
            throw new InvalidNetworkError(
              `${organisation.id} serves arrondissement '${arrondissement}', without known commune`,
            );
          }
          return served;
        });
      }
    }
  }
}

import type { OrganisationKind, Territory } from '@relais/domain';
import { Commune } from './communes';
import { slugify } from './slugify';
import { YouthAidDivision } from './youth-aid-divisions';

export type { OrganisationKind, Territory };

export interface ReferenceOrganisation {
  readonly id: string;
  readonly name: string;
  readonly kind: OrganisationKind;
  readonly territory: Territory;
  readonly contactEmail: string;
  /** Services of the Fédération Wallonie-Bruxelles close on 27 September; a CPAS does not. */
  readonly fwbService: boolean;
}

// Most Walloon place names aspirate their h (de Hamois, de Havelange, de Houyet, de Hotton).
const MUTE_H = new Set(['Hastière']);

/** 'de Ciney', "d'Anhée", "d'Yvoir", "d'Hastière". */
export function withDe(name: string): string {
  return /^[aeiouy]/.test(slugify(name)) || MUTE_H.has(name) ? `d'${name}` : `de ${name}`;
}

export function cpasOf(commune: Commune): ReferenceOrganisation {
  const id = `cpas-${commune.slug}`;
  return {
    id,
    name: `CPAS ${withDe(commune.name)}`,
    kind: 'CPAS',
    territory: { kind: 'communes', communes: [commune.ins] },
    contactEmail: `contact@${id}.demo`,
    fwbService: false,
  };
}

export function youthAidServicesOf(
  division: YouthAidDivision,
): readonly [saj: ReferenceOrganisation, spj: ReferenceOrganisation] {
  const territory: Territory = {
    kind: 'arrondissements',
    arrondissements: division.arrondissements,
  };
  const service = (kind: 'SAJ' | 'SPJ', { id, name }: { id: string; name: string }) => ({
    id,
    name,
    kind,
    territory,
    contactEmail: `contact@${id}.demo`,
    fwbService: true,
  });
  return [service('SAJ', division.saj), service('SPJ', division.spj)];
}

export function referenceOrganisationsOf(
  communes: readonly Commune[],
  divisions: readonly YouthAidDivision[],
): ReferenceOrganisation[] {
  return [...communes.map(cpasOf), ...divisions.flatMap(youthAidServicesOf)];
}

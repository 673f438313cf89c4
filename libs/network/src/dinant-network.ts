import { communes } from './communes';
import { CompetenceDirectory } from './competence';
import { ReferenceOrganisation, referenceOrganisationsOf } from './organisations';
import { youthAidDivisions } from './youth-aid-divisions';

/** Every CPAS, SAJ and SPJ of the reference data, in a stable order. */
export const referenceOrganisations: readonly ReferenceOrganisation[] = referenceOrganisationsOf(
  communes,
  youthAidDivisions,
);

/** The arrondissement of Dinant and its neighbours (Namur, Philippeville, Marche-en-Famenne). */
export function dinantNetwork(): CompetenceDirectory {
  return new CompetenceDirectory(communes, referenceOrganisations);
}

/**
 * A SAJ (Service de l'aide à la jeunesse) and its SPJ (Service de la protection de la jeunesse)
 * share a territory: the former judicial arrondissement, now a division of the provincial court.
 */
export interface YouthAidDivision {
  readonly id: string;
  readonly saj: { readonly id: string; readonly name: string };
  readonly spj: { readonly id: string; readonly name: string };
  /** Administrative arrondissement ids. */
  readonly arrondissements: readonly string[];
}

export const youthAidDivisions: readonly YouthAidDivision[] = [
  {
    id: 'dinant',
    saj: { id: 'saj-dinant', name: 'SAJ de Dinant' },
    spj: { id: 'spj-dinant', name: 'SPJ de Dinant' },
    // Philippeville was in the judicial arrondissement of Dinant, now the Namur court's Dinant division.
    arrondissements: ['dinant', 'philippeville'],
  },
  {
    id: 'namur',
    saj: { id: 'saj-namur', name: 'SAJ de Namur' },
    spj: { id: 'spj-namur', name: 'SPJ de Namur' },
    arrondissements: ['namur'],
  },
  {
    id: 'marche-en-famenne',
    saj: { id: 'saj-marche-en-famenne', name: 'SAJ de Marche-en-Famenne' },
    spj: { id: 'spj-marche-en-famenne', name: 'SPJ de Marche-en-Famenne' },
    arrondissements: ['marche-en-famenne'],
  },
];

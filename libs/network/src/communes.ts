import type { Commune } from '@relais/wire';
import { slugify } from './slugify';

export interface Province {
  readonly id: string;
  readonly name: string;
  /** Statbel refnis code. */
  readonly ins: string;
}

export interface Arrondissement {
  readonly id: string;
  readonly name: string;
  /** Statbel refnis code; its first two digits prefix the INS code of each of its communes. */
  readonly ins: string;
  readonly province: string;
}

export type { Commune } from '@relais/wire';

const namur = { id: 'namur', name: 'Namur', ins: '90000' } as const satisfies Province;
const luxembourg = {
  id: 'luxembourg',
  name: 'Luxembourg',
  ins: '80000',
} as const satisfies Province;

export const provinces: readonly Province[] = [namur, luxembourg];

const arrDinant = { id: 'dinant', name: 'Dinant', ins: '91000', province: namur.id } as const;
const arrNamur = { id: 'namur', name: 'Namur', ins: '92000', province: namur.id } as const;
const arrPhilippeville = {
  id: 'philippeville',
  name: 'Philippeville',
  ins: '93000',
  province: namur.id,
} as const;
const arrMarche = {
  id: 'marche-en-famenne',
  name: 'Marche-en-Famenne',
  ins: '83000',
  province: luxembourg.id,
} as const;

export const arrondissements: readonly Arrondissement[] = [
  arrDinant,
  arrNamur,
  arrPhilippeville,
  arrMarche,
];

function communesIn(
  arrondissement: Arrondissement,
  entries: ReadonlyArray<readonly [ins: string, name: string]>,
): Commune[] {
  return entries.map(([ins, name]) => ({
    ins,
    name,
    slug: slugify(name),
    arrondissement: arrondissement.id,
    province: arrondissement.province,
  }));
}

export const communes: readonly Commune[] = [
  ...communesIn(arrDinant, [
    ['91005', 'Anhée'],
    ['91013', 'Beauraing'],
    ['91015', 'Bièvre'],
    ['91030', 'Ciney'],
    ['91034', 'Dinant'],
    ['91054', 'Gedinne'],
    ['91059', 'Hamois'],
    ['91064', 'Havelange'],
    ['91072', 'Houyet'],
    ['91103', 'Onhaye'],
    ['91114', 'Rochefort'],
    ['91120', 'Somme-Leuze'],
    ['91141', 'Yvoir'],
    ['91142', 'Hastière'],
    ['91143', 'Vresse-sur-Semois'],
  ]),
  ...communesIn(arrNamur, [
    ['92003', 'Andenne'],
    ['92006', 'Assesse'],
    ['92035', 'Eghezée'],
    ['92045', 'Floreffe'],
    ['92048', 'Fosses-la-Ville'],
    ['92054', 'Gesves'],
    ['92087', 'Mettet'],
    ['92094', 'Namur'],
    ['92097', 'Ohey'],
    ['92101', 'Profondeville'],
    ['92114', 'Sombreffe'],
    ['92137', 'Sambreville'],
    ['92138', 'Fernelmont'],
    ['92140', 'Jemeppe-sur-Sambre'],
    ['92141', 'La Bruyère'],
    ['92142', 'Gembloux'],
  ]),
  ...communesIn(arrPhilippeville, [
    ['93010', 'Cerfontaine'],
    ['93014', 'Couvin'],
    ['93018', 'Doische'],
    ['93022', 'Florennes'],
    ['93056', 'Philippeville'],
    ['93088', 'Walcourt'],
    ['93090', 'Viroinval'],
  ]),
  ...communesIn(arrMarche, [
    ['83012', 'Durbuy'],
    ['83013', 'Erezée'],
    ['83028', 'Hotton'],
    ['83031', 'La Roche-en-Ardenne'],
    ['83034', 'Marche-en-Famenne'],
    ['83040', 'Nassogne'],
    ['83044', 'Rendeux'],
    ['83049', 'Tenneville'],
    ['83055', 'Manhay'],
  ]),
];

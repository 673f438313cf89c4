import { arrondissements, communes, provinces } from './communes';

const DINANT = [
  ['91005', 'Anhée', 'anhee'],
  ['91013', 'Beauraing', 'beauraing'],
  ['91015', 'Bièvre', 'bievre'],
  ['91030', 'Ciney', 'ciney'],
  ['91034', 'Dinant', 'dinant'],
  ['91054', 'Gedinne', 'gedinne'],
  ['91059', 'Hamois', 'hamois'],
  ['91142', 'Hastière', 'hastiere'],
  ['91064', 'Havelange', 'havelange'],
  ['91072', 'Houyet', 'houyet'],
  ['91103', 'Onhaye', 'onhaye'],
  ['91114', 'Rochefort', 'rochefort'],
  ['91120', 'Somme-Leuze', 'somme-leuze'],
  ['91143', 'Vresse-sur-Semois', 'vresse-sur-semois'],
  ['91141', 'Yvoir', 'yvoir'],
] as const;

describe('communes', () => {
  it('holds the 15 communes of the arrondissement of Dinant with their INS codes and slugs', () => {
    const dinant = communes.filter((commune) => commune.arrondissement === 'dinant');
    expect(dinant.map(({ ins, name, slug }) => [ins, name, slug]).sort()).toEqual(
      DINANT.map((entry) => [...entry]).sort(),
    );
    expect(dinant.every((commune) => commune.province === 'namur')).toBe(true);
  });

  it.each([
    ['namur', 16],
    ['philippeville', 7],
    ['marche-en-famenne', 9],
  ])('holds every commune of the arrondissement of %s (%i)', (arrondissement, count) => {
    expect(communes.filter((commune) => commune.arrondissement === arrondissement)).toHaveLength(
      count,
    );
  });

  it('places Namur, Gembloux and Marche-en-Famenne under their INS codes', () => {
    const byIns = (ins: string) => communes.find((commune) => commune.ins === ins);
    expect(byIns('92094')).toMatchObject({ name: 'Namur', arrondissement: 'namur' });
    expect(byIns('92142')).toMatchObject({ name: 'Gembloux', arrondissement: 'namur' });
    expect(byIns('83034')).toMatchObject({
      name: 'Marche-en-Famenne',
      slug: 'marche-en-famenne',
      arrondissement: 'marche-en-famenne',
      province: 'luxembourg',
    });
  });

  it('gives each commune a unique five-digit INS code under its arrondissement prefix', () => {
    const inses = communes.map((commune) => commune.ins);
    expect(new Set(inses).size).toBe(inses.length);
    for (const commune of communes) {
      const arrondissement = arrondissements.find((a) => a.id === commune.arrondissement);
      expect(commune.ins).toMatch(/^\d{5}$/);
      expect(commune.ins.slice(0, 2)).toBe(arrondissement?.ins.slice(0, 2));
      expect(commune.province).toBe(arrondissement?.province);
    }
  });

  it('gives each commune a unique slug of lower-case letters, digits and single hyphens', () => {
    const slugs = communes.map((commune) => commune.slug);
    expect(new Set(slugs).size).toBe(slugs.length);
    for (const slug of slugs) expect(slug).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  });

  it('places every arrondissement in a known province whose code shares its first digit', () => {
    for (const arrondissement of arrondissements) {
      const province = provinces.find((p) => p.id === arrondissement.province);
      expect(province?.ins[0]).toBe(arrondissement.ins[0]);
    }
  });
});

import { byName, compareNames } from './collation';

describe('organisation names in French order', () => {
  it('lists the CPAS by commune, whether the name says “de” or “d’”', () => {
    const names = [
      'CPAS d’Yvoir',
      'CPAS de Ciney',
      "CPAS d'Hastière",
      'CPAS de Beauraing',
      'CPAS d’Anhée',
      'CPAS d’Éghezée',
      'CPAS de Dinant',
      'SAJ de Dinant',
      'CPAS de Rochefort',
    ];
    expect([...names].sort(compareNames)).toEqual([
      'CPAS d’Anhée',
      'CPAS de Beauraing',
      'CPAS de Ciney',
      'CPAS de Dinant',
      'CPAS d’Éghezée',
      "CPAS d'Hastière",
      'CPAS de Rochefort',
      'CPAS d’Yvoir',
      'SAJ de Dinant',
    ]);
  });

  it('puts accented letters beside their letter and ignores case', () => {
    expect(
      byName([{ name: 'Éole' }, { name: 'zèbre' }, { name: 'Eau' }]).map((o) => o.name),
    ).toEqual(['Eau', 'Éole', 'zèbre']);
  });
});

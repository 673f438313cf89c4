import { slugify } from './slugify';

describe('slugify', () => {
  it.each([
    ['Ciney', 'ciney'],
    ['Somme-Leuze', 'somme-leuze'],
    ['Vresse-sur-Semois', 'vresse-sur-semois'],
    ['Anhée', 'anhee'],
    ['BIÈVRE', 'bievre'],
    ['La Bruyère', 'la-bruyere'],
    ["Braine-l'Alleud", 'braine-l-alleud'],
    ['  Marche  en Famenne ', 'marche-en-famenne'],
    ['Œudeghien', 'oeudeghien'],
  ])('turns %j into %j', (name, slug) => {
    expect(slugify(name)).toBe(slug);
  });
});

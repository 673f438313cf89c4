import { communes } from './communes';
import { referenceOrganisations } from './dinant-network';
import { cpasOf, withDe } from './organisations';

describe('reference organisations', () => {
  it('has one CPAS per commune, serving that commune only', () => {
    const cpas = referenceOrganisations.filter((organisation) => organisation.kind === 'CPAS');
    expect(cpas).toHaveLength(communes.length);
    for (const commune of communes) {
      expect(cpas).toContainEqual({
        id: `cpas-${commune.slug}`,
        name: expect.stringMatching(/^CPAS d/) as unknown,
        kind: 'CPAS',
        territory: { kind: 'communes', communes: [commune.ins] },
        contactEmail: `contact@cpas-${commune.slug}.demo`,
        fwbService: false,
      });
    }
  });

  it('marks the SAJ and SPJ, and only them, as services of the Fédération Wallonie-Bruxelles', () => {
    for (const organisation of referenceOrganisations) {
      expect(organisation.fwbService).toBe(
        organisation.kind === 'SAJ' || organisation.kind === 'SPJ',
      );
    }
  });

  it('has a SAJ and an SPJ for Dinant, Namur and Marche-en-Famenne', () => {
    const youthAid = referenceOrganisations
      .filter((organisation) => organisation.kind === 'SAJ' || organisation.kind === 'SPJ')
      .map(({ id, name, kind, contactEmail }) => ({ id, name, kind, contactEmail }));
    expect(youthAid).toEqual([
      {
        id: 'saj-dinant',
        name: 'SAJ de Dinant',
        kind: 'SAJ',
        contactEmail: 'contact@saj-dinant.demo',
      },
      {
        id: 'spj-dinant',
        name: 'SPJ de Dinant',
        kind: 'SPJ',
        contactEmail: 'contact@spj-dinant.demo',
      },
      {
        id: 'saj-namur',
        name: 'SAJ de Namur',
        kind: 'SAJ',
        contactEmail: 'contact@saj-namur.demo',
      },
      {
        id: 'spj-namur',
        name: 'SPJ de Namur',
        kind: 'SPJ',
        contactEmail: 'contact@spj-namur.demo',
      },
      {
        id: 'saj-marche-en-famenne',
        name: 'SAJ de Marche-en-Famenne',
        kind: 'SAJ',
        contactEmail: 'contact@saj-marche-en-famenne.demo',
      },
      {
        id: 'spj-marche-en-famenne',
        name: 'SPJ de Marche-en-Famenne',
        kind: 'SPJ',
        contactEmail: 'contact@spj-marche-en-famenne.demo',
      },
    ]);
  });

  it('has unique ids', () => {
    const ids = referenceOrganisations.map((organisation) => organisation.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it.each([
    ['Anhée', "CPAS d'Anhée"],
    ['Yvoir', "CPAS d'Yvoir"],
    ['Onhaye', "CPAS d'Onhaye"],
    ['Hastière', "CPAS d'Hastière"],
    ['Eghezée', "CPAS d'Eghezée"],
    ['Erezée', "CPAS d'Erezée"],
    ['Havelange', 'CPAS de Havelange'],
    ['Hamois', 'CPAS de Hamois'],
    ['Houyet', 'CPAS de Houyet'],
    ['Ciney', 'CPAS de Ciney'],
    ['La Bruyère', 'CPAS de La Bruyère'],
  ])('names the CPAS of %s %j', (communeName, cpasName) => {
    const commune = communes.find((c) => c.name === communeName);
    expect(commune && cpasOf(commune).name).toBe(cpasName);
  });

  it('elides "de" before an accented vowel', () => {
    expect(withDe('Érezée')).toBe("d'Érezée");
  });
});

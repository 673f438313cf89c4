import { Commune } from './communes';
import { CompetenceDirectory, InvalidNetworkError } from './competence';
import { dinantNetwork } from './dinant-network';
import { ReferenceOrganisation, cpasOf } from './organisations';

const DINANT_COMMUNES = [
  ['91005', 'cpas-anhee'],
  ['91013', 'cpas-beauraing'],
  ['91015', 'cpas-bievre'],
  ['91030', 'cpas-ciney'],
  ['91034', 'cpas-dinant'],
  ['91054', 'cpas-gedinne'],
  ['91059', 'cpas-hamois'],
  ['91142', 'cpas-hastiere'],
  ['91064', 'cpas-havelange'],
  ['91072', 'cpas-houyet'],
  ['91103', 'cpas-onhaye'],
  ['91114', 'cpas-rochefort'],
  ['91120', 'cpas-somme-leuze'],
  ['91143', 'cpas-vresse-sur-semois'],
  ['91141', 'cpas-yvoir'],
] as const;

const CINEY = '91030';
const ROCHEFORT = '91114';
const NAMUR = '92094';
const MARCHE = '83034';

describe('CompetenceDirectory over the Dinant network', () => {
  const network = dinantNetwork();

  it.each(DINANT_COMMUNES)('routes %s to %s, SAJ de Dinant and SPJ de Dinant', (ins, cpasId) => {
    expect(network.competentCpas(ins)).toMatchObject({ id: cpasId, kind: 'CPAS' });
    expect(network.competentSaj(ins)).toMatchObject({ id: 'saj-dinant', name: 'SAJ de Dinant' });
    expect(network.competentSpj(ins)).toMatchObject({ id: 'spj-dinant', name: 'SPJ de Dinant' });
  });

  it('routes a move from Ciney to Rochefort to CPAS de Rochefort, under the same SAJ', () => {
    expect(network.competentCpas(ROCHEFORT)?.name).toBe('CPAS de Rochefort');
    expect(network.competentSaj(ROCHEFORT)).toBe(network.competentSaj(CINEY));
  });

  it.each([
    [NAMUR, 'cpas-namur'],
    ['92142', 'cpas-gembloux'],
  ])('routes a move from Ciney to %s to %s and SAJ de Namur', (ins, cpasId) => {
    expect(network.competentCpas(ins)?.id).toBe(cpasId);
    expect(network.competentSaj(ins)).toMatchObject({ id: 'saj-namur', name: 'SAJ de Namur' });
    expect(network.competentSpj(ins)?.id).toBe('spj-namur');
  });

  it('routes a move to Marche-en-Famenne to its CPAS, SAJ and SPJ', () => {
    expect(network.competentCpas(MARCHE)?.name).toBe('CPAS de Marche-en-Famenne');
    expect(network.competentSaj(MARCHE)?.name).toBe('SAJ de Marche-en-Famenne');
    expect(network.competentSpj(MARCHE)?.name).toBe('SPJ de Marche-en-Famenne');
  });

  it('routes Philippeville communes to SAJ de Dinant', () => {
    expect(network.competentSaj('93014')?.id).toBe('saj-dinant');
    expect(network.competentCpas('93014')?.name).toBe('CPAS de Couvin');
  });

  it.each(['91015', 'bievre', 'Bièvre', 'BIÈVRE', 'bièvre', ' Bievre '])(
    'finds Bièvre from %j',
    (query) => {
      expect(network.commune(query)).toEqual({
        ins: '91015',
        name: 'Bièvre',
        slug: 'bievre',
        arrondissement: 'dinant',
        province: 'namur',
      });
    },
  );

  it('finds communes whose names hold spaces or hyphens', () => {
    expect(network.commune('Somme Leuze')?.ins).toBe('91120');
    expect(network.commune('vresse-sur-semois')?.ins).toBe('91143');
    expect(network.commune('la bruyere')?.ins).toBe('92141');
  });

  it('knows nothing of communes outside the network', () => {
    expect(network.commune('21004')).toBeUndefined();
    expect(network.commune('Bruxelles')).toBeUndefined();
    expect(network.commune('')).toBeUndefined();
    expect(network.isKnownCommune('21004')).toBe(false);
    expect(network.competentCpas('21004')).toBeUndefined();
    expect(network.competentSaj('21004')).toBeUndefined();
    expect(network.competentSpj('21004')).toBeUndefined();
  });

  it('knows the communes of the network by INS code only', () => {
    expect(network.isKnownCommune(CINEY)).toBe(true);
    expect(network.isKnownCommune('ciney')).toBe(false);
  });

  it('lists the communes an organisation serves', () => {
    expect(network.communesOf('cpas-ciney')?.map((commune) => commune.ins)).toEqual([CINEY]);
    expect(network.communesOf('saj-dinant')).toHaveLength(22);
    expect(network.communesOf('spj-marche-en-famenne')?.map((commune) => commune.slug)).toContain(
      'marche-en-famenne',
    );
    expect(network.communesOf('cpas-bruxelles')).toBeUndefined();
  });

  it('lists every commune by name with its competent CPAS, SAJ and SPJ', () => {
    const listed = network.listCommunes();
    expect(listed).toHaveLength(47);
    expect(listed[0]).toMatchObject({
      name: 'Andenne',
      cpasId: 'cpas-andenne',
      sajId: 'saj-namur',
    });
    expect(listed.find((commune) => commune.ins === CINEY)).toEqual({
      ins: CINEY,
      name: 'Ciney',
      slug: 'ciney',
      arrondissement: 'dinant',
      province: 'namur',
      cpasId: 'cpas-ciney',
      sajId: 'saj-dinant',
      spjId: 'spj-dinant',
    });
    const names = listed.map((commune) => commune.name);
    expect(names.indexOf('Eghezée')).toBeLessThan(names.indexOf('Erezée'));
    expect(names.indexOf('Erezée')).toBeLessThan(names.indexOf('Fernelmont'));
    expect(listed.every((c) => c.cpasId !== null && c.sajId !== null && c.spjId !== null)).toBe(
      true,
    );
  });

  it('finds an organisation by id', () => {
    expect(network.organisation('spj-namur')?.kind).toBe('SPJ');
    expect(network.organisation('spj-bruxelles')).toBeUndefined();
  });
});

describe('CompetenceDirectory construction', () => {
  const aCommune = (ins: string, name: string, arrondissement = 'test'): Commune => ({
    ins,
    name,
    slug: name.toLowerCase(),
    arrondissement,
    province: 'test',
  });
  const alpha = aCommune('99001', 'Alpha');
  const beta = aCommune('99002', 'Beta');
  const aSaj = (id: string, arrondissements: string[]): ReferenceOrganisation => ({
    id,
    name: id,
    kind: 'SAJ',
    territory: { kind: 'arrondissements', arrondissements },
    contactEmail: `${id}@example.demo`,
    fwbService: true,
  });

  it('leaves a commune without competent organisation unrouted', () => {
    const directory = new CompetenceDirectory([alpha, beta], [cpasOf(alpha)]);
    expect(directory.competentCpas(beta.ins)).toBeUndefined();
    expect(directory.competentSaj(alpha.ins)).toBeUndefined();
    expect(directory.listCommunes()[1]).toMatchObject({ name: 'Beta', cpasId: null, sajId: null });
  });

  it('lets organisations of kind OTHER overlap', () => {
    const other = (id: string): ReferenceOrganisation => ({
      ...cpasOf(alpha),
      id,
      kind: 'OTHER',
    });
    const directory = new CompetenceDirectory([alpha], [other('a'), other('b')]);
    expect(directory.communesOf('b')).toEqual([alpha]);
    expect(directory.competentCpas(alpha.ins)).toBeUndefined();
  });

  it.each<[string, () => CompetenceDirectory]>([
    [
      'a duplicate INS code',
      () => new CompetenceDirectory([alpha, aCommune('99001', 'Gamma')], []),
    ],
    ['a duplicate slug', () => new CompetenceDirectory([alpha, aCommune('99003', 'Alpha')], [])],
    ['a malformed INS code', () => new CompetenceDirectory([aCommune('9901', 'Delta')], [])],
    [
      'a slug out of step with the name',
      () => new CompetenceDirectory([{ ...alpha, slug: 'a' }], []),
    ],
    [
      'a duplicate organisation id',
      () => new CompetenceDirectory([alpha], [cpasOf(alpha), cpasOf(alpha)]),
    ],
    ['a CPAS serving an unknown commune', () => new CompetenceDirectory([alpha], [cpasOf(beta)])],
    [
      'a SAJ serving an empty arrondissement',
      () => new CompetenceDirectory([alpha], [aSaj('s', ['x'])]),
    ],
    [
      'two SAJ competent for one commune',
      () => new CompetenceDirectory([alpha], [aSaj('s1', ['test']), aSaj('s2', ['test'])]),
    ],
  ])('rejects %s', (_problem, build) => {
    expect(build).toThrow(InvalidNetworkError);
  });
});

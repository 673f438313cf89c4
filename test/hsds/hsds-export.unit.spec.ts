import { fromHsds, toHsds } from '@relais/coordination';
import type { MemberServiceView } from '@relais/wire';
import { hsdsPageValidator } from './hsds-schema';

const AMO: MemberServiceView = {
  id: '0f6b1c9e-3a52-4d7e-9b1a-2c8d4e6f8a10',
  name: 'AMO Le Cercle',
  sector: 'association',
  fields: ['social', 'education'],
  address: { street: 'Rue Grande 12', postalCode: '5500', city: 'Dinant', province: 'Namur' },
  contact: {
    email: 'contact@amo-le-cercle.be',
    phone: '+32 82 22 33 44',
    website: 'https://amo-le-cercle.be',
  },
  servicesOffered: ['Accueil des jeunes', 'Soutien scolaire'],
  charterSignedOn: '2025-03-01',
  organisationId: null,
};
const CPAS: MemberServiceView = {
  ...AMO,
  id: '5d2e8a71-9c34-4b6f-8e1d-7a3c5b9e2f40',
  name: 'CPAS de Dinant',
  sector: 'public',
  fields: ['social', 'employment'],
  contact: { email: 'contact@cpas-dinant.be' },
  servicesOffered: [],
  charterSignedOn: null,
  organisationId: 'cpas-dinant',
};

describe('the member directory in HSDS 3.0', () => {
  const validate = hsdsPageValidator();

  it('validates against the HSDS 3.0 schemas', () => {
    expect(validate(toHsds([AMO, CPAS]))).toEqual([]);
    expect(validate(toHsds([]))).toEqual([]);
  });

  it('is checked for real: a service without its status, or an id that is not a UUID, fails', () => {
    const page = toHsds([AMO]);
    const [organization] = page.contents as Record<string, unknown>[];
    const services = organization?.services as Record<string, unknown>[];
    const broken = {
      ...page,
      contents: [{ ...organization, id: 'amo', services: [{ ...services[0], status: undefined }] }],
    };
    const errors = validate(JSON.parse(JSON.stringify(broken)));
    expect(errors.map((e) => e.instancePath)).toEqual(
      expect.arrayContaining(['/contents/0/id', '/contents/0/services/0']),
    );
  });

  it('reads back what it writes', () => {
    const { members, problems } = fromHsds(JSON.parse(JSON.stringify(toHsds([AMO, CPAS]))));
    expect(problems).toEqual([]);
    expect(members).toEqual([
      {
        memberId: AMO.id,
        profile: {
          name: AMO.name,
          sector: 'association',
          fields: ['social', 'education'],
          address: AMO.address,
          contact: AMO.contact,
          servicesOffered: AMO.servicesOffered,
        },
        charterSignedOn: '2025-03-01',
      },
      {
        memberId: CPAS.id,
        profile: {
          name: CPAS.name,
          sector: 'public',
          fields: ['social', 'employment'],
          address: CPAS.address,
          contact: CPAS.contact,
          servicesOffered: [],
          organisationId: 'cpas-dinant',
        },
      },
    ]);
  });

  it('reports what an organisation lacks by its path', () => {
    const page = JSON.parse(JSON.stringify(toHsds([AMO, CPAS]))) as {
      contents: Record<string, unknown>[];
    };
    delete page.contents[1]!.email;
    const { members, problems } = fromHsds(page);
    expect(problems.map((p) => p.field)).toEqual(['contents.1.email']);
    expect(members.map((m) => m.memberId)).toEqual([AMO.id]);
    page.contents[0]!.locations = [];
    expect(fromHsds(page).problems.map((p) => p.field)).toEqual([
      'contents.0.locations',
      'contents.1.email',
    ]);
    expect(fromHsds({ organizations: [] }).problems.map((p) => p.field)).toEqual(['contents']);
  });
});

import { PoliticalOfficial, politicalOfficialsDecider } from './political-officials';
import { givenFor } from './testing/given-when-then';

const given = givenFor(politicalOfficialsDecider, undefined);
const president: PoliticalOfficial = {
  officialId: 'o-president',
  name: 'Anne Lenoir',
  role: 'Présidente du CPAS de Dinant',
  email: 'presidente@cpas-dinant.be',
};
const listed = { type: 'PoliticalOfficialListed' as const, data: president };

describe('political officials decider', () => {
  it('lists an official, with or without an account', () => {
    given([]).when({ type: 'ListPoliticalOfficial', data: president }).then([listed]);
    const withAccount = { ...president, staffId: 'staff-anne' };
    given([])
      .when({ type: 'ListPoliticalOfficial', data: withAccount })
      .then([{ type: 'PoliticalOfficialListed', data: withAccount }]);
  });

  it('refuses a second official at the same address, whatever its case', () => {
    given([listed])
      .when({
        type: 'ListPoliticalOfficial',
        data: { ...president, officialId: 'o-echevin', email: 'PRESIDENTE@cpas-dinant.be' },
      })
      .thenRefuses('OFFICIAL_EMAIL_TAKEN', 'email');
    given([listed])
      .when({ type: 'ListPoliticalOfficial', data: president })
      .thenRefuses('OFFICIAL_EXISTS');
  });

  it('updates an official, links and unlinks an account; the same values write nothing', () => {
    given([listed])
      .when({
        type: 'UpdatePoliticalOfficial',
        data: { officialId: 'o-president', staffId: 'staff-anne' },
      })
      .then([{ type: 'PoliticalOfficialUpdated', data: { ...president, staffId: 'staff-anne' } }]);
    given([{ type: 'PoliticalOfficialListed', data: { ...president, staffId: 'staff-anne' } }])
      .when({ type: 'UpdatePoliticalOfficial', data: { officialId: 'o-president', staffId: null } })
      .then([{ type: 'PoliticalOfficialUpdated', data: president }]);
    given([listed])
      .when({
        type: 'UpdatePoliticalOfficial',
        data: { officialId: 'o-president', role: president.role },
      })
      .then([]);
  });

  it('removes a listed official only', () => {
    given([listed])
      .when({ type: 'RemovePoliticalOfficial', data: { officialId: 'o-president' } })
      .then([{ type: 'PoliticalOfficialRemoved', data: { officialId: 'o-president' } }]);
    given([])
      .when({ type: 'RemovePoliticalOfficial', data: { officialId: 'o-president' } })
      .thenRefuses('UNKNOWN_OFFICIAL');
  });
});

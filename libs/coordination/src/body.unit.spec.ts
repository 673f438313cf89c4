import { bodyDecider } from './body';
import { givenFor } from './testing/given-when-then';
import { aBodyCreated, AMO_ID, aPersonJoined, aServiceJoined } from './testing/builders';

const given = givenFor(bodyDecider, undefined);

describe('body decider', () => {
  it('creates a working group with its theme', () => {
    given([])
      .when({
        type: 'CreateBody',
        data: {
          bodyId: 'gt-jeunesse',
          kind: 'working_group',
          name: 'Groupe de travail Jeunesse',
          theme: 'Jeunesse',
        },
      })
      .then([aBodyCreated()]);
  });

  it('seats a member service that the directory knows, once', () => {
    given([aBodyCreated()])
      .when({
        type: 'AddBodyMember',
        data: { member: { kind: 'organisation', memberId: AMO_ID }, memberServiceExists: true },
      })
      .then([aServiceJoined()]);
    given([aBodyCreated()])
      .when({
        type: 'AddBodyMember',
        data: { member: { kind: 'organisation', memberId: AMO_ID }, memberServiceExists: false },
      })
      .thenRefuses('UNKNOWN_MEMBER_SERVICE', 'memberId');
    given([aBodyCreated(), aServiceJoined()])
      .when({
        type: 'AddBodyMember',
        data: { member: { kind: 'organisation', memberId: AMO_ID }, memberServiceExists: true },
      })
      .thenRefuses('ALREADY_A_MEMBER', 'memberId');
  });

  it('seats a person, with or without an account', () => {
    const claire = {
      kind: 'person' as const,
      personId: 'p-claire',
      name: 'Claire Martin',
      email: 'claire.martin@cpas-dinant.be',
      staffId: 'staff-claire',
    };
    given([aBodyCreated()])
      .when({ type: 'AddBodyMember', data: { member: claire, memberServiceExists: false } })
      .then([aPersonJoined('p-claire', 'staff-claire')]);
    given([aBodyCreated()])
      .when({
        type: 'AddBodyMember',
        data: { member: { ...claire, memberId: AMO_ID }, memberServiceExists: false },
      })
      .thenRefuses('UNKNOWN_MEMBER_SERVICE', 'memberId');
  });

  it('lets a member leave; someone not seated cannot', () => {
    given([aBodyCreated(), aServiceJoined()])
      .when({ type: 'RemoveBodyMember', data: { member: AMO_ID } })
      .then([{ type: 'BodyMemberLeft', data: { bodyId: 'gt-jeunesse', member: AMO_ID } }]);
    given([aBodyCreated()])
      .when({ type: 'RemoveBodyMember', data: { member: AMO_ID } })
      .thenRefuses('NOT_A_MEMBER');
  });

  it('knows no body before it is created', () => {
    given([])
      .when({ type: 'RemoveBodyMember', data: { member: AMO_ID } })
      .thenRefuses('UNKNOWN_BODY');
  });
});

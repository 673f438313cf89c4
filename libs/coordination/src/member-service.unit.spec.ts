import { memberServiceDecider } from './member-service';
import { givenFor } from './testing/given-when-then';
import { aMemberServiceRegistered, AMO_ID, aProfile } from './testing/builders';

const given = givenFor(memberServiceDecider, undefined);

describe('member service decider', () => {
  it('registers a member service with its charter signature date', () => {
    given([])
      .when({
        type: 'RegisterMemberService',
        data: { memberId: AMO_ID, ...aProfile(), charterSignedOn: '2025-03-01' },
      })
      .then([
        {
          type: 'MemberServiceRegistered',
          data: { memberId: AMO_ID, ...aProfile(), charterSignedOn: '2025-03-01' },
        },
      ]);
  });

  it('registers a service once', () => {
    given([aMemberServiceRegistered()])
      .when({ type: 'RegisterMemberService', data: { memberId: AMO_ID, ...aProfile() } })
      .thenRefuses('MEMBER_EXISTS', 'id');
  });

  it('refuses a service offered that names a case', () => {
    given([])
      .when({
        type: 'RegisterMemberService',
        data: { memberId: AMO_ID, ...aProfile({ servicesOffered: ['Suivi DIN-2026-00AB'] }) },
      })
      .thenRefuses('CASE_CONTENT_REFUSED', 'servicesOffered.0');
  });

  it('updates what changed and keeps the rest; an unchanged profile writes nothing', () => {
    given([aMemberServiceRegistered()])
      .when({ type: 'UpdateMemberService', data: { fields: ['health'] } })
      .then([
        {
          type: 'MemberServiceUpdated',
          data: { memberId: AMO_ID, ...aProfile({ fields: ['health'] }) },
        },
      ]);
    given([aMemberServiceRegistered()])
      .when({ type: 'UpdateMemberService', data: { fields: ['education', 'social'] } })
      .then([]);
  });

  it('leaves a field the change holds as undefined as it was (a validated DTO holds every field)', () => {
    given([aMemberServiceRegistered()])
      .when({ type: 'UpdateMemberService', data: { name: undefined, fields: ['health'] } })
      .then([
        {
          type: 'MemberServiceUpdated',
          data: { memberId: AMO_ID, ...aProfile({ fields: ['health'] }) },
        },
      ]);
  });

  it('records the charter signature once per date', () => {
    const signed = {
      type: 'CharterSigned' as const,
      data: { memberId: AMO_ID, signedOn: '2026-01-10' },
    };
    given([aMemberServiceRegistered()])
      .when({ type: 'SignCharter', data: { signedOn: '2026-01-10' } })
      .then([signed]);
    given([aMemberServiceRegistered(), signed])
      .when({ type: 'SignCharter', data: { signedOn: '2026-01-10' } })
      .then([]);
  });

  it('knows no unregistered service', () => {
    given([])
      .when({ type: 'SignCharter', data: { signedOn: '2026-01-10' } })
      .thenRefuses('UNKNOWN_MEMBER_SERVICE');
  });
});

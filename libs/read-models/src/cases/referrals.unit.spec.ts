import { evolveReferral, ReferralRow } from './referrals';

type CaseEvent = Parameters<typeof evolveReferral>[1];

const logged = (organisationId: string, occurredOn: string) => ({
  caseId: 'case-1',
  occurredOn,
  organisationId,
});
const sent: CaseEvent = {
  type: 'ReferralSent',
  data: {
    ...logged('cpas-ciney', '2026-11-03'),
    referralId: 'r-1',
    to: 'saj-dinant',
    reason: 'housing',
  },
};
const declined: CaseEvent = {
  type: 'ReferralDeclined',
  data: { ...logged('saj-dinant', '2026-11-05'), referralId: 'r-1', reason: 'no_capacity' },
};

const replay = (events: readonly CaseEvent[], from: ReferralRow | null = null) =>
  events.reduce<ReferralRow | null>((row, event) => evolveReferral(row, event), from);

describe('evolveReferral', () => {
  it('records a referral sent, then its answer', () => {
    expect(replay([sent])).toEqual({
      referralId: 'r-1',
      caseId: 'case-1',
      from: 'cpas-ciney',
      to: 'saj-dinant',
      reason: 'housing',
      sentOn: '2026-11-03',
      status: 'sent',
      answeredOn: null,
      declineReason: null,
    });
    expect(replay([sent, declined])).toMatchObject({
      status: 'declined',
      answeredOn: '2026-11-05',
      declineReason: 'no_capacity',
    });
    expect(
      replay([
        sent,
        {
          type: 'ReferralAccepted',
          data: { ...logged('saj-dinant', '2026-11-04'), referralId: 'r-1' },
        },
      ]),
    ).toMatchObject({ status: 'accepted', answeredOn: '2026-11-04', declineReason: null });
  });

  it('is idempotent when run twice', () => {
    const once = replay([sent, declined]);
    expect(replay([sent, declined], once)).toEqual(once);
  });

  it('creates no row from an answer to a referral it has not seen sent', () => {
    expect(evolveReferral(null, declined)).toBeNull();
  });
});

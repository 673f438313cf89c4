import { ProtocolEvent } from '@relais/domain';
import { evolveProtocolVersion, ProtocolVersionRow } from './protocol-versions';

const drafted: ProtocolEvent = {
  type: 'ProtocolVersionDrafted',
  data: {
    protocolId: 'p',
    version: 1,
    effectiveFrom: '2026-01-01',
    definition: { title: 'P' },
    signatories: ['a', 'b'],
  },
};
const signedByA: ProtocolEvent = {
  type: 'ProtocolVersionSigned',
  data: { protocolId: 'p', version: 1, organisationId: 'a', signedBy: 's', signedOn: '2026-01-02' },
};

const replay = (events: readonly ProtocolEvent[], from: ProtocolVersionRow | null = null) =>
  events.reduce<ProtocolVersionRow | null>(
    (row, event, i) => evolveProtocolVersion(row, event, i + 1),
    from,
  );

describe('evolveProtocolVersion', () => {
  it('drafts, signs, adopts and supersedes a version', () => {
    const row = replay([
      drafted,
      signedByA,
      {
        type: 'ProtocolVersionAdopted',
        data: { protocolId: 'p', version: 1, effectiveFrom: '2026-01-01' },
      },
      { type: 'ProtocolVersionSuperseded', data: { protocolId: 'p', version: 1, by: 2 } },
    ]);
    expect(row).toMatchObject({ status: 'superseded', signedBy: ['a'], position: 4 });
  });

  it('is idempotent when an event comes twice', () => {
    const once = replay([drafted, signedByA]);
    expect(replay([drafted, signedByA], once)).toEqual(once);
  });

  it('creates no row from an event on a version it has not seen drafted', () => {
    expect(evolveProtocolVersion(null, signedByA, 1)).toBeNull();
  });
});

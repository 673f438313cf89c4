import { killRounds, TAKEOVER_WITHIN_MS, takeoverRounds } from '../bench/chaos';

// The short version of `npm run chaos` (scenarios 1 and 2; ten rounds and two kills there, and
// scenarios 3 and 4): real processes on a real PostgreSQL, killed with SIGKILL under load.
jest.setTimeout(240_000);

describe('Relais killed with SIGKILL while events are logged over HTTP', () => {
  it('keeps every event it answered 201, opens each obligation once, and its read models equal a rebuild', async () => {
    const report = await killRounds(2);
    expect(report.rounds).toHaveLength(2);
    expect(report.acknowledged).toBeGreaterThan(0);
    expect({
      lost: report.lost,
      duplicatedObligations: report.duplicatedObligations,
      missingObligations: report.missingObligations,
      inboxRows: report.inboxRows,
      complianceEqualsRebuild: report.complianceEqualsRebuild,
    }).toEqual({
      lost: 0,
      duplicatedObligations: 0,
      missingObligations: 0,
      inboxRows: report.obligationsOpened,
      complianceEqualsRebuild: true,
    });
  });
});

describe('two api and two worker processes, the active worker killed with SIGKILL under load', () => {
  it('has its standby applying events again within seconds, with nothing lost or doubled', async () => {
    const report = await takeoverRounds(1, () => undefined, { email: false });
    expect(report.acknowledged).toBeGreaterThan(0);
    expect(report.kills).toHaveLength(1);
    expect(report.kills[0]?.takeoverMs).not.toBeNull();
    // `npm run chaos` holds the takeover to 5 s; here, beside the rest of the suite on CI's two
    // cores, it gets twice that, and the runner's figure is the one reported.
    expect(report.kills[0]?.takeoverMs).toBeLessThanOrEqual(2 * TAKEOVER_WITHIN_MS);
    expect({
      lost: report.lost,
      duplicatedObligations: report.duplicatedObligations,
      missingObligations: report.missingObligations,
      inboxRows: report.inboxRows,
      serverErrors: report.load.otherServerErrors + report.load.unavailableMalformed,
    }).toEqual({
      lost: 0,
      duplicatedObligations: 0,
      missingObligations: 0,
      inboxRows: report.obligationsOpened,
      serverErrors: 0,
    });
  });
});

import { killRounds } from '../bench/chaos';

// The short version of `npm run chaos` (scenario 1, ten rounds there): real processes on the
// embedded PostgreSQL, killed with SIGKILL under load.
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

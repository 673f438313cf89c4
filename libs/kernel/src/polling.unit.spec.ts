import { poll } from './polling';

describe('poll', () => {
  it('runs rounds one after another, survives a failed round, and stops after the current one', async () => {
    const rounds: number[] = [];
    const errors: string[] = [];
    const polling = poll(
      () => {
        rounds.push(rounds.length);
        return rounds.length === 2
          ? Promise.reject(new Error('round 2 failed'))
          : Promise.resolve();
      },
      5,
      (error) => errors.push(error.message),
    );
    while (rounds.length < 4) await new Promise((r) => setTimeout(r, 5));
    await polling.stop();
    const stoppedAt = rounds.length;
    await new Promise((r) => setTimeout(r, 30));
    expect(rounds.length).toBe(stoppedAt);
    expect(errors).toEqual(['round 2 failed']);
  });
});

import { backoffMs, retriedForADay } from './outbox';

describe('outbox retries', () => {
  it('waits 1 s, 2 s, 4 s … up to an hour between attempts', () => {
    expect([1, 2, 3, 4].map(backoffMs)).toEqual([1000, 2000, 4000, 8000]);
    expect(backoffMs(30)).toBe(3_600_000);
  });

  it('gives up once the waits add up to a day', () => {
    expect(retriedForADay(12)).toBe(false);
    expect(retriedForADay(40)).toBe(true);
    const firstDay = Array.from({ length: 60 }, (_, i) => i + 1).find(retriedForADay);
    expect(firstDay).toBe(35);
  });
});

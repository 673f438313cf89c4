import { decodeCaseCursor, encodeCaseCursor } from './case-summaries';

describe('the cursor of GET /cases', () => {
  const cursor = {
    lastRecordedAt: '2026-11-20T09:30:00.123456Z',
    caseId: '3f0e2c4a-9b1d-4c55-8a7e-2d6f1b0c9e11',
  };

  it('reads back what it gave out, to the microsecond', () => {
    expect(decodeCaseCursor(encodeCaseCursor(cursor))).toEqual(cursor);
  });

  it.each([
    ['not base64 of a cursor', 'not-a-cursor'],
    [
      'a day that does not exist',
      encodeCaseCursor({ ...cursor, lastRecordedAt: '2026-02-30T09:30:00.000000Z' }),
    ],
    [
      'an hour past 23',
      encodeCaseCursor({ ...cursor, lastRecordedAt: '2026-11-20T24:00:00.000000Z' }),
    ],
    [
      'milliseconds only',
      encodeCaseCursor({ ...cursor, lastRecordedAt: '2026-11-20T09:30:00.123Z' }),
    ],
    ['a case id that is not one', encodeCaseCursor({ ...cursor, caseId: "x' or 1=1" })],
    [
      'one part more',
      Buffer.from(`${cursor.lastRecordedAt}|${cursor.caseId}|x`).toString('base64url'),
    ],
  ])('refuses %s', (_, text) => {
    expect(decodeCaseCursor(text)).toBeUndefined();
  });
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isCalendarDate } from '@relais/wire';

const ROOT = join(__dirname, '../..');
const SOURCE = 'libs/wire/src/wire-input.ts';
const COPY = 'apps/web/src/api/wire-input.ts';

describe('the limits the API and the web app share', () => {
  it(`has one source: ${COPY} is ${SOURCE}, byte for byte`, () => {
    const copy = readFileSync(join(ROOT, COPY), 'utf8');
    const source = readFileSync(join(ROOT, SOURCE), 'utf8');
    // On a difference: cp libs/wire/src/wire-input.ts apps/web/src/api/wire-input.ts
    expect(copy === source).toBe(true);
  });

  it.each([
    ['2026-11-20', true],
    ['2028-02-29', true],
    ['2026-02-29', false],
    ['2026-02-30', false],
    ['2026-04-31', false],
    ['2026-13-01', false],
    ['2026-1-01', false],
    ['0050-01-01', false],
    [' 2026-11-20', false],
    [20261120, false],
  ])('%j is a calendar date: %s', (value, expected) => {
    expect(isCalendarDate(value)).toBe(expected);
  });
});

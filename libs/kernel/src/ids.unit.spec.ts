import { uuidFromName } from './ids';
import { brusselsDate } from '@relais/calendar';

describe('uuidFromName', () => {
  it('gives the same version-5 UUID for the same name, and another for another name', () => {
    const id = uuidFromName('cpas-ciney:key-1:0');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(uuidFromName('cpas-ciney:key-1:0')).toBe(id);
    expect(uuidFromName('cpas-ciney:key-1:1')).not.toBe(id);
  });
});

describe('brusselsDate', () => {
  it('gives the Belgian calendar date, not the UTC one', () => {
    expect(brusselsDate(new Date('2026-11-20T23:30:00Z'))).toBe('2026-11-21');
    expect(brusselsDate(new Date('2026-07-01T21:59:00Z'))).toBe('2026-07-01');
    expect(brusselsDate(new Date('2026-07-01T22:00:00Z'))).toBe('2026-07-02');
  });
});

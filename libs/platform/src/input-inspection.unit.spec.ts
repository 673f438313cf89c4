import { hasForbiddenCharacters, inspectInput } from './input-inspection';

const nested = (depth: number): unknown => {
  let value: unknown = 'leaf';
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
};

describe('inspectInput', () => {
  it('takes an ordinary body', () => {
    expect(
      inspectInput({
        occurredOn: '2026-11-20',
        familyMembers: [{ firstName: 'Zoë 😀', lastName: 'Ñandú' }],
        n: 1,
        ok: true,
        none: null,
      }),
    ).toBeUndefined();
  });

  it('refuses objects and arrays nested deeper than the bound, at any depth', () => {
    expect(inspectInput(nested(32))).toBeUndefined();
    expect(inspectInput(nested(33))).toEqual({ kind: 'depth', limit: 32 });
    let deep: unknown = [];
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(inspectInput(deep)).toEqual({ kind: 'depth', limit: 32 });
  });

  it('counts keys and array items over the whole body', () => {
    const items = (n: number) => ({ list: Array.from({ length: n }, (_, i) => i) });
    expect(inspectInput(items(9_999))).toBeUndefined(); // and the key `list`: 10,000
    expect(inspectInput(items(10_000))).toEqual({ kind: 'entries', limit: 10_000 });
    expect(inspectInput({ a: { b: 1 } }, { depth: 32, entries: 1 })).toEqual({
      kind: 'entries',
      limit: 1,
    });
  });

  it('names every string and key holding a NUL or a lone surrogate by its path', () => {
    expect(
      inspectInput({
        familyMembers: [{ firstName: 'An\u0000ne' }, { lastName: 'x\ud800' }],
        email: '\udc00y',
        ['k\u0000']: 1,
      }),
    ).toEqual({
      kind: 'characters',
      errors: [
        // a key when its object is read, before the values inside
        { field: 'k\ufffd', message: 'a key must not contain a NUL character or a lone surrogate' },
        {
          field: 'familyMembers.0.firstName',
          message: 'familyMembers.0.firstName must not contain a NUL character or a lone surrogate',
        },
        {
          field: 'familyMembers.1.lastName',
          message: 'familyMembers.1.lastName must not contain a NUL character or a lone surrogate',
        },
        {
          field: 'email',
          message: 'email must not contain a NUL character or a lone surrogate',
        },
      ],
    });
  });
});

describe('hasForbiddenCharacters', () => {
  it.each([
    ['\u0000', true],
    ['a\ud800', true],
    ['\udfffa', true],
    ['\ud83d\ude00', false],
    ['\ud83d\ude00\ud83d', true],
    ['plain text, accents éà, ß, 中文', false],
  ])('%j: %s', (text, forbidden) => {
    expect(hasForbiddenCharacters(text)).toBe(forbidden);
  });
});

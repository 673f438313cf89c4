import { canonicalJson, commandEventIds } from './command-ids';

const basis = { stream: 'obligation-1', actor: 'staff-1', content: { a: 1, b: [2] }, version: 3 };

describe('commandEventIds', () => {
  it('gives a retry the same ids: by its key whatever the version, by content on the same version', () => {
    const keyed = { ...basis, idempotencyKey: 'k1' };
    expect(commandEventIds({ ...keyed, version: 9 }, 2)).toEqual(commandEventIds(keyed, 2));
    expect(commandEventIds({ ...basis, content: { b: [2], a: 1 } }, 1)).toEqual(
      commandEventIds(basis, 1),
    );
  });

  it('gives another command other ids', () => {
    const [first] = commandEventIds(basis, 1);
    for (const other of [
      { ...basis, version: 4 },
      { ...basis, content: { a: 2, b: [2] } },
      { ...basis, actor: 'staff-2' },
      { ...basis, stream: 'obligation-2' },
      { ...basis, idempotencyKey: 'k1' },
    ]) {
      expect(commandEventIds(other, 1)[0]).not.toBe(first);
    }
    const [a, b] = commandEventIds(basis, 2);
    expect(a).not.toBe(b);
  });

  it('writes objects with sorted keys at every depth', () => {
    expect(canonicalJson({ b: { d: 1, c: 2 }, a: [{ f: 1, e: 2 }] })).toBe(
      '{"a":[{"e":2,"f":1}],"b":{"c":2,"d":1}}',
    );
  });
});

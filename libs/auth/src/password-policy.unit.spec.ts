import { PasswordPolicy } from './password-policy';

jest.setTimeout(20_000);

describe('PasswordPolicy', () => {
  const outsideTheDemo = new PasswordPolicy({ refused: ['relais-demo', 'Demo-Dinant-2026!x'] });
  const inTheDemo = new PasswordPolicy({ accepted: ['relais-demo'] });

  it.each([
    '1234567890',
    '0123456789',
    'azertyuiop',
    'qwertzuiop',
    'motdepasse',
    'motdepasse123',
    'password1234',
    'Password123!',
    'iloveyou12',
    'jetaime1234',
    'soleil2026',
    'aaaaaaaaaa',
    'abcdefghij',
    '1111111111',
    '2026-11-20',
    'bruxelles123',
  ])('refuses %s: common, or trivial', (password) => {
    expect(outsideTheDemo.problem(password)).toMatch(/^password is too easy to guess/);
  });

  it('refuses what the account is known by', () => {
    const context = ['claire.martin@cpas-ciney.be', 'Claire Martin', 'cpas-ciney'];
    expect(outsideTheDemo.problem('claire.martin', context)).toMatch(/too easy to guess/);
    expect(outsideTheDemo.problem('cpas-ciney-2026', context)).toMatch(/too easy to guess/);
    expect(outsideTheDemo.problem('marmotte-velo-citron', context)).toBeUndefined();
  });

  it('says why, and what to do instead', () => {
    expect(outsideTheDemo.problem('1234567890')).toBe(
      'password is too easy to guess: This is a frequently used password. ' +
        'Choose a longer one, for instance a few unrelated words',
    );
  });

  it('takes passwords hard to guess', () => {
    for (const password of [
      'marmotte-velo-citron',
      'un-mot-de-passe-solide',
      'correct horse battery staple',
      'x7#kQ9!mZ2$wLp4@',
      'Ourthe en crue, 3 ponts fermés',
    ]) {
      expect([password, outsideTheDemo.problem(password)]).toEqual([password, undefined]);
    }
  });

  it('refuses the demo password outside the demo, however strong, and its variants', () => {
    expect(outsideTheDemo.problem('relais-demo')).toMatch(/demo password/);
    expect(outsideTheDemo.problem('Demo-Dinant-2026!x')).toMatch(/demo password/);
    expect(outsideTheDemo.problem('relais-demo1')).toMatch(/too easy to guess/);
  });

  it('takes the demo password in the demo, and refuses the rest as anywhere', () => {
    expect(inTheDemo.problem('relais-demo')).toBeUndefined();
    expect(inTheDemo.problem('1234567890')).toMatch(/too easy to guess/);
  });
});

import type { Principal } from '../principal';
import { InvalidTokenError, type InvalidTokenReason } from '../token-verifier';

export function aPrincipal(overrides: Partial<Principal> = {}): Principal {
  return {
    staffId: 'staff-1',
    organisationId: 'cpas-namur',
    roles: ['social_worker'],
    email: 'anne.dupont@cpas-namur.be',
    name: 'Anne Dupont',
    ...overrides,
  };
}

/** The reason a verification was refused; fails when it succeeded or failed for another cause. */
export async function invalidTokenReasonOf(
  verification: Promise<unknown>,
): Promise<InvalidTokenReason> {
  const outcome: unknown = await verification.then(
    () => 'verified',
    (error: unknown) => error,
  );
  if (outcome instanceof InvalidTokenError) return outcome.reason;
  throw new Error(`Expected an InvalidTokenError, got ${String(outcome)}`);
}

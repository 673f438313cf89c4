import { createHash } from 'node:crypto';
import { base64url, s256 } from '../../apps/web/src/pages/pkce';

describe('PKCE for the provider sign-in', () => {
  it('derives the S256 challenge as a provider checks it: base64url(SHA-256(verifier))', async () => {
    const verifier = 'dBjftJeZ4CVP-mJ92IXRBzS6Ph2dQmtEQNKDRn1Gv0k';
    const challenge = await s256(verifier);
    expect(challenge).toBe(createHash('sha256').update(verifier).digest('base64url'));
    expect(challenge).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('writes bytes in base64url without padding', () => {
    expect(base64url(new Uint8Array([251, 255, 191]))).toBe('-_-_');
    expect(base64url(new Uint8Array([1]))).toBe('AQ');
  });
});

import { tokenFromFragment } from './oidc-token';

describe('the token an identity provider hands back in the fragment', () => {
  it('reads the access token and when it expires', () => {
    expect(tokenFromFragment('#access_token=eyJ.a.b&token_type=Bearer&expires_in=3600', 0)).toEqual(
      {
        accessToken: 'eyJ.a.b',
        expiresAt: '1970-01-01T01:00:00.000Z',
      },
    );
  });

  it('finds nothing without an access token', () => {
    expect(tokenFromFragment('#error=access_denied', 0)).toBeUndefined();
    expect(tokenFromFragment('', 0)).toBeUndefined();
  });
});

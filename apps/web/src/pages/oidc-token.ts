/** `#access_token=…&expires_in=…` -> the token and when it expires; the fragment never reaches a server. */
export function tokenFromFragment(
  hash: string,
  now: number,
): { accessToken: string; expiresAt?: string } | undefined {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const accessToken = params.get('access_token');
  if (!accessToken) return undefined;
  const seconds = Number(params.get('expires_in'));
  return Number.isFinite(seconds) && seconds > 0
    ? { accessToken, expiresAt: new Date(now + seconds * 1000).toISOString() }
    : { accessToken };
}

/**
 * The web app's session: the bearer token in a cookie that scripts cannot read (HttpOnly), that
 * no other site's page sends (SameSite=Strict), sent to the API alone (Path=/api/). A cookie is
 * accepted only beside the header the web app adds to every call: a cross-site form or image
 * cannot add one, and a cross-site script would need a CORS preflight Relais never grants.
 */
export const SESSION_COOKIE = 'relais_session';
export const SESSION_HEADER = 'x-requested-with';
export const SESSION_HEADER_VALUE = 'relais';

export function sessionCookie(token: string, maxAgeSeconds: number, secure: boolean): string {
  return [
    `${SESSION_COOKIE}=${token}`,
    'Path=/api/',
    'HttpOnly',
    'SameSite=Strict',
    `Max-Age=${Math.max(0, Math.floor(maxAgeSeconds))}`,
    ...(secure ? ['Secure'] : []),
  ].join('; ');
}

export function clearedSessionCookie(secure: boolean): string {
  return sessionCookie('', 0, secure);
}

/** The session cookie's token, when the request carries it with the web app's header. */
export function sessionTokenOf(headers: {
  readonly cookie?: string | undefined;
  readonly [name: string]: string | string[] | undefined;
}): string | undefined {
  if (headers[SESSION_HEADER] !== SESSION_HEADER_VALUE) return undefined;
  for (const pair of (headers.cookie ?? '').split(';')) {
    const [name, ...value] = pair.trim().split('=');
    if (name === SESSION_COOKIE) return value.join('=') || undefined;
  }
  return undefined;
}

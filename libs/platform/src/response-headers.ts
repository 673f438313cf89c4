import type { NextFunction, Request, RequestHandler, Response } from 'express';

/** A year, the lifetime browsers and preload lists expect of a site that means it. */
export const HSTS = 'max-age=31536000; includeSubDomains';

/** What `/api` and `/health` answer: case data, tokens and problems, none of it for a cache. */
const NEVER_CACHED = /^\/(api|health)(\/|$)/;

/**
 * Headers on every answer: API answers (case data, tokens, problems alike) are never stored by a
 * browser or a proxy and are never sniffed as another type; HSTS when the public address is https,
 * so a browser that came once never speaks plain HTTP to it again. The web app's files set their
 * own caching.
 */
export function responseHeaders(publicUrl: string): RequestHandler {
  const hsts = new URL(publicUrl).protocol === 'https:';
  return (request: Request, response: Response, next: NextFunction) => {
    if (hsts) response.setHeader('Strict-Transport-Security', HSTS);
    if (NEVER_CACHED.test(request.path)) {
      response.setHeader('Cache-Control', 'no-store');
      response.setHeader('X-Content-Type-Options', 'nosniff');
    }
    next();
  };
}

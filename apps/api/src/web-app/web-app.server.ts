import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join, relative, resolve, sep } from 'node:path';
import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { ExpressAdapter } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';

/** Where `npm run build` puts the web app: `dist/apps/web`, whether this file runs from dist or from source. */
export function webAppDirectory(from = __dirname): string | undefined {
  return [resolve(from, '../../../web'), resolve(from, '../../../../dist/apps/web')].find((dir) =>
    existsSync(join(dir, 'index.html')),
  );
}

/** Paths the single-page fallback never answers: the API's, the probes', and files (`a.js`). */
const NOT_A_PAGE = /^\/(api|health)(\/|$)|\.[a-z0-9]+$/i;

/** The page runs no inline script and loads code from Relais alone. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

interface StaticFile {
  readonly type: string;
  /** The file as built, and its compressions when the build made them. */
  readonly bodies: Readonly<Partial<Record<Encoding, Buffer>>> & { readonly identity: Buffer };
  readonly etag: string;
  /** Named by a hash of its content: the browser may keep it for good. */
  readonly immutable: boolean;
}

type Encoding = 'br' | 'gzip' | 'identity';

/** Every file of the built web app, read once at start-up: `/index.html`, `/assets/main-….js`… */
export function readWebApp(directory: string): ReadonlyMap<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      const type = TYPES[extname(entry.name)];
      if (!entry.isFile() || type === undefined) continue;
      const identity = readFileSync(path);
      const compressed = (suffix: string) =>
        existsSync(path + suffix) ? readFileSync(path + suffix) : undefined;
      const url = `/${relative(directory, path).split(sep).join('/')}`;
      files.set(url, {
        type,
        bodies: { identity, br: compressed('.br'), gzip: compressed('.gz') },
        etag: createHash('sha256').update(identity).digest('base64url').slice(0, 27),
        immutable: url.startsWith('/assets/'),
      });
    }
  };
  walk(directory);
  return files;
}

/** The best encoding the request accepts that the file has: brotli, then gzip, then none. */
export function chooseEncoding(
  acceptEncoding: string | undefined,
  available: Readonly<Partial<Record<Encoding, Buffer>>>,
): Encoding {
  const accepted = new Map<string, number>();
  for (const part of (acceptEncoding ?? '').split(',')) {
    const [name = '', ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find(Boolean);
    accepted.set(name, q === undefined ? 1 : Number(q));
  }
  const weight = (name: string) => accepted.get(name) ?? accepted.get('*') ?? 0;
  for (const encoding of ['br', 'gzip'] as const) {
    if (available[encoding] && weight(encoding) > 0) return encoding;
  }
  return 'identity';
}

/** Whether an If-None-Match header names this entity tag (or any, `*`). */
function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (ifNoneMatch === undefined) return false;
  return ifNoneMatch
    .split(',')
    .map((tag) => tag.trim().replace(/^W\//, ''))
    .some((tag) => tag === etag || tag === '*');
}

/**
 * Serves the web application from the api role: its files, from memory, compressed as the build
 * left them (brotli or gzip, as the browser accepts), hashed assets cached for good and the page
 * revalidated; and `index.html` for every other GET outside `/api` and `/health`, so that
 * client-side routes (`/cases/…`, the links in e-mails) load the app. A source map is never
 * served: the build makes none, and only built files are read. Registered once Nest's routes
 * are, so the API always answers first; its own 404 handler still answers everything else.
 */
@Injectable()
export class WebAppServer implements OnModuleInit {
  private readonly logger = new Logger('WebApp');

  constructor(private readonly host: HttpAdapterHost) {}

  onModuleInit(): void {
    const adapter = this.host.httpAdapter as ExpressAdapter | undefined;
    if (!adapter) return; // no HTTP server: a command-line context
    const directory = webAppDirectory();
    if (!directory) {
      this.logger.warn('No web application in dist/apps/web: run `npm run build` to serve it');
      return;
    }
    const files = readWebApp(directory);
    const index = files.get('/index.html');
    if (!index) throw new Error(`${directory} has no index.html`);

    const send = (request: Request, response: Response, file: StaticFile) => {
      const encoding = chooseEncoding(request.headers['accept-encoding'], file.bodies);
      const body = file.bodies[encoding] ?? file.bodies.identity;
      const etag = `"${file.etag}${encoding === 'identity' ? '' : `-${encoding}`}"`;
      response
        .setHeader('X-Content-Type-Options', 'nosniff')
        .setHeader('Referrer-Policy', 'no-referrer')
        .setHeader('Vary', 'Accept-Encoding')
        .setHeader('ETag', etag)
        .setHeader(
          'Cache-Control',
          file.immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
        )
        .setHeader('Content-Type', file.type);
      if (file === index) response.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
      if (encoding !== 'identity') response.setHeader('Content-Encoding', encoding);
      if (matches(request.headers['if-none-match'], etag)) return response.status(304).end();
      response.setHeader('Content-Length', body.length);
      if (request.method === 'HEAD') return response.end();
      response.end(body);
    };

    adapter.use((request: Request, response: Response, next: NextFunction) => {
      if (request.method !== 'GET' && request.method !== 'HEAD') return next();
      const file = files.get(request.path);
      if (file) return send(request, response, file);
      if (NOT_A_PAGE.test(request.path)) return next();
      send(request, response, index);
    });
  }
}

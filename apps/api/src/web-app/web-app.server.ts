import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
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

/** The browser's copies of the libraries the web app loads without a bundler, by URL. */
export function vendorFiles(): ReadonlyMap<string, string> {
  const preact = dirname(require.resolve('preact/package.json'));
  const chart = dirname(require.resolve('chart.js'));
  return new Map([
    ['/vendor/preact.module.js', join(preact, 'dist/preact.module.js')],
    ['/vendor/hooks.module.js', join(preact, 'hooks/dist/hooks.module.js')],
    ['/vendor/jsxRuntime.module.js', join(preact, 'jsx-runtime/dist/jsxRuntime.module.js')],
    ['/vendor/chart.umd.min.js', join(chart, 'chart.umd.min.js')],
  ]);
}

/** Paths the single-page fallback never answers: the API's, the probes', and files (`a.js`). */
const NOT_A_PAGE = /^\/(api|health)(\/|$)|\.[a-z0-9]+$/i;

/** The page's only inline script is the import map; the policy allows exactly that one by hash. */
export function contentSecurityPolicy(indexHtml: string): string {
  const importMap = /<script type="importmap">([\s\S]*?)<\/script>/.exec(indexHtml)?.[1] ?? '';
  const hash = createHash('sha256').update(importMap).digest('base64');
  return [
    "default-src 'self'",
    `script-src 'self' 'sha256-${hash}'`,
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * Serves the web application from the api role: its files, the vendored libraries, and
 * `index.html` for every other GET outside `/api` and `/health`, so that client-side routes
 * (`/cases/…`, the links in e-mails) load the app. Registered once Nest's routes are, so the API
 * always answers first; its own 404 handler still answers everything else.
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
    const indexPath = join(directory, 'index.html');
    const indexHtml = readFileSync(indexPath, 'utf8');
    const policy = contentSecurityPolicy(indexHtml);
    const vendor = vendorFiles();
    const secured = (response: Response) =>
      response
        .setHeader('X-Content-Type-Options', 'nosniff')
        .setHeader('Referrer-Policy', 'no-referrer')
        .setHeader('Cache-Control', 'no-cache');

    adapter.use((request: Request, response: Response, next: NextFunction) => {
      const file =
        request.method === 'GET' || request.method === 'HEAD'
          ? vendor.get(request.path)
          : undefined;
      if (file === undefined) return next();
      secured(response).sendFile(file);
    });
    // A source map left in the folder by a development build is never served.
    adapter.use((request: Request, response: Response, next: NextFunction) => {
      if (!request.path.endsWith('.map')) return next();
      response
        .status(404)
        .type('application/problem+json')
        .json({ type: 'about:blank', title: 'Not Found', status: 404 });
    });
    adapter.useStaticAssets(directory, {
      index: false,
      setHeaders: (response: Response) => secured(response),
    });
    adapter.use((request: Request, response: Response, next: NextFunction) => {
      if ((request.method !== 'GET' && request.method !== 'HEAD') || NOT_A_PAGE.test(request.path))
        return next();
      secured(response).setHeader('Content-Security-Policy', policy).type('html').send(indexHtml);
    });
  }
}

// The operator console: the single-page app built from ui/ into dist/ui (npm run build:ui, run at
// install), served at /ui/. Hashed assets are immutable; every other path under /ui/ that is not a
// file is a deep link (/ui/devices/x1000c0s0b0n0) and gets index.html, which routes in the browser.
// /ui/session tells the page whether it needs a token and whether that token may write.
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AuthGuard } from './auth/index.js';
import type { RequestInfo } from './request-info.js';

export const CONSOLE_PATH = '/ui';

/** From src/server and from dist/server alike, the build lands in <repository>/dist/ui. */
export const DEFAULT_CONSOLE_ROOT = fileURLToPath(new URL('../../dist/ui/', import.meta.url));

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** Vite names every file under assets/ by its content hash: a changed file is a new URL. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** index.html names the current hashes, so it is revalidated on every load. */
const REVALIDATE = 'no-cache';

const NOT_BUILT = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Console not built</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto">
<h1>The operator console has not been built</h1>
<p>This gateway has no <code>dist/ui</code>. Run <code>npm run build:ui</code> (it also runs at <code>npm ci</code>)
and reload. The APIs are unaffected: GraphiQL is at <a href="/graphql">/graphql</a>, the REST reference at <a href="/docs">/docs</a>.</p>
</body></html>
`;

export interface ConsoleOptions {
  auth: AuthGuard;
  /** The built console (dist/ui by default). */
  root?: string;
}

export interface ConsoleSession {
  auth: boolean;
  /** anonymous, token, rejected or unverifiable; "open" when auth is off. */
  caller: string;
  subject: string | null;
  canRead: boolean;
  canWrite: boolean;
  /** Why a token was refused, safe to show (never the token). */
  reason: string | null;
}

export function ownsConsolePath(pathname: string): boolean {
  return pathname === CONSOLE_PATH || pathname.startsWith(`${CONSOLE_PATH}/`);
}

export function createConsole(options: ConsoleOptions) {
  const root = options.root ?? DEFAULT_CONSOLE_ROOT;

  async function session(request: Request, info: RequestInfo): Promise<ConsoleSession> {
    if (!options.auth.enabled) return { auth: false, caller: 'open', subject: null, canRead: true, canWrite: true, reason: null };
    const caller = await options.auth.identify(request, info);
    if (caller?.kind === 'token')
      return {
        auth: true,
        caller: 'token',
        subject: caller.subject,
        canRead: caller.permissions.has('read'),
        canWrite: caller.permissions.has('write'),
        reason: null,
      };
    return {
      auth: true,
      caller: caller?.kind ?? 'anonymous',
      subject: null,
      canRead: false,
      canWrite: false,
      reason: caller?.kind === 'rejected' ? caller.reason : null,
    };
  }

  /** The file under root that `relative` names, or undefined when it is not one (or escapes root). */
  async function fileAt(relative: string): Promise<string | undefined> {
    const path = normalize(join(root, relative));
    if (!path.startsWith(root.endsWith(sep) ? root : root + sep)) return undefined;
    try {
      return (await stat(path)).isFile() ? path : undefined;
    } catch {
      return undefined;
    }
  }

  async function send(request: Request, path: string, cacheControl: string): Promise<Response> {
    const body = request.method === 'HEAD' ? null : await readFile(path);
    const headers = {
      'content-type': CONTENT_TYPES[extname(path)] ?? 'application/octet-stream',
      'cache-control': cacheControl,
      'x-content-type-options': 'nosniff',
      // The console talks to this gateway only (air-gapped sites): the browser refuses anything else.
      'content-security-policy': "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; connect-src 'self'",
    };
    return new Response(body, { headers });
  }

  async function handle(request: Request, info: RequestInfo): Promise<Response> {
    const { pathname } = new URL(request.url);
    if (pathname === CONSOLE_PATH) return new Response(null, { status: 301, headers: { location: `${CONSOLE_PATH}/` } });
    if (pathname === `${CONSOLE_PATH}/session`)
      return new Response(JSON.stringify(await session(request, info)), {
        headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
      });
    if (request.method !== 'GET' && request.method !== 'HEAD')
      return new Response(JSON.stringify({ error: `${request.method} is not allowed on the console's pages` }), {
        status: 405,
        headers: { 'content-type': 'application/json', allow: 'GET, HEAD' },
      });

    let relative: string;
    try {
      relative = decodeURIComponent(pathname.slice(CONSOLE_PATH.length + 1));
    } catch {
      return new Response('bad path', { status: 400 });
    }
    const file = relative && !relative.endsWith('/') ? await fileAt(relative) : undefined;
    if (file) return send(request, file, relative.startsWith('assets/') ? IMMUTABLE : REVALIDATE);
    // A missing hashed asset is an old page asking for a file the new build no longer has: 404, not the app.
    if (relative.startsWith('assets/')) return new Response('not found', { status: 404, headers: { 'cache-control': REVALIDATE } });
    const index = await fileAt('index.html');
    if (!index)
      return new Response(NOT_BUILT, { status: 503, headers: { 'content-type': 'text/html; charset=utf-8', 'retry-after': '60' } });
    return send(request, index, REVALIDATE);
  }

  return { handle };
}

// How the gateway serves the console: /ui/ and every deep link answer index.html (the page routes
// in the browser), hashed assets are immutable, a console that was not built is a clear 503, a
// browser asking for / lands on /ui/ while API clients still get the reference root, and
// /ui/session says what the caller's token may do.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/server/app.js';
import { createMetrics } from '../../src/server/metrics.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

const INDEX = '<!doctype html><html lang="en"><title>console</title><div id="root"></div></html>';
const ASSET = 'console.log("app")';

let db: TestDatabase;
let built: string;
let empty: string;

function appWith(consoleRoot: string) {
  return createApp({ database: db, logger: pino({ level: 'silent' }), metrics: createMetrics(), consoleRoot });
}

beforeAll(async () => {
  db = await createTestDatabase();
  built = mkdtempSync(join(tmpdir(), 'console-built-'));
  mkdirSync(join(built, 'assets'));
  writeFileSync(join(built, 'index.html'), INDEX);
  writeFileSync(join(built, 'assets', 'index-AbC123.js'), ASSET);
  empty = mkdtempSync(join(tmpdir(), 'console-empty-'));
  writeFileSync(join(tmpdir(), 'console-secret.txt'), 'not for the browser');
});

afterAll(async () => {
  rmSync(built, { recursive: true, force: true });
  rmSync(empty, { recursive: true, force: true });
  rmSync(join(tmpdir(), 'console-secret.txt'), { force: true });
  await db?.destroy();
});

const get = (app: ReturnType<typeof appWith>, path: string, headers: Record<string, string> = {}) =>
  app.fetch(new Request(`http://gateway.test${path}`, { headers }));

describe('the console at /ui/', () => {
  it('answers index.html for /ui/ and for every deep link, revalidated on each load', async () => {
    const app = appWith(built);
    for (const path of ['/ui/', '/ui/devices/x1000c0s0b0n0', '/ui/scans/0b6f6c7e-1', '/ui/machine-room/racks/r1', '/ui/search']) {
      const response = await get(app, path);
      expect(response.status, path).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(response.headers.get('cache-control')).toBe('no-cache');
      expect(response.headers.get('content-security-policy')).toContain("connect-src 'self'");
      expect(await response.text()).toBe(INDEX);
    }
    const bare = await get(app, '/ui');
    expect(bare.status).toBe(301);
    expect(bare.headers.get('location')).toBe('/ui/');
  });

  it('serves hashed assets as immutable, and a missing asset as a 404 rather than the page', async () => {
    const app = appWith(built);
    const asset = await get(app, '/ui/assets/index-AbC123.js');
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await asset.text()).toBe(ASSET);
    expect((await get(app, '/ui/assets/index-Old999.js')).status).toBe(404);
  });

  it('never serves a file outside the build', async () => {
    const app = appWith(built);
    for (const path of ['/ui/../console-secret.txt', '/ui/%2e%2e/console-secret.txt', '/ui/assets/%2e%2e/%2e%2e/console-secret.txt']) {
      const response = await get(app, path);
      expect(await response.text(), path).not.toContain('not for the browser');
    }
  });

  it('answers a clear 503 page when the console was not built', async () => {
    const response = await get(appWith(empty), '/ui/devices/x1000c0s0b0n0');
    expect(response.status).toBe(503);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await response.text()).toContain('npm run build:ui');
  });

  it('refuses writes to its pages', async () => {
    const response = await appWith(built).fetch(new Request('http://gateway.test/ui/', { method: 'POST', body: '{}' }));
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD');
  });

  it('sends a browser asking for / to /ui/; an API client still gets the reference root', async () => {
    const app = appWith(built);
    const browser = await get(app, '/', { accept: 'text/html,application/xhtml+xml' });
    expect(browser.status).toBe(302);
    expect(new URL(browser.headers.get('location') as string).pathname).toBe('/ui/');
    const api = await get(app, '/', { accept: 'application/json' });
    expect(api.status).toBe(200);
    expect(await api.json()).toHaveProperty('links');
    // GraphiQL stays where it was.
    const graphiql = await get(app, '/graphql', { accept: 'text/html' });
    expect(graphiql.status).toBe(200);
    expect(await graphiql.text()).toContain('GraphiQL');
  });

  it('tells the page that auth is off and everything is allowed', async () => {
    const session = await get(appWith(built), '/ui/session');
    expect(session.headers.get('cache-control')).toBe('no-store');
    expect(await session.json()).toEqual({ auth: false, caller: 'open', subject: null, canRead: true, canWrite: true, reason: null });
  });
});

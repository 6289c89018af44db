// A feature that is switched off answers 404 and says which setting turns it on, rather than a
// 5xx (which tells clients to retry and monitors to page) or a bare status.
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, createApp } from '../../src/server/app.js';
import { createMetrics } from '../../src/server/metrics.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { nodeAddress } from '../support/nocloud.js';

let db: TestDatabase;
let off: App;
let on: App;
beforeAll(async () => {
  db = await createTestDatabase();
  const make = (graphiql: boolean) => createApp({ database: db, logger: pino({ level: 'silent' }), metrics: createMetrics(), graphiql });
  off = make(false);
  on = make(true);
});
afterAll(() => db.destroy());

const browse = (app: App, path: string) => app.fetch(new Request(`http://gateway.test${path}`, { headers: { accept: 'text/html' } }));

describe('GraphiQL', () => {
  it('off: a browser gets a 404 naming --graphiql; API clients are served as before', async () => {
    const page = await browse(off, '/graphql');
    expect(page.status).toBe(404);
    expect((await page.json()).error).toMatch(/^GraphiQL is off: start the gateway with --graphiql \(GRAPHIQL=true\)/);
    const api = await off.fetch(
      new Request('http://gateway.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ __typename }' }),
      }),
    );
    expect(await api.json()).toEqual({ data: { __typename: 'Query' } });
    const get = await off.fetch(
      new Request('http://gateway.test/graphql?query=%7B__typename%7D', { headers: { accept: 'application/json' } }),
    );
    expect(get.status).toBe(200);
  });

  it('on: a browser gets the page', async () => {
    const page = await browse(on, '/graphql');
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<html/i);
  });
});

describe('WireGuard bootstrap', () => {
  it('off: POST /wg-init is a 404 naming --wireguard-cidr', async () => {
    const reply = await off.fetch(
      new Request('http://gateway.test/wg-init', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': nodeAddress(0) },
        body: JSON.stringify({ public_key: 'x' }),
      }),
    );
    expect(reply.status).toBe(404);
    expect((await reply.json()).error).toMatch(/^WireGuard bootstrap is off: set --wireguard-cidr/);
  });
});

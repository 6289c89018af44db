// Several gateway processes on one PostgreSQL database: each serves what any of them wrote, and
// a subscription on one replica sees changes committed through another (LISTEN/NOTIFY).

import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DATABASE_URL, TEST_ENGINE } from '../support/database.js';
import { type GatewayProcess, startGatewayProcess } from '../support/gateway-process.js';
import { openSse, type SseStream } from '../support/sse.js';

const SUBSCRIPTION = 'subscription { deviceChanged(deviceType: ["node"]) { action entityId device { model serialNumber } } }';

async function createNode(base: string, name: string): Promise<string> {
  const response = await fetch(`${base}/apis/inventory/v1/devices`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ deviceType: 'node', model: name, serialNumber: `SN-${name}`, manufacturer: 'HPE' }),
  });
  const body = await response.json();
  expect(response.status, JSON.stringify(body)).toBe(201);
  return body.id as string;
}

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

describe.skipIf(TEST_ENGINE !== 'postgresql')('two replicas on one PostgreSQL database', () => {
  const schema = `replicas_${randomBytes(5).toString('hex')}`;
  const url = `${TEST_DATABASE_URL}${TEST_DATABASE_URL.includes('?') ? '&' : '?'}schema=${schema}`;
  let a: GatewayProcess;
  let b: GatewayProcess;
  let stream: SseStream | undefined;

  // Both start at once on an empty schema: the migrations must run once, not race.
  beforeAll(async () => {
    await admin(`CREATE SCHEMA "${schema}"`);
    [a, b] = await Promise.all([startGatewayProcess(['--database-url', url]), startGatewayProcess(['--database-url', url])]);
  }, 120_000);

  afterAll(async () => {
    await stream?.close();
    expect(await Promise.all([a?.stop(), b?.stop()])).toEqual([0, 0]);
    await admin(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  });

  it('migrates an empty database once when replicas start together', () => {
    const said = [a, b].map((p) => p.lines.find((l) => /database (migrated|is up to date)/.test(String(l.msg)))?.msg);
    expect(said.sort()).toEqual(['database is up to date', 'database migrated']);
  });

  it('serves on one replica what was written through the other', async () => {
    const id = await createNode(a.base, 'replica-read');
    const response = await fetch(`${b.base}/apis/inventory/v1/devices/${id}`);
    expect(response.status).toBe(200);
    expect((await response.json()).model).toBe('replica-read');
  });

  it('delivers a change made through replica A to a subscription on replica B, once', async () => {
    stream = await openSse(fetch, `${b.base}/graphql`, { query: SUBSCRIPTION });
    // The subscription attaches asynchronously: probe through B itself until B's stream hears.
    for (let i = 0; stream.pending.length === 0; i++) {
      if (i === 50) throw new Error('the subscription on B never saw B’s own writes');
      await createNode(b.base, `probe-${i}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
    stream.pending.splice(0);

    const id = await createNode(a.base, 'seen-everywhere');
    const [event] = await stream.next(1);
    expect(event.data.deviceChanged).toEqual({
      action: 'created',
      entityId: id,
      device: { model: 'seen-everywhere', serialNumber: 'SN-seen-everywhere' },
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(stream.pending, 'each change arrives once').toEqual([]);
  });

  it('announces nothing for a write that rolled back', async () => {
    const duplicate = await fetch(`${a.base}/apis/inventory/v1/devices`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ deviceType: 'node', model: 'dup', serialNumber: 'SN-seen-everywhere', manufacturer: 'HPE' }),
    });
    expect(duplicate.status).toBe(409);
    const id = await createNode(a.base, 'after-the-conflict');
    const [event] = await stream!.next(1);
    expect(event.data.deviceChanged.entityId, 'the next event is the committed write, not the failed one').toBe(id);
  });
});

// SMD's state change notifications are delivered: after a component change commits, each
// subscription whose triggers select it gets a POST of SMD's SCN payload at its Url. A
// subscriber that fails is tried again after a pause, and given up on after a few attempts; a
// change that selects no trigger, or a write that is refused, sends nothing.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { smdClient } from '../support/smd.js';

let gw: TestGateway;
let subscriber: Server;
let base: string;
/** What the subscriber received, by path; `failFirst` answers 503 that many times per path. */
const received = new Map<string, unknown[]>();
const failFirst = new Map<string, number>();
const attempts = new Map<string, number>();

beforeAll(async () => {
  subscriber = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      const path = request.url ?? '';
      attempts.set(path, (attempts.get(path) ?? 0) + 1);
      const failures = failFirst.get(path) ?? 0;
      if (failures > 0) {
        failFirst.set(path, failures - 1);
        response.writeHead(503).end();
        return;
      }
      received.set(path, [...(received.get(path) ?? []), JSON.parse(body)]);
      response.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => subscriber.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(subscriber.address() as AddressInfo).port}`;
  gw = await startTestGateway();
  const created = await smd('POST', '/State/Components', {
    Components: ['x9300c0s0b0n0', 'x9300c0s1b0n0', 'x9300c0s2b0n0'].map((ID, i) => ({ ID, State: 'On', Role: 'Compute', NID: 930 + i })),
  });
  expect(created.status).toBe(204);
});
afterAll(async () => {
  await gw.close();
  subscriber.closeAllConnections();
  await new Promise<void>((resolve) => subscriber.close(() => resolve()));
});

const smd = smdClient(() => gw);

async function subscribe(path: string, triggers: Record<string, unknown>) {
  const reply = await smd('POST', '/Subscriptions/SCN', { Subscriber: `scn-test${path}`, Url: `${base}${path}`, ...triggers });
  expect(reply.status, reply.text).toBe(200);
}

/** Waits (bounded) until `path` has received `count` notifications. */
async function delivered(path: string, count: number, timeoutMs = 8_000): Promise<unknown[]> {
  const deadline = Date.now() + timeoutMs;
  while ((received.get(path)?.length ?? 0) < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
  return received.get(path) ?? [];
}

describe('SCN delivery', () => {
  it('POSTs the new State and Flag to a subscriber of that state, and nothing for other states', async () => {
    await subscribe('/ready', { States: ['Ready'] });
    expect((await smd('PATCH', '/State/Components/x9300c0s0b0n0/StateData', { State: 'Off' })).status).toBe(204);
    expect((await smd('PATCH', '/State/Components/x9300c0s0b0n0/StateData', { State: 'Ready' })).status).toBe(204);
    expect(await delivered('/ready', 1)).toEqual([{ Components: ['x9300c0s0b0n0'], Flag: 'OK', State: 'Ready' }]);
    await new Promise((r) => setTimeout(r, 200));
    expect(received.get('/ready')).toHaveLength(1);
  });

  it('sends Enabled, SoftwareStatus and Role changes to the subscriptions that ask for them', async () => {
    await subscribe('/enabled', { Enabled: true });
    await subscribe('/roles', { Roles: ['Service'] });
    expect((await smd('PATCH', '/State/Components/x9300c0s1b0n0/Enabled', { Enabled: false })).status).toBe(204);
    expect((await smd('PATCH', '/State/Components/x9300c0s1b0n0/Role', { Role: 'Service' })).status).toBe(204);
    expect(await delivered('/enabled', 1)).toEqual([{ Components: ['x9300c0s1b0n0'], Enabled: false }]);
    expect(await delivered('/roles', 1)).toEqual([{ Components: ['x9300c0s1b0n0'], Role: 'Service', SubRole: '' }]);
  });

  it('tries a failing subscriber again until it answers', async () => {
    failFirst.set('/flaky', 2);
    await subscribe('/flaky', { States: ['Off'] });
    expect((await smd('PATCH', '/State/Components/x9300c0s2b0n0/StateData', { State: 'Off' })).status).toBe(204);
    expect(await delivered('/flaky', 1)).toEqual([{ Components: ['x9300c0s2b0n0'], Flag: 'OK', State: 'Off' }]);
    expect(attempts.get('/flaky')).toBe(3);
  });

  it('sends nothing for a refused write or a write that changes nothing', async () => {
    const before = attempts.get('/ready') ?? 0;
    expect((await smd('PATCH', '/State/Components/x9300c0s0b0n0/StateData', { State: 'Ready' })).status).toBe(204);
    expect((await smd('PATCH', '/State/Components/x9300c0s0b0n0/StateData', { State: 'Nonsense' })).status).toBe(400);
    await new Promise((r) => setTimeout(r, 300));
    expect(attempts.get('/ready') ?? 0).toBe(before);
  });
});

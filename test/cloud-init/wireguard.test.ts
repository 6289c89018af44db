// WireGuard bootstrap: POST /wg-init gives a node a tunnel address from the configured block
// (the same one again when it re-registers), POST /phone-home/{id} removes its peer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { type NoCloudApp, type NoCloudGateway, nodeAddress, startNoCloudGateway } from '../support/nocloud.js';

const SERVER_KEY = Buffer.alloc(32, 9).toString('base64');
const key = (n: number) => Buffer.alloc(32, n).toString('base64');
const WIREGUARD = { cidr: '10.89.0.0/16', serverPublicKey: SERVER_KEY, endpoint: '10.1.0.1:51821' };

let gw: NoCloudGateway;
let app: NoCloudApp;

beforeAll(async () => {
  gw = await startNoCloudGateway({ nodes: 24 });
  app = gw.openApp({ nocloud: { basePath: '/cloud-init', wireguard: WIREGUARD } });
}, 120_000);
afterAll(() => gw.close());

async function post(target: NoCloudApp, path: string, peer: string, body?: unknown) {
  const init: RequestInit = { method: 'POST' };
  if (body !== undefined) {
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
    init.headers = { 'content-type': 'application/json' };
  }
  const response = await target.fetch(path, peer, init);
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

const peers = () =>
  gw.db.prisma.wireguardPeer.findMany({ include: { component: { select: { xname: true, nid: true } } }, orderBy: { tunnelIp: 'asc' } });

describe('POST /wg-init', () => {
  it("hands out the lowest free tunnel address and the server's key, address and port", async () => {
    const first = await post(app, '/wg-init', nodeAddress(0), { public_key: key(1) });
    expect(first).toEqual({
      status: 201,
      body: {
        message: expect.stringContaining('registered'),
        'client-vpn-ip': '10.89.0.2',
        'server-public-key': SERVER_KEY,
        'server-ip': '10.89.0.1',
        'server-port': 51821,
      },
    });
    const second = await post(app, '/cloud-init/wg-init', nodeAddress(1), { public_key: key(2) });
    expect(second.body['client-vpn-ip']).toBe('10.89.0.3');
    expect((await peers()).map((p) => [Number(p.component.nid), p.tunnelIp, p.clientIp])).toEqual([
      [1, '10.89.0.2', nodeAddress(0)],
      [2, '10.89.0.3', nodeAddress(1)],
    ]);
  });

  it('gives a re-registering node its address back, with its new key', async () => {
    const again = await post(app, '/wg-init', nodeAddress(0), { public_key: key(3) });
    expect(again.status).toBe(201);
    expect(again.body['client-vpn-ip']).toBe('10.89.0.2');
    expect((await peers()).find((p) => Number(p.component.nid) === 1)?.publicKey).toBe(key(3));
  });

  it('refuses a key another node registered, a malformed key and an unknown address', async () => {
    const taken = await post(app, '/wg-init', nodeAddress(2), { public_key: key(2) });
    expect(taken.status).toBe(409);
    expect(taken.body.error).toContain('already registered by');
    expect((await post(app, '/wg-init', nodeAddress(2), { public_key: 'bm90IGEga2V5' })).body).toEqual({
      error: expect.stringContaining('public_key: must be a WireGuard public key'),
      code: 400,
    });
    expect((await post(app, '/wg-init', nodeAddress(2), {})).status).toBe(400);
    expect((await post(app, '/wg-init', nodeAddress(2), 'not json')).status).toBe(400);
    expect(await post(app, '/wg-init', '10.9.9.9', { public_key: key(4) })).toEqual({
      status: 404,
      body: { error: 'node not found for address 10.9.9.9', code: 404 },
    });
    expect(await peers()).toHaveLength(2);
  });

  it('gives nodes registering at once distinct addresses', async () => {
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => post(app, '/wg-init', nodeAddress(10 + i), { public_key: key(100 + i) })),
    );
    expect(results.map((r) => r.status)).toEqual(Array(12).fill(201));
    const addresses = results.map((r) => r.body['client-vpn-ip']);
    expect(new Set(addresses).size).toBe(12);
    expect(addresses.every((a) => /^10\.89\.0\.\d+$/.test(a))).toBe(true);
  });

  it('finds a node asking through its tunnel: its meta-data shows its boot address', async () => {
    const response = await app.fetch('/meta-data', '10.89.0.3');
    expect(response.status).toBe(200);
    const md = parse(await response.text());
    expect(md.instance_data.v1).toMatchObject({ local_ipv4: nodeAddress(1), vendor_data: { nid: 2 } });
  });

  it('answers 404 when WireGuard is not configured, naming the settings that turn it on', async () => {
    const reply = await post(gw, '/wg-init', nodeAddress(0), { public_key: key(1) });
    expect(reply.status).toBe(404);
    expect(reply.body.code).toBe(404);
    expect(reply.body.error).toMatch(/^WireGuard bootstrap is off: set --wireguard-cidr \(WIREGUARD_CIDR\)/);
  });
});

describe('POST /phone-home/{id}', () => {
  it("removes the node's peer; its address is handed out again", async () => {
    const form = 'instance_id=i-1&hostname=nid000001&pub_key_ed25519=ssh-ed25519+AAAA';
    const response = await app.fetch('/phone-home/i-1', nodeAddress(0), {
      method: 'POST',
      body: form,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { message: string }).message).toContain('removed');
    expect((await peers()).some((p) => Number(p.component.nid) === 1)).toBe(false);
    expect((await post(app, '/wg-init', nodeAddress(3), { public_key: key(50) })).body['client-vpn-ip']).toBe('10.89.0.2');
  });

  it('answers 200 for a known node without a peer (phone_home retries failures) and 404 for an unknown address', async () => {
    expect(await post(app, '/cloud-init/phone-home/whatever', nodeAddress(0))).toEqual({
      status: 200,
      body: { message: expect.stringContaining('has no WireGuard peer') },
    });
    expect(await post(app, '/phone-home/x', '10.9.9.9')).toEqual({
      status: 404,
      body: { error: 'node not found for address 10.9.9.9', code: 404 },
    });
  });
});

describe('the tunnel block', () => {
  it('keeps the host part of the CIDR as the server address', async () => {
    const hosted = gw.openApp({
      nocloud: { basePath: '/cloud-init', wireguard: { ...WIREGUARD, cidr: '10.89.0.20/16', endpoint: 'wg.example' } },
    });
    await gw.db.prisma.wireguardPeer.deleteMany();
    const res = await post(hosted, '/wg-init', nodeAddress(0), { public_key: key(1) });
    expect(res.body).toMatchObject({ 'client-vpn-ip': '10.89.0.1', 'server-ip': '10.89.0.20', 'server-port': 51820 });
  });

  it('answers 409 when the block is full', async () => {
    const tiny = gw.openApp({ nocloud: { basePath: '/cloud-init', wireguard: { ...WIREGUARD, cidr: '10.77.0.0/30' } } });
    expect((await post(tiny, '/wg-init', nodeAddress(5), { public_key: key(60) })).body['client-vpn-ip']).toBe('10.77.0.2');
    const full = await post(tiny, '/wg-init', nodeAddress(6), { public_key: key(61) });
    expect(full).toEqual({ status: 409, body: { error: 'no free tunnel address left in 10.77.0.0/30', code: 409 } });
  });

  it('refuses a malformed block at start-up', () => {
    expect(() => gw.openApp({ nocloud: { basePath: '/cloud-init', wireguard: { ...WIREGUARD, cidr: '10.89.0.0/33' } } })).toThrow(
      /"10.89.0.0\/33" is not an IPv4 CIDR/,
    );
    expect(() => gw.openApp({ nocloud: { basePath: '/', wireguard: WIREGUARD } })).toThrow(/base path/);
  });
});

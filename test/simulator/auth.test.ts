// Both Redfish authentication modes, as real BMCs do them: basic on every request, or a session
// (POST /SessionService/Sessions → 201 + X-Auth-Token + Location; DELETE logs out); 401 otherwise.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BmcSimulator, startBmcSimulator } from '../../src/simulator/redfish/index.js';
import { basic, redfishClient } from './support.js';

let sim: BmcSimulator;
let client: ReturnType<typeof redfishClient>;

beforeAll(async () => {
  sim = await startBmcSimulator({
    count: 2,
    listen: '127.0.10.21',
    port: 0,
    user: 'admin',
    password: 'pa:ss word',
    vendors: ['dell-idrac', 'hpe-cray'],
  });
  client = redfishClient(sim);
});
afterAll(async () => {
  client?.close();
  await sim?.close();
});

const SESSIONS = '/redfish/v1/SessionService/Sessions';

describe('authentication', () => {
  it('serves the service root without credentials and nothing else', async () => {
    const bmc = sim.bmcs[0]!;
    const root = await client.call(bmc, '/redfish/v1/');
    expect(root.status).toBe(200);
    expect(root.headers['odata-version']).toBe('4.0');
    expect(root.json()).toMatchObject({ Vendor: 'Dell', SessionService: { '@odata.id': '/redfish/v1/SessionService' } });
    const systems = await client.call(bmc, '/redfish/v1/Systems');
    expect(systems.status).toBe(401);
    expect(systems.headers['www-authenticate']).toBe('Basic realm="RedfishService"');
    expect(systems.json().error['@Message.ExtendedInfo'][0].MessageId).toBe('Base.1.8.NoValidSession');
    // Nor does it learn which paths exist.
    expect((await client.call(bmc, '/redfish/v1/Nowhere')).status).toBe(401);
  });

  it('takes basic authentication with the right password only (a ":" in the password included)', async () => {
    const bmc = sim.bmcs[0]!;
    expect((await client.call(bmc, '/redfish/v1/Systems', { headers: { authorization: basic(bmc) } })).status).toBe(200);
    expect((await client.call(bmc, '/redfish/v1/Systems', { headers: { authorization: basic(bmc, 'wrong') } })).status).toBe(401);
    const otherUser = `Basic ${Buffer.from(`root:${bmc.password}`).toString('base64')}`;
    expect((await client.call(bmc, '/redfish/v1/Systems', { headers: { authorization: otherUser } })).status).toBe(401);
  });

  it('opens a session, serves with its token, lists it, and logs out', async () => {
    const bmc = sim.bmcs[1]!;
    const created = await client.call(bmc, SESSIONS, { method: 'POST', body: { UserName: 'admin', Password: 'pa:ss word' } });
    expect(created.status).toBe(201);
    const token = created.headers['x-auth-token'] as string;
    const location = created.headers.location as string;
    expect(token).toMatch(/^[0-9a-f]{48}$/);
    expect(location).toMatch(new RegExp(`^${SESSIONS}/\\d+$`));
    expect(created.json()).toMatchObject({ '@odata.id': location, UserName: 'admin' });

    const auth = { 'x-auth-token': token };
    expect((await client.call(bmc, '/redfish/v1/Systems/Node0', { headers: auth })).status).toBe(200);
    const list = (await client.call(bmc, SESSIONS, { headers: auth })).json();
    expect(list.Members).toContainEqual({ '@odata.id': location });
    expect(list['Members@odata.count']).toBe(list.Members.length);
    expect((await client.call(bmc, location, { headers: auth })).json().Id).toBe(location.split('/').pop());

    // A token is good on its own BMC only.
    expect((await client.call(sim.bmcs[0]!, '/redfish/v1/Systems', { headers: auth })).status).toBe(401);

    const out = await client.call(bmc, location, { method: 'DELETE', headers: auth });
    expect(out.status).toBe(204);
    expect((await client.call(bmc, '/redfish/v1/Systems', { headers: auth })).status).toBe(401);
    expect((await client.call(bmc, location, { method: 'DELETE', headers: { authorization: basic(bmc) } })).status).toBe(404);
  });

  it('refuses a session for wrong credentials (401) and a body without them (400)', async () => {
    const bmc = sim.bmcs[1]!;
    const wrong = await client.call(bmc, SESSIONS, { method: 'POST', body: { UserName: 'admin', Password: 'nope' } });
    expect(wrong.status).toBe(401);
    expect(wrong.headers['x-auth-token']).toBeUndefined();
    const empty = await client.call(bmc, SESSIONS, { method: 'POST', body: { UserName: 'admin' } });
    expect(empty.status).toBe(400);
    expect(empty.json().error['@Message.ExtendedInfo'][0].MessageId).toBe('Base.1.8.PropertyMissing');
  });

  it('keeps a bounded number of sessions, dropping the oldest', async () => {
    const bmc = sim.bmcs[0]!;
    const tokens: string[] = [];
    for (let i = 0; i < 70; i += 1) {
      const created = await client.call(bmc, SESSIONS, { method: 'POST', body: { UserName: 'admin', Password: 'pa:ss word' } });
      tokens.push(created.headers['x-auth-token'] as string);
    }
    expect((await client.call(bmc, '/redfish/v1/Chassis', { headers: { 'x-auth-token': tokens[0]! } })).status).toBe(401);
    const latest = await client.call(bmc, SESSIONS, { headers: { 'x-auth-token': tokens[69]! } });
    expect(latest.json()['Members@odata.count']).toBe(64);
  });
});

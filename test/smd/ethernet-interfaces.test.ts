// SMD /hsm/v2/Inventory/EthernetInterfaces against a real database, through the in-process app.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCable, deleteCable } from '../../src/services/inventory/cable.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { smdChassis } from '../support/scenarios.js';
import { expectSmdProblem } from '../support/smd.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
  // Interfaces below sit on the nodes and the BMC of slot 0 of chassis x1c0, and on x2c0s0b0n0,
  // a node position with no component.
  await smdChassis(gw.service);
});
afterAll(() => gw.close());

const BASE = '/hsm/v2/Inventory/EthernetInterfaces';

const macs = (list: Array<{ MACAddress: string }>) => list.map((i) => i.MACAddress).sort();

describe('POST and GET', () => {
  it('creates with 201 and a single URI object, normalising the MAC, and reads it back', async () => {
    const res = await gw.rest('POST', BASE, {
      ID: 'ignored',
      MACAddress: 'A4-BF-01-00-00-01',
      Description: 'node eth0',
      ComponentID: 'X1C0S0B0N00',
      IPAddresses: [{ IPAddress: '10.1.0.1', Network: 'NMN' }, { IPAddress: '10.2.0.1' }],
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ URI: `${BASE}/a4bf01000001` });
    expect(res.headers.get('location')).toBe(`${BASE}/a4bf01000001`);
    const one = await gw.rest('GET', `${BASE}/A4BF01000001`);
    expect(one.status).toBe(200);
    expect(one.body).toEqual({
      ID: 'a4bf01000001',
      Description: 'node eth0',
      MACAddress: 'a4:bf:01:00:00:01',
      LastUpdate: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/),
      ComponentID: 'x1c0s0b0n0',
      Type: 'Node',
      IPAddresses: [{ IPAddress: '10.1.0.1', Network: 'NMN' }, { IPAddress: '10.2.0.1' }],
    });
  });

  it('accepts bare and dotted MACs, case-insensitive keys, no ComponentID and a ComponentID with no component yet', async () => {
    expect(
      (
        await gw.rest('POST', BASE, {
          macaddress: 'a4bf01000002',
          componentid: 'x1c0s0b0n1',
          ipaddresses: [{ ipaddress: '10.1.0.2', network: 'NMN' }],
        })
      ).status,
    ).toBe(201);
    expect((await gw.rest('POST', BASE, { MACAddress: 'a4bf.0100.0003' })).status).toBe(201);
    expect(
      (
        await gw.rest('POST', BASE, {
          MACAddress: 'a4:bf:01:00:00:04',
          ComponentID: 'x2c0s0b0n0',
          IPAddresses: [{ IPAddress: '10.1.0.4' }],
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await gw.rest('POST', BASE, {
          MACAddress: 'a4:bf:01:00:00:05',
          ComponentID: 'x1c0s0b0',
          IPAddresses: [{ IPAddress: '10.254.0.5', Network: 'HMN' }],
        })
      ).status,
    ).toBe(201);
    const none = await gw.rest('GET', `${BASE}/a4bf01000003`);
    expect(none.body).toMatchObject({ ComponentID: '', Type: '', IPAddresses: [], Description: '' });
    const dangling = await gw.rest('GET', `${BASE}/a4bf01000004`);
    expect(dangling.body).toMatchObject({ ComponentID: 'x2c0s0b0n0', Type: 'Node' });
  });

  it('refuses bad input with SMD details', async () => {
    expectSmdProblem(await gw.rest('POST', BASE, { MACAddress: 'a4bf0100' }), 400, 'MAC string has invalid length');
    expectSmdProblem(await gw.rest('POST', BASE, {}), 400, 'MAC string has invalid length');
    expectSmdProblem(
      await gw.rest('POST', BASE, { MACAddress: 'zz:bf:01:00:00:09' }),
      400,
      'strconv.ParseInt: parsing "zzbf01000009": invalid syntax',
    );
    expectSmdProblem(
      await gw.rest('POST', BASE, { MACAddress: 'a4bf01000009', ComponentID: 'notanxname' }),
      400,
      'Invalid CompEthInterface component ID',
    );
    expectSmdProblem(
      await gw.rest('POST', BASE, { MACAddress: 'a4bf01000009', IPAddresses: [{ Network: 'NMN' }] }),
      400,
      'Invalid CompEthInterface IP Address',
    );
    expectSmdProblem(
      await gw.rest('POST', BASE, { MACAddress: 'a4bf01000009', IPAddresses: [{ IPAddress: 'not-an-ip' }] }),
      400,
      'Invalid CompEthInterface IP Address',
    );
    expectSmdProblem(
      await gw.rest('POST', BASE, { MACAddress: 7 }),
      400,
      'error decoding JSON json: cannot unmarshal number into Go struct field MACAddress of type string',
    );
    expectSmdProblem(await gw.rest('POST', BASE, '{not json'), 400, /^error decoding JSON/);
    expect((await gw.rest('GET', `${BASE}/a4bf01000009`)).status).toBe(404);
  });

  it('answers a duplicate MAC with 409, whatever its spelling', async () => {
    expectSmdProblem(
      await gw.rest('POST', BASE, { MACAddress: 'A4:BF:01:00:00:01' }),
      409,
      'operation would conflict with an existing component ethernet interface that has the same MAC address.',
    );
  });

  it('answers an unknown or malformed id with 404', async () => {
    expectSmdProblem(await gw.rest('GET', `${BASE}/a4bf0100ffff`), 404, 'No such component ethernet interface: a4bf0100ffff');
    expectSmdProblem(await gw.rest('GET', `${BASE}/XYZ`), 404, 'No such component ethernet interface: xyz');
  });
});

describe('GET filters', () => {
  it('lists everything as a bare array, also with a trailing slash', async () => {
    const all = await gw.rest('GET', BASE);
    expect(all.status).toBe(200);
    expect(macs(all.body)).toEqual([
      'a4:bf:01:00:00:01',
      'a4:bf:01:00:00:02',
      'a4:bf:01:00:00:03',
      'a4:bf:01:00:00:04',
      'a4:bf:01:00:00:05',
    ]);
    expect(all.statements).toBe(1);
    expect(macs((await gw.rest('GET', `${BASE}/`)).body)).toHaveLength(5);
  });

  it('filters by ComponentID (repeatable, empty = none, names case-insensitive) and Type', async () => {
    expect(macs((await gw.rest('GET', `${BASE}?ComponentID=x1c0s0b0n0`)).body)).toEqual(['a4:bf:01:00:00:01']);
    expect(macs((await gw.rest('GET', `${BASE}?componentid=X1C0S0B0N1&COMPONENTID=x2c0s0b0n0`)).body)).toEqual([
      'a4:bf:01:00:00:02',
      'a4:bf:01:00:00:04',
    ]);
    expect(macs((await gw.rest('GET', `${BASE}?ComponentID=`)).body)).toEqual(['a4:bf:01:00:00:03']);
    expect(macs((await gw.rest('GET', `${BASE}?type=node`)).body)).toEqual(['a4:bf:01:00:00:01', 'a4:bf:01:00:00:02', 'a4:bf:01:00:00:04']);
    expect(macs((await gw.rest('GET', `${BASE}?Type=NodeBMC`)).body)).toEqual(['a4:bf:01:00:00:05']);
    expect(macs((await gw.rest('GET', `${BASE}?type=Node&ComponentID=x1c0s0b0`)).body)).toEqual([]);
    expectSmdProblem(await gw.rest('GET', `${BASE}?ComponentID=bogus`), 400, 'Invalid CompID.');
    expectSmdProblem(await gw.rest('GET', `${BASE}?type=Booster`), 400, 'Invalid HMS type.');
    expectSmdProblem(await gw.rest('GET', `${BASE}?type=`), 400, 'Invalid HMS type.');
  });

  it('filters by MACAddress, id, IPAddress, Network and the ipaddr alias', async () => {
    expect(macs((await gw.rest('GET', `${BASE}?MACAddress=A4:BF:01:00:00:02`)).body)).toEqual(['a4:bf:01:00:00:02']);
    expect(macs((await gw.rest('GET', `${BASE}?id=a4bf01000002&id=A4BF01000005`)).body)).toEqual([
      'a4:bf:01:00:00:02',
      'a4:bf:01:00:00:05',
    ]);
    expect(macs((await gw.rest('GET', `${BASE}?IPAddress=10.2.0.1`)).body)).toEqual(['a4:bf:01:00:00:01']);
    expect(macs((await gw.rest('GET', `${BASE}?IPAddress=`)).body)).toEqual(['a4:bf:01:00:00:03']);
    expect(macs((await gw.rest('GET', `${BASE}?ipaddress=10.1.0.2&ipaddress=10.1.0.4`)).body)).toEqual([
      'a4:bf:01:00:00:02',
      'a4:bf:01:00:00:04',
    ]);
    expect(macs((await gw.rest('GET', `${BASE}?Network=HMN`)).body)).toEqual(['a4:bf:01:00:00:05']);
    // "" matches interfaces with no address and addresses without a network.
    expect(macs((await gw.rest('GET', `${BASE}?Network=`)).body)).toEqual(['a4:bf:01:00:00:01', 'a4:bf:01:00:00:03', 'a4:bf:01:00:00:04']);
    const mds = await gw.rest('GET', `${BASE}?ipaddr=10.1.0.2`);
    expect(mds.body).toHaveLength(1);
    expect(mds.body[0].ComponentID).toBe('x1c0s0b0n1');
    expect((await gw.rest('GET', `${BASE}?unknownParam=1`)).body).toHaveLength(5);
    expectSmdProblem(await gw.rest('GET', `${BASE}?MACAddress=`), 400, 'Invalid component ethernet interface MAC address.');
    expectSmdProblem(await gw.rest('GET', `${BASE}?id=`), 400, 'Invalid component ethernet interface ID.');
  });

  it('filters by OlderThan and NewerThan (first value only) and refuses bad times', async () => {
    const all = (await gw.rest('GET', BASE)).body as Array<{ MACAddress: string; LastUpdate: string }>;
    const newest = all
      .map((i) => i.LastUpdate)
      .sort()
      .at(-1) as string;
    const future = new Date(Date.parse(newest) + 60_000).toISOString().replace(/\.\d+Z$/, 'Z');
    expect((await gw.rest('GET', `${BASE}?OlderThan=${future}`)).body).toHaveLength(5);
    expect((await gw.rest('GET', `${BASE}?NewerThan=${future}`)).body).toHaveLength(0);
    expect((await gw.rest('GET', `${BASE}?newerthan=2000-01-01T00:00:00Z&newerthan=${future}`)).body).toHaveLength(5);
    expect((await gw.rest('GET', `${BASE}?OlderThan=2000-01-01T00:00:00%2B01:00`)).body).toHaveLength(0);
    expectSmdProblem(
      await gw.rest('GET', `${BASE}?OlderThan=yesterday`),
      400,
      'bad query param: Argument was not in a valid RFC3339 time format',
    );
  });
});

describe('PATCH and DELETE', () => {
  it('patches description, ComponentID and the whole address list', async () => {
    const res = await gw.rest('PATCH', `${BASE}/a4bf01000003`, {
      Description: 'dhcp',
      ComponentID: 'x1c0s0b0n1',
      IPAddresses: [{ IPAddress: '10.1.0.3', Network: 'NMN' }],
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      ID: 'a4bf01000003',
      Description: 'dhcp',
      ComponentID: 'x1c0s0b0n1',
      Type: 'Node',
      IPAddresses: [{ IPAddress: '10.1.0.3', Network: 'NMN' }],
    });
    const cleared = await gw.rest('PATCH', `${BASE}/a4bf01000003`, { IPAddresses: [] });
    expect(cleared.body).toMatchObject({ Description: 'dhcp', IPAddresses: [] });
    expectSmdProblem(await gw.rest('PATCH', `${BASE}/a4bf01000003`, { Other: 1 }), 400, 'Request must have at least one patch field.');
    expectSmdProblem(await gw.rest('PATCH', `${BASE}/a4bf0100ffff`, { Description: 'x' }), 404, 'no such component ethernet interface.');
    expectSmdProblem(
      await gw.rest('PATCH', `${BASE}/a4bf01000003`, { ComponentID: 'nope' }),
      400,
      'bad query param: Argument was not a valid xname ID',
    );
    expectSmdProblem(
      await gw.rest('PATCH', `${BASE}/a4bf01000003`, { ComponentID: '' }),
      400,
      'bad query param: Argument was not a valid xname ID',
    );
  });

  it('manages the IPAddresses sub-resource', async () => {
    const sub = `${BASE}/a4bf01000003/IPAddresses`;
    const added = await gw.rest('POST', sub, { IPAddress: '10.1.0.33', Network: 'NMN' });
    expect(added.status).toBe(201);
    expect(added.body).toEqual({ URI: `${sub}/10.1.0.33` });
    expectSmdProblem(
      await gw.rest('POST', sub, { IPAddress: '10.1.0.33' }),
      409,
      'operation would conflict with an existing IP Address on the same ethernet interface.',
    );
    expectSmdProblem(await gw.rest('POST', sub, { Network: 'x' }), 400, 'Invalid CompEthInterface IP Address');
    expectSmdProblem(
      await gw.rest('POST', `${BASE}/a4bf0100ffff/IPAddresses`, { IPAddress: '10.0.0.1' }),
      404,
      'No such component ethernet interface: a4bf0100ffff',
    );
    expect((await gw.rest('POST', sub, { IPAddress: '10.1.0.34' })).status).toBe(201);
    expect((await gw.rest('GET', sub)).body).toEqual([{ IPAddress: '10.1.0.33', Network: 'NMN' }, { IPAddress: '10.1.0.34' }]);
    const patched = await gw.rest('PATCH', `${sub}/10.1.0.34`, { Network: 'CAN' });
    expect(patched.status).toBe(200);
    expect(patched.body).toEqual({ IPAddress: '10.1.0.34', Network: 'CAN' });
    expectSmdProblem(
      await gw.rest('PATCH', `${sub}/10.9.9.9`, { Network: 'CAN' }),
      404,
      'no such IP address in component ethernet interface.',
    );
    const deleted = await gw.rest('DELETE', `${sub}/10.1.0.33`);
    expect(deleted.status).toBe(200);
    expect(deleted.body).toEqual({ code: 0, message: 'deleted 1 entry' });
    expectSmdProblem(await gw.rest('DELETE', `${sub}/10.1.0.33`), 404, 'component ethernet interface has no such ip address.');
    expectSmdProblem(
      await gw.rest('DELETE', `${BASE}/a4bf0100ffff/IPAddresses/10.1.0.33`),
      404,
      'No such component ethernet interface: a4bf0100ffff',
    );
    expectSmdProblem(await gw.rest('GET', `${BASE}/a4bf0100ffff/IPAddresses`), 404, 'No such component ethernet interface: a4bf0100ffff');
    expect((await gw.rest('GET', sub)).body).toEqual([{ IPAddress: '10.1.0.34', Network: 'CAN' }]);
  });

  it('refuses to delete a cabled interface (one or all) with 409, deleting nothing', async () => {
    const ids = await gw.db.prisma.interface.findMany({
      where: { macAddress: { in: ['a4:bf:01:00:00:01', 'a4:bf:01:00:00:02'] }, deletedAt: null },
    });
    const cable = await createCable(gw.service, { aInterfaceId: ids[0].id, bInterfaceId: ids[1].id });
    const one = await gw.rest('DELETE', `${BASE}/a4bf01000001`);
    expect(one.status).toBe(409);
    expect(one.body.detail).toMatch(/disconnect it first$/);
    const all = await gw.rest('DELETE', BASE);
    expect(all.status).toBe(409);
    expect((await gw.rest('GET', BASE)).body).toHaveLength(5);
    await deleteCable(gw.service, cable.id);
  });

  it('deletes one, then all, then answers 404', async () => {
    expect((await gw.rest('DELETE', `${BASE}/a4bf01000003`)).body).toEqual({ code: 0, message: 'deleted 1 entry' });
    expectSmdProblem(await gw.rest('DELETE', `${BASE}/a4bf01000003`), 404, 'no such component ethernet interface.');
    const all = await gw.rest('DELETE', BASE);
    expect(all.status).toBe(200);
    expect(all.body).toEqual({ code: 0, message: 'deleted 4 entries' });
    expect((await gw.rest('GET', BASE)).body).toEqual([]);
    expectSmdProblem(await gw.rest('DELETE', BASE), 404, 'no entries to delete');
    // A deleted MAC can be created again.
    expect((await gw.rest('POST', BASE, { MACAddress: 'a4bf01000001', ComponentID: 'x1c0s0b0n0' })).status).toBe(201);
  });
});

describe('one store with GraphQL', () => {
  it('shows an SMD write in GraphQL at once, and a GraphQL write in SMD', async () => {
    expect(
      (
        await gw.rest('POST', BASE, {
          MACAddress: 'a4:bf:01:00:00:77',
          ComponentID: 'x1c0s0b0n1',
          IPAddresses: [{ IPAddress: '10.1.0.77', Network: 'NMN' }],
        })
      ).status,
    ).toBe(201);
    const seen = await gw.gql(
      `{ interfaces(macAddress: "a4:bf:01:00:00:77") { edges { node { macAddress component { xname } ipAddresses { address network } } } } }`,
    );
    expect(seen.data.interfaces.edges).toEqual([
      {
        node: {
          macAddress: 'a4:bf:01:00:00:77',
          component: { xname: 'x1c0s0b0n1' },
          ipAddresses: [{ address: '10.1.0.77', network: 'NMN' }],
        },
      },
    ]);

    const created = await gw.gql(
      `mutation { createInterface(input: { xname: "x1c0s0b0n0", macAddress: "A4BF01000078", ipAddresses: [{ address: "10.1.0.78" }] }) { macAddress } }`,
    );
    expect(created.errors).toBeUndefined();
    const res = await gw.rest('GET', `${BASE}/a4bf01000078`);
    expect(res.body).toMatchObject({
      MACAddress: 'a4:bf:01:00:00:78',
      ComponentID: 'x1c0s0b0n0',
      Type: 'Node',
      IPAddresses: [{ IPAddress: '10.1.0.78' }],
    });
  });

  it('records every SMD write in the change log with the smd source', async () => {
    const events = await gw.db.prisma.changeEvent.findMany({ where: { entityType: 'Interface', source: 'smd' } });
    expect(events.map((e) => e.action)).toEqual(expect.arrayContaining(['created', 'updated', 'moved', 'deleted']));
  });
});

describe('a ComponentID that names no position', () => {
  it('is kept by name in componentXname, not in the user-visible properties, and filters by it', async () => {
    const created = await gw.rest('POST', BASE, { MACAddress: 'a2:00:00:00:0f:01', ComponentID: 'x9c0s0b0n0' });
    expect(created.status).toBe(201);
    const listed = await gw.rest('GET', `${BASE}?ComponentID=x9c0s0b0n0`);
    expect(listed.body).toHaveLength(1);
    expect(listed.body[0]).toMatchObject({ ComponentID: 'x9c0s0b0n0', Type: 'Node' });
    const graph = await gw.gql(
      '{ interfaces(macAddress: "a2:00:00:00:0f:01") { edges { node { component { xname } componentXname properties } } } }',
    );
    expect(graph.data.interfaces.edges[0].node).toEqual({ component: null, componentXname: 'x9c0s0b0n0', properties: {} });
    const orphans = await gw.rest('GET', `${BASE}?ComponentID=`);
    expect(macs(orphans.body)).not.toContain('a2:00:00:00:0f:01');
  });
});

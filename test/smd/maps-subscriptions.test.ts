// SMD /hsm/v2 Defaults/NodeMaps, sysinfo/powermaps (PCS reads a bare array) and
// Subscriptions/SCN: shapes, SMD's messages and status codes, all-or-nothing writes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { expectSmdMessage, expectSmdProblem, smdClient } from '../support/smd.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
});
afterAll(() => gw.close());

const smd = smdClient(() => gw);

describe('Defaults/NodeMaps', () => {
  it('creates or modifies node maps and lists them', async () => {
    expectSmdMessage(
      await smd('POST', '/Defaults/NodeMaps', {
        NodeMaps: [
          { ID: 'X1C0S0B0N0', NID: 1, Role: 'compute' },
          { ID: 'x1c0s0b0n1', NID: 2, Role: 'Service', SubRole: 'master', NodeInfo: { rack: 'A1', u: 3 } },
          { ID: 'x1c0s0b0n1v1', NID: 3 },
        ],
      }),
      'Created or modified 3 entries',
    );
    const all = await smd('GET', '/Defaults/NodeMaps');
    expect(all.body).toEqual({
      NodeMaps: [
        { ID: 'x1c0s0b0n0', NID: 1, Role: 'Compute' },
        { ID: 'x1c0s0b0n1', NID: 2, Role: 'Service', SubRole: 'Master', NodeInfo: { rack: 'A1', u: 3 } },
        { ID: 'x1c0s0b0n1v1', NID: 3 },
      ],
    });
    expect((await smd('GET', '/Defaults/NodeMaps/X1C0S0B0N1')).body).toEqual({
      ID: 'x1c0s0b0n1',
      NID: 2,
      Role: 'Service',
      SubRole: 'Master',
      NodeInfo: { rack: 'A1', u: 3 },
    });
    // A single node map as the body works too; an existing xname is replaced.
    expectSmdMessage(await smd('POST', '/Defaults/NodeMaps', { ID: 'x1c0s0b0n0', NID: 11 }), 'Created or modified 1 entries');
    expect((await smd('GET', '/Defaults/NodeMaps/x1c0s0b0n0')).body).toEqual({ ID: 'x1c0s0b0n0', NID: 11 });
    // NIDs may move between the maps of one request.
    expectSmdMessage(
      await smd('POST', '/Defaults/NodeMaps', {
        NodeMaps: [
          { ID: 'x1c0s0b0n0', NID: 2 },
          { ID: 'x1c0s0b0n1', NID: 11 },
        ],
      }),
      'Created or modified 2 entries',
    );
    expect((await smd('GET', '/Defaults/NodeMaps/x1c0s0b0n1')).body.NID).toBe(11);
  });

  it('refuses bad maps with SMD texts, writing none of the request', async () => {
    const post = (maps: unknown[]) => smd('POST', '/Defaults/NodeMaps', { NodeMaps: maps });
    expectSmdProblem(
      await post([
        { ID: 'x2c0s0b0n0', NID: 20 },
        { ID: 'x1c0s0b0', NID: 21 },
      ]),
      400,
      "couldn't validate map data at idx 1: xname ID 'x1c0s0b0' is invalid or not a node",
    );
    expectSmdProblem(await post([{ ID: 'x2c0s0b0n0', NID: 0 }]), 400, "couldn't validate map data at idx 0: NID '0' is out of range");
    expectSmdProblem(
      await post([{ ID: 'x2c0s0b0n0', NID: 20, Role: 'Boss' }]),
      400,
      "couldn't validate map data at idx 0: Role 'Boss' is not valid.",
    );
    expectSmdProblem(
      await post([{ ID: 'x2c0s0b0n0', NID: 20, SubRole: 'Boss' }]),
      400,
      "couldn't validate map data at idx 0: SubRole 'Boss' is not valid.",
    );
    // The second map's NID is held by another map (2), or by the first map of the request (20).
    for (const nid of [2, 20]) {
      expectSmdProblem(
        await post([
          { ID: 'x2c0s0b0n0', NID: 20 },
          { ID: 'x2c0s0b0n1', NID: nid },
        ]),
        409,
        'operation would conflict with an existing xname ID that has the same NID.',
      );
    }
    expectSmdProblem(
      await smd('POST', '/Defaults/NodeMaps', { ID: 'x1', NID: 5 }),
      400,
      "couldn't validate mapping data: xname ID 'x1' is invalid or not a node",
    );
    expectSmdProblem(await post([{ ID: 'x2c0s0b0n0', NID: 'twenty' }]), 400, /^error decoding JSON/);
    expect((await smd('GET', '/Defaults/NodeMaps/x2c0s0b0n0')).status).toBe(404);
  });

  it('PUT one node map (200 with the map)', async () => {
    const reply = await smd('PUT', '/Defaults/NodeMaps/x3c0s0b0n0', { NID: 30, Role: 'storage' });
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ ID: 'x3c0s0b0n0', NID: 30, Role: 'Storage' });
    expectSmdProblem(
      await smd('PUT', '/Defaults/NodeMaps/x3c0s0b0n0', { ID: 'x3c0s0b0n1', NID: 30 }),
      400,
      'xname in URL and PUT body do not match',
    );
    expectSmdProblem(
      await smd('PUT', '/Defaults/NodeMaps/x3c0s0b0n0', { NID: -4 }),
      400,
      "couldn't validate endpoint data: NID '-4' is out of range",
    );
    expectSmdProblem(
      await smd('PUT', '/Defaults/NodeMaps/x3c0s0b0n0', { NID: 11 }),
      409,
      'operation would conflict with an existing resource that has the same NID',
    );
    expectSmdProblem(await smd('GET', '/Defaults/NodeMaps/x9c0s0b0n0'), 404, 'no such xname.');
    expectSmdProblem(await smd('GET', '/Defaults/NodeMaps/junk'), 404, 'no such xname.');
  });

  it('DELETE one and all', async () => {
    expectSmdMessage(await smd('DELETE', '/Defaults/NodeMaps/x3c0s0b0n0'), 'deleted 1 entry');
    expectSmdProblem(await smd('DELETE', '/Defaults/NodeMaps/x3c0s0b0n0'), 404, 'no such xname.');
    expectSmdProblem(await smd('DELETE', '/Defaults/NodeMaps/junk'), 400, 'invalid xname');
    expectSmdMessage(await smd('DELETE', '/Defaults/NodeMaps'), 'deleted 3 entries');
    expect((await smd('GET', '/Defaults/NodeMaps')).body).toEqual({ NodeMaps: [] });
    expectSmdProblem(await smd('DELETE', '/Defaults/NodeMaps'), 404, 'no entries to delete');
  });
});

describe('sysinfo/powermaps', () => {
  it('creates or modifies power maps; the collection is a bare array (PCS)', async () => {
    expect((await smd('GET', '/sysinfo/powermaps')).body).toEqual([]);
    expectSmdMessage(
      await smd('POST', '/sysinfo/powermaps', [
        { id: 'x1000c0s0b0n0', poweredBy: ['x1000m0p0v1', 'X1000M0P0V2'] },
        { id: 'x1000c0s0b0n1', poweredBy: ['x1000m0p0v3'] },
      ]),
      'Created or modified 2 entries',
    );
    expect((await smd('GET', '/sysinfo/powermaps')).body).toEqual([
      { id: 'x1000c0s0b0n0', poweredBy: ['x1000m0p0v1', 'x1000m0p0v2'] },
      { id: 'x1000c0s0b0n1', poweredBy: ['x1000m0p0v3'] },
    ]);
    expectSmdMessage(
      await smd('POST', '/sysinfo/powermaps', [{ id: 'x1000c0s0b0n1', poweredBy: ['x1000m0p1v1'] }]),
      'Created or modified 1 entries',
    );
    expect((await smd('GET', '/sysinfo/powermaps/X1000C0S0B0N1')).body).toEqual({ id: 'x1000c0s0b0n1', poweredBy: ['x1000m0p1v1'] });
  });

  it('refuses bad maps with SMD texts', async () => {
    expectSmdProblem(
      await smd('POST', '/sysinfo/powermaps', [{ id: 'x1000c0s0b0n2', poweredBy: [] }]),
      400,
      'poweredby is required for PowerMaps',
    );
    expectSmdProblem(
      await smd('POST', '/sysinfo/powermaps', [
        { id: 'x1000c0s0b0n2', poweredBy: ['x1'] },
        { id: 'junk', poweredBy: ['x1'] },
      ]),
      400,
      "couldn't validate map data at idx 1: xname ID 'junk' is invalid",
    );
    expectSmdProblem(
      await smd('POST', '/sysinfo/powermaps', [{ id: 'x1000c0s0b0n2', poweredBy: ['nope'] }]),
      400,
      "couldn't validate map data at idx 0: Power supply xname ID 'nope' is invalid",
    );
    expectSmdProblem(await smd('POST', '/sysinfo/powermaps', { id: 'x1' }), 400, /^error decoding JSON/);
    expect((await smd('GET', '/sysinfo/powermaps/x1000c0s0b0n2')).status).toBe(404);
  });

  it('GET, PUT and DELETE one', async () => {
    const put = await smd('PUT', '/sysinfo/powermaps/x1000c0s0b0n2', { poweredBy: ['x1000m1p0v1'] });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({ id: 'x1000c0s0b0n2', poweredBy: ['x1000m1p0v1'] });
    expectSmdProblem(
      await smd('PUT', '/sysinfo/powermaps/x1000c0s0b0n2', { id: 'x1000c0s0b0n3', poweredBy: ['x1'] }),
      400,
      'xname in URL and PUT body do not match',
    );
    expectSmdProblem(await smd('PUT', '/sysinfo/powermaps/x1000c0s0b0n2', { poweredBy: [] }), 400, 'poweredby is required in PUT body');
    expectSmdProblem(
      await smd('PUT', '/sysinfo/powermaps/junk', { poweredBy: ['x1'] }),
      400,
      "couldn't validate PowerMap data: xname ID 'junk' is invalid",
    );
    expectSmdProblem(await smd('GET', '/sysinfo/powermaps/junk'), 400, 'invalid xname');
    expectSmdProblem(await smd('GET', '/sysinfo/powermaps/x1000c0s0b0n9'), 404, 'no such xname.');
    expectSmdMessage(await smd('DELETE', '/sysinfo/powermaps/x1000c0s0b0n2'), 'deleted 1 entry');
    expectSmdProblem(await smd('DELETE', '/sysinfo/powermaps/x1000c0s0b0n2'), 404, 'no such xname.');
    expectSmdProblem(await smd('DELETE', '/sysinfo/powermaps/junk'), 400, 'invalid xname');
    expectSmdMessage(await smd('DELETE', '/sysinfo/powermaps'), 'deleted 2 entries');
    expectSmdProblem(await smd('DELETE', '/sysinfo/powermaps'), 404, 'no entries to delete');
  });
});

describe('Subscriptions/SCN', () => {
  const sub = { Subscriber: 'hmnfd@sms', Url: 'http://hmnfd/scn', States: ['Ready', 'Off'], Roles: ['Compute'] };
  let id: number;

  it('stores and lists subscriptions; the same Subscriber and Url updates that one', async () => {
    expect((await smd('GET', '/Subscriptions/SCN')).body).toEqual({ SubscriptionList: [] });
    const created = await smd('POST', '/Subscriptions/SCN', sub);
    expect(created.status).toBe(200);
    id = created.body.ID;
    expect(Number.isInteger(id)).toBe(true);
    expect(created.body).toEqual({
      ID: id,
      Subscriber: 'hmnfd@sms',
      Roles: ['Compute'],
      States: ['Ready', 'Off'],
      Url: 'http://hmnfd/scn',
    });
    const again = await smd('POST', '/Subscriptions/SCN', { ...sub, States: ['On'], Enabled: true });
    expect(again.body).toEqual({
      ID: id,
      Subscriber: 'hmnfd@sms',
      Enabled: true,
      Roles: ['Compute'],
      States: ['On'],
      Url: 'http://hmnfd/scn',
    });
    expect((await smd('GET', '/Subscriptions/SCN')).body.SubscriptionList).toEqual([again.body]);
    expect((await smd('GET', `/Subscriptions/SCN/${id}`)).body).toEqual(again.body);
  });

  it('refuses bad subscriptions with SMD texts', async () => {
    const post = (body: unknown) => smd('POST', '/Subscriptions/SCN', body);
    expectSmdProblem(await post({ Url: 'http://x', States: ['On'] }), 400, 'Missing name of subscriber');
    expectSmdProblem(await post({ Subscriber: 's', States: ['On'] }), 400, 'Missing url');
    expectSmdProblem(await post({ Subscriber: 's', Url: 'http://x', Roles: ['Boss'] }), 400, "Invalid role 'Boss'");
    expectSmdProblem(await post({ Subscriber: 's', Url: 'http://x', SubRoles: ['Boss'] }), 400, "Invalid subRole 'Boss'");
    expectSmdProblem(await post({ Subscriber: 's', Url: 'http://x', States: ['Sleepy'] }), 400, "Invalid state 'Sleepy'");
    expectSmdProblem(
      await post({ Subscriber: 's', Url: 'http://x', SoftwareStatus: [''] }),
      400,
      'SoftwareStatus can not be an empty string',
    );
    expectSmdProblem(
      await post({ Subscriber: 's', Url: 'http://x', Enabled: false }),
      400,
      'Missing trigger. Must subscribe to atleast one Enabled, Role, SubRole, SoftwareStatus, or State trigger.',
    );
    expectSmdProblem(await smd('GET', '/Subscriptions/SCN/abc'), 400, 'Invalid id - abc');
    expectSmdProblem(await smd('GET', '/Subscriptions/SCN/0'), 400, 'Invalid id - 0');
    expectSmdProblem(await smd('GET', '/Subscriptions/SCN/999'), 404, 'Subscription not found');
  });

  it('PUT replaces (204) and PATCH adds, removes and replaces (204)', async () => {
    expect(
      (await smd('PUT', `/Subscriptions/SCN/${id}`, { Subscriber: 'hmnfd@sms', Url: 'http://hmnfd/scn', States: ['Standby'] })).status,
    ).toBe(204);
    expect((await smd('GET', `/Subscriptions/SCN/${id}`)).body).toEqual({
      ID: id,
      Subscriber: 'hmnfd@sms',
      States: ['Standby'],
      Url: 'http://hmnfd/scn',
    });
    expectSmdProblem(await smd('PUT', '/Subscriptions/SCN/999', sub), 404, 'Subscription not found');
    expectSmdProblem(await smd('PUT', `/Subscriptions/SCN/${id}`, { Url: 'http://x', States: ['On'] }), 400, 'Missing name of subscriber');

    const patch = (body: unknown) => smd('PATCH', `/Subscriptions/SCN/${id}`, body);
    expect((await patch({ Op: 'add', States: ['Ready', 'Standby'], Roles: ['Service'] })).status).toBe(204);
    expect((await smd('GET', `/Subscriptions/SCN/${id}`)).body).toMatchObject({ States: ['Standby', 'Ready'], Roles: ['Service'] });
    expect((await patch({ Op: 'Remove', States: ['Standby'] })).status).toBe(204);
    expect((await patch({ Op: 'replace', SoftwareStatus: ['AdminDown'], Enabled: false })).status).toBe(204);
    expect((await smd('GET', `/Subscriptions/SCN/${id}`)).body).toEqual({
      ID: id,
      Subscriber: 'hmnfd@sms',
      Enabled: false,
      Roles: ['Service'],
      SoftwareStatus: ['AdminDown'],
      States: ['Ready'],
      Url: 'http://hmnfd/scn',
    });
    expectSmdProblem(await patch({ States: ['On'] }), 400, 'Missing Patch Op');
    expectSmdProblem(await patch({ Op: 'merge', States: ['On'] }), 400, 'Invalid Patch Op - merge');
    expectSmdProblem(
      await patch({ Op: 'add' }),
      400,
      'Missing trigger. Subscriptions must have atleast one Enabled, Role, SubRole, SoftwareStatus, or State trigger.',
    );
    expectSmdProblem(await smd('PATCH', '/Subscriptions/SCN/999', { Op: 'add', States: ['On'] }), 404, 'Subscription not found');
  });

  it('DELETE one and all', async () => {
    const other = await smd('POST', '/Subscriptions/SCN', { Subscriber: 'other', Url: 'http://other', Enabled: true });
    expectSmdMessage(await smd('DELETE', `/Subscriptions/SCN/${other.body.ID}`), 'Subscription deleted');
    expectSmdProblem(await smd('DELETE', `/Subscriptions/SCN/${other.body.ID}`), 404, 'Subscription not found');
    expectSmdMessage(await smd('DELETE', '/Subscriptions/SCN'), '1 Subscriptions deleted');
    expectSmdMessage(await smd('DELETE', '/Subscriptions/SCN'), '0 Subscriptions deleted');
    const logged = await gw.db.prisma.changeEvent.findMany({ where: { entityType: 'ScnSubscription' } });
    expect(logged.length).toBeGreaterThan(0);
    expect(logged.every((event) => event.source === 'smd')).toBe(true);
  });
});

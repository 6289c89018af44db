import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { gqlData, MISSING_ID } from '../support/graphql-writes.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
});
afterAll(() => gw.close());

const CREATE = `mutation($input: DeviceCreateInput!) {
  createDevice(input: $input) { id uuid name deviceType serialNumber revision parent { uuid } properties }
}`;

const create = (input: Record<string, unknown>) => gqlData<{ id: string; uuid: string; revision: number }>(gw, CREATE, { input });

describe('device mutations and tree', () => {
  it('creates a tree and reads parent, children, ancestors and descendants', async () => {
    const chassis = await create({ deviceType: 'Chassis', name: 'c0', serialNumber: 'CH-1', manufacturer: 'HPE' });
    const blade = await create({
      deviceType: 'Blade',
      name: 's0',
      parentId: chassis.uuid,
      properties: { 'bios.release_date': '2024-01-02' },
    });
    const node = await create({ deviceType: 'Node', name: 'n0', parentId: blade.id });
    await create({ deviceType: 'Memory', name: 'dimm0', parentId: node.uuid, serialNumber: 'D-1', manufacturer: 'Micron' });

    const result = await gw.gql(
      `query($id: ID!) { device(id: $id) {
        name children { name children { name } }
        descendants { name deviceType }
        d1: descendants(maxDepth: 1) { name }
      } }`,
      { id: chassis.id },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data.device.children).toEqual([{ name: 's0', children: [{ name: 'n0' }] }]);
    expect(result.data.device.descendants.map((d: { name: string }) => d.name)).toEqual(['s0', 'n0', 'dimm0']);
    expect(result.data.device.d1).toEqual([{ name: 's0' }]);

    const up = await gw.gql(`{ devices(filter: { deviceType: ["Memory"] }) { totalCount edges { node { ancestors { name } } } } }`);
    expect(up.data.devices.totalCount).toBe(1);
    expect(up.data.devices.edges[0].node.ancestors.map((a: { name: string }) => a.name)).toEqual(['n0', 's0', 'c0']);
  });

  it('refuses a cycle, a bad property key, an unknown parent and a duplicate serial, naming the field', async () => {
    const a = await create({ deviceType: 'Rack', name: 'cycle-a' });
    const b = await create({ deviceType: 'Chassis', name: 'cycle-b', parentId: a.uuid });
    const move = await gw.gql(`mutation($id: ID!, $p: ID) { moveDevice(id: $id, to: { parentId: $p }) { name } }`, {
      id: a.uuid,
      p: b.uuid,
    });
    expect(move.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'parentId' });

    const badKey = await gw.gql(CREATE, { input: { deviceType: 'Node', properties: { biosBootMode: 'uefi' } } });
    expect(badKey.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'properties.biosBootMode' });

    const unknownParent = await gw.gql(CREATE, { input: { deviceType: 'Node', parentId: MISSING_ID } });
    expect(unknownParent.errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND', field: 'parentId' });

    await create({ deviceType: 'Memory', serialNumber: 'DUP-1', manufacturer: 'Samsung' });
    const dup = await gw.gql(CREATE, { input: { deviceType: 'Memory', serialNumber: 'DUP-1', manufacturer: 'Samsung' } });
    expect(dup.errors?.[0].extensions?.code).toBe('CONFLICT');
    expect(dup.errors?.[0].message).toMatch(/serialNumber/);

    const count = await gw.gql(`{ devices(filter: { serialNumber: "DUP-1" }) { totalCount } }`);
    expect(count.data.devices.totalCount).toBe(1);
  });

  it('soft-deletes and restores, logging every change', async () => {
    const d = await create({ deviceType: 'Node', name: 'gone', serialNumber: 'SD-1', manufacturer: 'X' });
    const del = await gw.gql(`mutation($id: ID!) { deleteDevice(id: $id) { deletedAt revision } }`, { id: d.id });
    expect(del.data.deleteDevice.deletedAt).toBeTruthy();
    const live = await gw.gql(`{ devices(filter: { name: "gone" }) { totalCount } }`);
    expect(live.data.devices.totalCount).toBe(0);
    // A deleted serial may be used again, and then restoring the old device conflicts.
    await create({ deviceType: 'Node', name: 'replacement', serialNumber: 'SD-1', manufacturer: 'X' });
    const restore = await gw.gql(`mutation($id: ID!) { restoreDevice(id: $id) { name } }`, { id: d.id });
    expect(restore.errors?.[0].extensions?.code).toBe('CONFLICT');
    const history = await gw.gql(`query($id: ID!) { device(id: $id) { history { action source before after } } }`, { id: d.id });
    expect(history.data.device.history.map((e: { action: string }) => e.action)).toEqual(['deleted', 'created']);
  });

  it('filters by property key and value', async () => {
    await create({ deviceType: 'Node', name: 'p1', properties: { 'bios.vendor': 'AMI', gpu_count: 4, hot: true } });
    const byText = await gw.gql(`{ devices(filter: { property: { key: "bios.vendor", value: "AMI" } }) { edges { node { name } } } }`);
    expect(byText.data.devices.edges).toEqual([{ node: { name: 'p1' } }]);
    const byNumber = await gw.gql(`{ devices(filter: { property: { key: "gpu_count", value: "4" } }) { totalCount } }`);
    expect(byNumber.data.devices.totalCount).toBe(1);
    const byBool = await gw.gql(`{ devices(filter: { property: { key: "hot", value: "true" } }) { totalCount } }`);
    expect(byBool.data.devices.totalCount).toBe(1);
  });
});

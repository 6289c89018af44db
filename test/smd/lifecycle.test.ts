// A replay of an SMD life cycle as OpenCHAMI's clients drive it, in order: magellan discovers
// BMCs → PCS queries, sets power state and reserves → coresmd and BSS read → an admin groups
// and partitions nodes → deletes. Every step is checked through SMD itself, through GraphQL
// (one store) and in the change log.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { MAGELLAN_PASSWORD, magellanPayload } from '../support/magellan.js';
import { smdClient } from '../support/smd.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
});
afterAll(() => gw.close());

const smd = smdClient(() => gw);

const BMCS = [0, 1, 2];
const NODES = BMCS.map((b) => `x1000c0s0b${b}n0`);

describe('an SMD life cycle', () => {
  it('1. magellan discovers three BMCs: 201, and a second POST of one is a 409', async () => {
    for (const b of BMCS) {
      const created = await smd('POST', '/Inventory/RedfishEndpoints', magellanPayload(b));
      expect(created.status).toBe(201);
      expect(created.body).toEqual([{ URI: `/hsm/v2/Inventory/RedfishEndpoints/x1000c0s0b${b}` }]);
    }
    const again = await smd('POST', '/Inventory/RedfishEndpoints', magellanPayload(0));
    expect(again.status).toBe(409);
  });

  it('2. the discovery created BMC and node components, their endpoints and interfaces', async () => {
    const components = await smd('GET', '/State/Components');
    const ids = components.body.Components.map((c: { ID: string }) => c.ID).sort();
    expect(ids).toEqual([...BMCS.map((b) => `x1000c0s0b${b}`), ...NODES].sort());
    const nodes = await smd('GET', '/State/Components?type=node');
    expect(nodes.body.Components.every((c: { Type: string; NID: unknown }) => c.Type === 'Node' && typeof c.NID === 'number')).toBe(true);

    const endpoints = await smd('GET', `/Inventory/ComponentEndpoints?${NODES.map((n) => `id=${n}`).join('&')}`);
    expect(endpoints.body.ComponentEndpoints).toHaveLength(3);
    const reset = endpoints.body.ComponentEndpoints[0].RedfishSystemInfo.Actions['#ComputerSystem.Reset'];
    expect(reset['ResetType@Redfish.AllowableValues']).toContain('ForceOff');

    const interfaces = await smd('GET', '/Inventory/EthernetInterfaces');
    expect(interfaces.body.length).toBe(6);
    expect(interfaces.body.map((i: { ComponentID: string }) => i.ComponentID).sort()).toEqual(
      [...BMCS.map((b) => `x1000c0s0b${b}`), ...NODES].sort(),
    );

    const rfe = await smd('GET', '/Inventory/RedfishEndpoints');
    expect(rfe.text).not.toContain(MAGELLAN_PASSWORD);
  });

  it('3. PCS: Query, BulkStateData (204), a service reservation (200) checked and released, power maps', async () => {
    const query = await smd('POST', '/State/Components/Query', { ComponentIDs: NODES });
    expect(query.status).toBe(200);
    expect(query.body.Components).toHaveLength(3);

    const off = await smd('PATCH', '/State/Components/BulkStateData', { ComponentIDs: NODES, State: 'Off' });
    expect(off.status).toBe(204);
    const state = await smd('GET', `/State/Components/${NODES[0]}`);
    expect(state.body.State).toBe('Off');

    const reserved = await smd('POST', '/locks/service/reservations', { ComponentIDs: NODES, ReservationDuration: 1 });
    expect(reserved.status).toBe(200);
    expect(reserved.body.Success).toHaveLength(3);
    expect(reserved.body.Failure).toEqual([]);
    const deputyKeys = reserved.body.Success.map((s: { ID: string; DeputyKey: string }) => ({ ID: s.ID, Key: s.DeputyKey }));
    const check = await smd('POST', '/locks/service/reservations/check', { DeputyKeys: deputyKeys });
    expect(check.status).toBe(200);
    expect(check.body.Success).toHaveLength(3);
    const keys = reserved.body.Success.map((s: { ID: string; ReservationKey: string }) => ({ ID: s.ID, Key: s.ReservationKey }));
    const released = await smd('POST', '/locks/service/reservations/release', { ReservationKeys: keys });
    expect(released.status).toBe(200);
    expect(released.body.Counts).toMatchObject({ Total: 3, Success: 3, Failure: 0 });

    const powerMaps = await smd('GET', '/sysinfo/powermaps');
    expect(powerMaps.status).toBe(200);
    expect(Array.isArray(powerMaps.body)).toBe(true);
  });

  it('4. coresmd and BSS: the public lists, NIDs as numbers, node endpoints and values', async () => {
    const components = await smd('GET', '/State/Components');
    for (const c of components.body.Components.filter((x: { Type: string }) => x.Type === 'Node'))
      expect(Number.isInteger(c.NID)).toBe(true);
    const interfaces = await smd('GET', '/Inventory/EthernetInterfaces/');
    expect(interfaces.status).toBe(200);
    const bssNodes = await smd('GET', '/Inventory/ComponentEndpoints?type=Node');
    expect(bssNodes.body.ComponentEndpoints).toHaveLength(3);
    expect((await smd('GET', '/service/values/class')).body).toHaveProperty('Class');
  });

  it('5. an admin groups and partitions the nodes; memberships follow', async () => {
    expect(
      (await smd('POST', '/groups', { label: 'Compute', description: 'compute nodes', members: { ids: NODES.slice(0, 2) } })).status,
    ).toBe(201);
    expect((await smd('POST', '/groups/compute/members', { id: NODES[2] })).status).toBe(201);
    expect((await smd('POST', '/groups', { label: 'compute' })).status).toBe(409);
    expect((await smd('POST', '/partitions', { name: 'p1', members: { ids: [NODES[0]] } })).status).toBe(201);
    expect((await smd('POST', '/partitions', { name: 'p2', members: { ids: [NODES[0]] } })).status).toBe(409);

    const membership = await smd('GET', `/memberships/${NODES[0]}`);
    expect(membership.body).toEqual({ id: NODES[0], groupLabels: ['compute'], partitionName: 'p1' });
    const inGroup = await smd('GET', '/State/Components?group=compute&partition=p1');
    expect(inGroup.body.Components.map((c: { ID: string }) => c.ID)).toEqual([NODES[0]]);

    const graph = await gw.gql('{ group(name: "compute") { components { xname state } } }');
    expect(graph.data.group.components.map((c: { xname: string }) => c.xname).sort()).toEqual(NODES);
  });

  it('6. deletes: a group, an endpoint, a component; GraphQL sees each at once', async () => {
    expect((await smd('DELETE', '/groups/compute')).status).toBe(200);
    expect((await smd('GET', '/groups/compute')).status).toBe(404);

    expect((await smd('DELETE', '/Inventory/RedfishEndpoints/x1000c0s0b2')).status).toBe(200);
    expect((await smd('GET', '/Inventory/RedfishEndpoints/x1000c0s0b2')).status).toBe(404);

    expect((await smd('DELETE', `/State/Components/${NODES[1]}`)).status).toBe(200);
    expect((await smd('GET', `/State/Components/${NODES[1]}`)).status).toBe(404);
    const graph = await gw.gql(`{ component(xname: "${NODES[1]}") { xname } }`);
    expect(graph.data.component).toBeNull();
  });

  it('7. every write of the replay is in the change log, attributed to SMD, without secrets', async () => {
    const events = await gw.db.prisma.changeEvent.findMany({ where: { source: 'smd' } });
    const actions = new Set(events.map((e) => `${e.entityType}:${e.action}`));
    for (const expected of [
      'RedfishEndpoint:created',
      'Component:created',
      'Component:updated',
      'Group:created',
      'Group:deleted',
      'Component:deleted',
    ]) {
      expect(actions).toContain(expected);
    }
    expect(JSON.stringify(events)).not.toContain(MAGELLAN_PASSWORD);
  });
});

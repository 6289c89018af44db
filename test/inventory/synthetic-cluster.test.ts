// The synthetic-cluster generator makes consistent rows, and the bulk loader writes them in one
// transaction with their change log, on the engine the suite runs on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InventoryError } from '../../src/domain/errors.js';
import { xnameType } from '../../src/domain/xname.js';
import {
  countRows,
  DIMMS_PER_NODE,
  devicesForNodes,
  GPUS_PER_NODE,
  generateCluster,
  nodesForDevices,
  type SyntheticCluster,
} from '../../src/fixtures/synthetic-cluster.js';
import { type InventoryRows, loadInventory } from '../../src/services/core/bulk-load.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { expectNothingChanged } from '../support/store-counts.js';

function duplicates(values: Array<string | number | null | undefined>): unknown[] {
  const seen = new Set<unknown>();
  const dups = new Set<unknown>();
  for (const v of values) {
    if (v == null) continue;
    if (seen.has(v)) dups.add(v);
    seen.add(v);
  }
  return [...dups];
}

/** HMS type each positioned device type must sit in. */
const POSITION_TYPE: Record<string, string> = {
  Cabinet: 'Cabinet',
  Chassis: 'Chassis',
  ComputeModule: 'ComputeModule',
  NodeBMC: 'NodeBMC',
  Node: 'Node',
  MgmtSwitch: 'MgmtSwitch',
};

describe('generateCluster', () => {
  // 300 nodes: 3 cabinets, the last one partly filled, a blade with a single node.
  const cluster = generateCluster({ nodes: 301, seed: 42 });
  const devices = new Map(cluster.devices.map((d) => [d.id, d]));
  const components = new Map(cluster.components.map((c) => [c.id, c]));

  it('is deterministic for a seed and differs between seeds', () => {
    expect(JSON.stringify(generateCluster({ nodes: 301, seed: 42 }))).toBe(JSON.stringify(cluster));
    const other = generateCluster({ nodes: 301, seed: 43 });
    expect(other.devices[0]?.id).not.toBe(cluster.devices[0]?.id);
    expect(other.devices.map((d) => d.serialNumber).filter((s) => cluster.devices.some((d) => d.serialNumber === s))).toEqual([]);
  });

  it('has the documented shape and sizes', () => {
    expect(cluster.meta).toMatchObject({ nodes: 301, cabinets: 3, chassis: 19, blades: 151 });
    expect(cluster.devices.length).toBe(devicesForNodes(301));
    const byType = (t: string) => cluster.devices.filter((d) => d.deviceType === t).length;
    expect(byType('Cabinet')).toBe(3);
    expect(byType('MgmtSwitch')).toBe(3);
    expect(byType('Node')).toBe(301);
    expect(byType('NodeBMC')).toBe(151);
    expect(byType('Memory')).toBe(301 * DIMMS_PER_NODE);
    expect(byType('GPU')).toBe(301 * GPUS_PER_NODE);
    expect(byType('NIC')).toBe(301);
    for (const target of [1_000, 20_000, 100_000]) {
      expect(Math.abs(devicesForNodes(nodesForDevices(target)) - target) / target).toBeLessThan(0.01);
    }
  });

  it('gives every position a valid xname of the right HMS type, installed by the right device', () => {
    for (const c of cluster.components) expect(xnameType(c.xname), c.xname).toBe(c.type);
    expect(duplicates(cluster.components.map((c) => c.xname))).toEqual([]);
    expect(cluster.installations.length).toBe(cluster.components.length);
    expect(duplicates(cluster.installations.map((i) => i.deviceId))).toEqual([]);
    for (const i of cluster.installations) {
      const device = devices.get(i.deviceId);
      const position = components.get(i.componentId);
      expect(device && position, i.id).toBeTruthy();
      expect(position?.type).toBe(POSITION_TYPE[device?.deviceType ?? '']);
      expect(position?.xname).toBe(device?.name);
      expect(i.open).toBe(true);
    }
    const positioned = new Set(cluster.installations.map((i) => i.deviceId));
    for (const d of cluster.devices) expect(positioned.has(d.id), d.name ?? '').toBe(d.deviceType in POSITION_TYPE);
  });

  it('numbers nodes 1..N and mixes states and roles', () => {
    const nodes = cluster.components.filter((c) => c.type === 'Node');
    expect(nodes.map((c) => c.nid).sort((a, b) => Number(a ?? 0) - Number(b ?? 0))).toEqual(Array.from({ length: 301 }, (_, i) => i + 1));
    expect(new Set(nodes.map((c) => c.state))).toEqual(new Set(['Ready', 'On', 'Off']));
    expect(new Set(nodes.map((c) => c.role))).toEqual(new Set(['Compute', 'Service', 'Management']));
    expect(nodes.filter((c) => c.role === 'Compute').length).toBeGreaterThan(280);
    expect(cluster.components.every((c) => c.flag === 'OK')).toBe(true);
  });

  it('has unique ids, serials, MACs and IPs', () => {
    const all = (Object.keys(countRows(cluster)) as Array<keyof InventoryRows>).flatMap((k) => cluster[k].map((r) => r.id));
    expect(duplicates(all)).toEqual([]);
    expect(duplicates(cluster.devices.map((d) => `${d.manufacturer}/${d.serialNumber}`))).toEqual([]);
    expect(cluster.devices.every((d) => d.serialNumber)).toBe(true);
    const macs = cluster.interfaces.map((i) => i.macAddress);
    expect(macs.every((m) => /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/.test(m ?? ''))).toBe(true);
    expect(duplicates(macs)).toEqual([]);
    expect(duplicates(cluster.ipAddresses.map((ip) => ip.address))).toEqual([]);
    expect(cluster.ipAddresses.every((ip) => /^10\.(100|254)\.\d{1,3}\.\d{1,3}$/.test(ip.address))).toBe(true);
  });

  it('builds a tree whose parents exist and come first, five levels deep', () => {
    const order = new Map(cluster.devices.map((d, i) => [d.id, i]));
    const depth = (id: string): number => {
      const parent = devices.get(id)?.parentId;
      return parent ? 1 + depth(parent) : 0;
    };
    for (const d of cluster.devices) {
      if (d.deviceType === 'Cabinet') {
        expect(d.parentId).toBeNull();
        continue;
      }
      const parent = devices.get(d.parentId ?? '');
      expect(parent, d.name ?? '').toBeDefined();
      expect(order.get(parent?.id ?? '')).toBeLessThan(order.get(d.id) ?? 0);
    }
    const depths = new Map<string, Set<number>>();
    for (const d of cluster.devices) depths.set(d.deviceType, (depths.get(d.deviceType) ?? new Set()).add(depth(d.id)));
    expect(Object.fromEntries([...depths].map(([t, s]) => [t, [...s]]))).toEqual({
      Cabinet: [0],
      MgmtSwitch: [1],
      Chassis: [1],
      ComputeModule: [2],
      NodeBMC: [3],
      Node: [3],
      Memory: [4],
      GPU: [4],
      NIC: [4],
    });
    const childTypes = (d: { id: string }) =>
      cluster.devices
        .filter((c) => c.parentId === d.id)
        .map((c) => c.deviceType)
        .sort();
    const node = cluster.devices.find((d) => d.deviceType === 'Node');
    expect(childTypes(node as { id: string })).toEqual([
      'GPU',
      'GPU',
      'Memory',
      'Memory',
      'Memory',
      'Memory',
      'Memory',
      'Memory',
      'Memory',
      'Memory',
      'NIC',
    ]);
  });

  it('links interfaces, addresses, cables and racks to rows that exist', () => {
    const interfaces = new Map(cluster.interfaces.map((i) => [i.id, i]));
    for (const i of cluster.interfaces) {
      expect(devices.has(i.deviceId ?? '')).toBe(true);
      expect(components.has(i.componentId ?? '')).toBe(true);
    }
    for (const ip of cluster.ipAddresses) expect(interfaces.has(ip.interfaceId)).toBe(true);
    expect(cluster.cables.length).toBe(301);
    expect(cluster.cableTerminations.length).toBe(602);
    expect(duplicates(cluster.cableTerminations.map((t) => t.interfaceId))).toEqual([]);
    for (const cable of cluster.cables) {
      const ends = cluster.cableTerminations.filter((t) => t.cableId === cable.id);
      expect(ends.map((t) => t.end).sort()).toEqual(['A', 'B']);
      const a = devices.get(interfaces.get(ends.find((t) => t.end === 'A')?.interfaceId ?? '')?.deviceId ?? '');
      const b = devices.get(interfaces.get(ends.find((t) => t.end === 'B')?.interfaceId ?? '')?.deviceId ?? '');
      expect([a?.deviceType, b?.deviceType]).toEqual(['NIC', 'MgmtSwitch']);
    }
    const locations = new Set(cluster.locations.map((l) => l.id));
    for (const l of cluster.locations) if (l.parentId) expect(locations.has(l.parentId)).toBe(true);
    expect(cluster.racks.length).toBe(3);
    for (const rack of cluster.racks) expect(locations.has(rack.locationId ?? '')).toBe(true);
    expect(cluster.redfishEndpoints.length).toBe(151);
    expect(cluster.redfishEndpoints.every((r) => r.password === null && xnameType(r.xname) === 'NodeBMC')).toBe(true);
  });

  it('puts nodes in groups, one exclusive set and two non-overlapping partitions', () => {
    const groups = new Map(cluster.groups.map((g) => [g.id, g]));
    const nodeIds = new Set(cluster.components.filter((c) => c.type === 'Node').map((c) => c.id));
    const membersOf = (name: string) => cluster.groupMembers.filter((m) => groups.get(m.groupId)?.name === name);
    expect(cluster.groupMembers.every((m) => nodeIds.has(m.componentId ?? '') && m.deviceId === null)).toBe(true);
    const computeCount = cluster.components.filter((c) => c.role === 'Compute').length;
    expect(membersOf('compute').length).toBe(computeCount);
    expect(membersOf('service').length).toBe(301 - computeCount);
    expect(membersOf('io').length).toBeGreaterThan(0);
    expect(membersOf('rocky9').length + membersOf('sles15').length).toBe(computeCount);
    expect(membersOf('p1').length + membersOf('p2').length).toBe(301);
    for (const m of cluster.groupMembers) {
      const g = groups.get(m.groupId);
      expect(m.exclusiveGroup ?? null).toBe(g?.kind === 'group' ? (g.exclusiveGroup ?? null) : null);
      expect(m.partition ?? null).toBe(g?.kind === 'partition' ? true : null);
    }
    // what the unique keys (exclusiveGroup, componentId) and (partition, componentId) will check
    expect(duplicates(cluster.groupMembers.filter((m) => m.exclusiveGroup).map((m) => `${m.exclusiveGroup}/${m.componentId}`))).toEqual([]);
    expect(duplicates(cluster.groupMembers.filter((m) => m.partition).map((m) => m.componentId))).toEqual([]);
    expect(cluster.clusterDefaults).toEqual([expect.objectContaining({ id: 'default', shortName: 'nid', nidLength: 6 })]);
  });

  it('gives every Json column an explicit value', () => {
    const json: Array<[keyof InventoryRows, string[]]> = [
      ['locations', ['properties']],
      ['racks', ['properties']],
      ['devices', ['properties', 'providerMetadata', 'externalIds']],
      ['interfaces', ['properties']],
      ['cables', ['properties']],
      ['groups', ['tags', 'properties']],
      ['clusterDefaults', ['publicKeys']],
      ['redfishEndpoints', ['discoveryInfo']],
    ];
    for (const [key, columns] of json) {
      for (const row of cluster[key] as Array<Record<string, unknown>>) {
        for (const column of columns) expect(row[column], `${key}.${column}`).toBeTypeOf('object');
      }
    }
  });
});

describe('loadInventory', () => {
  let gw: TestGateway;
  let cluster: SyntheticCluster;
  beforeAll(async () => {
    gw = await startTestGateway();
    cluster = generateCluster({ nodes: 85 });
  });
  afterAll(() => gw.close());

  async function countsInDatabase() {
    const p = gw.db.prisma;
    return {
      locations: await p.location.count(),
      racks: await p.rack.count(),
      devices: await p.device.count(),
      components: await p.component.count(),
      installations: await p.installation.count(),
      interfaces: await p.interface.count(),
      ipAddresses: await p.ipAddress.count(),
      cables: await p.cable.count(),
      cableTerminations: await p.cableTermination.count(),
      groups: await p.group.count(),
      groupMembers: await p.groupMember.count(),
      clusterDefaults: await p.clusterDefaults.count(),
      redfishEndpoints: await p.redfishEndpoint.count(),
    };
  }

  it('loads every row in one transaction with one created event each', async () => {
    const progress: number[] = [];
    const result = await loadInventory({ ...gw.service, source: 'seed' }, cluster, { onProgress: (p) => progress.push(p.rowsDone) });
    const expected = countRows(cluster);
    expect(result.counts).toEqual(expected);
    expect(await countsInDatabase()).toEqual(expected);
    const total = Object.values(expected).reduce((a, b) => a + b, 0);
    expect(result.events).toBe(total);
    expect(await gw.db.prisma.changeEvent.count({ where: { action: 'created', source: 'seed', actor: 'test' } })).toBe(total);
    expect(progress.at(-1)).toBe(total * 2);
    const event = await gw.db.prisma.changeEvent.findFirst({ where: { entityType: 'Device', entityId: cluster.devices[0]?.id } });
    expect(event?.after).toMatchObject({ name: 'x1000', deviceType: 'Cabinet', properties: { cooling: 'liquid' } });
    const endpointEvent = await gw.db.prisma.changeEvent.findFirst({ where: { entityType: 'RedfishEndpoint' } });
    expect(endpointEvent?.after).not.toHaveProperty('password');
  });

  it('answers GraphQL reads over the loaded rows', async () => {
    const result = await gw.gql(`{
      nodes: devices(filter: { deviceType: ["Node"] }) { totalCount }
      p1: devices(filter: { group: "p1" }) { totalCount }
      one: devices(first: 1, filter: { xname: "x1000c0s0b0n1" }) {
        edges { node { name serialNumber position { xname type nid state } parent { name deviceType } children { deviceType } } }
      }
      dimms: devices(first: 1, filter: { deviceType: ["Memory"] }) { totalCount edges { node { properties parent { deviceType } } } }
    }`);
    expect(result.errors).toBeUndefined();
    expect(result.data.nodes.totalCount).toBe(85);
    expect(result.data.p1.totalCount).toBe(43);
    const node = result.data.one.edges[0].node;
    expect(node.position).toEqual({ xname: 'x1000c0s0b0n1', type: 'Node', nid: 2, state: expect.any(String) });
    expect(node.parent).toEqual({ name: 'x1000c0s0', deviceType: 'ComputeModule' });
    expect(node.children).toHaveLength(11);
    expect(result.data.dimms.totalCount).toBe(85 * 8);
    expect(result.data.dimms.edges[0].node.properties).toMatchObject({ capacity_mib: 65536 });
  });

  it('refuses to load into a database that has devices, and stays atomic when a load fails', async () => {
    const refused = await expectNothingChanged(gw.db.prisma, () =>
      loadInventory({ ...gw.service, source: 'seed' }, generateCluster({ nodes: 4, seed: 2 })).catch((e) => e),
    );
    expect(refused).toBeInstanceOf(InventoryError);
    expect(refused).toMatchObject({ code: 'BAD_USER_INPUT', field: 'database' });
    // allowed, but the same xnames and site collide: the whole load rolls back
    const clash = await expectNothingChanged(gw.db.prisma, () =>
      loadInventory({ ...gw.service, source: 'seed' }, generateCluster({ nodes: 4, seed: 2 }), { allowNonEmpty: true }).catch((e) => e),
    );
    expect(clash).toBeInstanceOf(InventoryError);
    expect(clash.code).toBe('CONFLICT');
  });
});

describe('loadInventory strategies', () => {
  let a: TestDatabase;
  let b: TestDatabase;
  beforeAll(async () => {
    [a, b] = await Promise.all([createTestDatabase(), createTestDatabase()]);
  });
  afterAll(async () => {
    await Promise.all([a?.destroy(), b?.destroy()]);
  });

  it('writes the same rows with raw INSERTs as with createMany', async () => {
    const cluster = generateCluster({ nodes: 9, seed: 5 });
    await loadInventory({ db: a.prisma, source: 'seed' }, cluster, { strategy: 'insert' });
    await loadInventory({ db: b.prisma, source: 'seed' }, cluster, { strategy: 'createMany' });
    const volatile = new Set(['createdAt', 'updatedAt', 'installedAt', 'occurredAt', 'eventId', 'seq']);
    const strip = (rows: object[]) => rows.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => !volatile.has(k))));
    const read = async (db: TestDatabase) => ({
      devices: strip(await db.prisma.device.findMany({ orderBy: { id: 'asc' } })),
      components: strip(await db.prisma.component.findMany({ orderBy: { id: 'asc' } })),
      installations: strip(await db.prisma.installation.findMany({ orderBy: { id: 'asc' } })),
      interfaces: strip(await db.prisma.interface.findMany({ orderBy: { id: 'asc' } })),
      groups: strip(await db.prisma.group.findMany({ orderBy: { id: 'asc' } })),
      members: strip(await db.prisma.groupMember.findMany({ orderBy: { id: 'asc' } })),
      defaults: strip(await db.prisma.clusterDefaults.findMany()),
      endpoints: strip(await db.prisma.redfishEndpoint.findMany({ orderBy: { id: 'asc' } })),
      events: strip(await db.prisma.changeEvent.findMany({ orderBy: [{ entityType: 'asc' }, { entityId: 'asc' }] })),
    });
    const [ra, rb] = await Promise.all([read(a), read(b)]);
    expect(ra.devices).toHaveLength(cluster.devices.length);
    expect(ra).toEqual(rb);
    const device = await a.prisma.device.findFirst({ where: { deviceType: 'Cabinet' } });
    expect(device?.createdAt).toBeInstanceOf(Date);
    expect(Math.abs((device?.createdAt.getTime() ?? 0) - Date.now())).toBeLessThan(60_000);
    expect(device?.live).toBe(true);
  });
});

// The cani format (src/interop/cani): every schema version's fixture imports every record
// type with the edge cases (absent cable sides, devices without racks, unknown provider
// metadata, children before parents, a key-sorted file), round-trips through the export,
// re-imports as no change, dry-runs as a diff, and a bad file of each kind imports nothing
// and names the record and field. The CLI is run as its own process once.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Db, PROJECT_ROOT } from '../../src/db/client.js';
import { InventoryError } from '../../src/domain/errors.js';
import { isValidPropertyKey } from '../../src/domain/property-keys.js';
import { generateCluster } from '../../src/fixtures/synthetic-cluster.js';
import { summarizeChange } from '../../src/interop/change-summary.js';
import { exportToString, importInventory } from '../../src/interop/index.js';
import { fileSource, textSource } from '../../src/interop/source.js';
import { loadInventory } from '../../src/services/core/bulk-load.js';
import type { Change } from '../../src/services/core/change-log.js';
import type { ImportOptions } from '../../src/services/core/import-session.js';
import { createTestDatabase, TEST_ENGINE, type TestDatabase } from '../support/database.js';

const FIXTURES = join(PROJECT_ROOT, 'test/fixtures/cani');
const VERSIONS = [2, 3, 4, 5, 6];

let first: TestDatabase;
let second: TestDatabase;
beforeAll(async () => {
  [first, second] = await Promise.all([createTestDatabase(), createTestDatabase()]);
});
afterAll(async () => {
  await Promise.all([first?.destroy(), second?.destroy()]);
});

const ctxOf = (db: TestDatabase) => ({ db: db.prisma, source: 'import' as const, actor: 'import-cani.test' });
const importFile = (db: TestDatabase, file: string, options?: ImportOptions) =>
  importInventory(ctxOf(db), 'cani', fileSource(join(FIXTURES, file)), options);
const importText = (db: TestDatabase, text: string, options?: ImportOptions) =>
  importInventory(ctxOf(db), 'cani', textSource('test document', text), options);
const fixtureText = (file: string) => readFileSync(join(FIXTURES, file), 'utf8');

/** The fixtures' UUIDs: a digit per record type, then the schema version, then the ordinal. */
const KIND = { location: 1, rack: 2, device: 3, module: 4, cable: 5, fru: 6, interface: 7 };
const uuid = (kind: keyof typeof KIND, version: number, n: number) =>
  `${KIND[kind]}${version}${n.toString(16).padStart(6, '0')}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

async function emptyInventory(db: TestDatabase): Promise<void> {
  const p = db.prisma;
  await p.changeEvent.deleteMany();
  await p.cableTermination.deleteMany();
  await p.cable.deleteMany();
  await p.ipAddress.deleteMany();
  await p.interface.deleteMany();
  await p.installation.deleteMany();
  await p.groupMember.deleteMany();
  await p.group.deleteMany();
  await p.redfishEndpoint.deleteMany();
  await p.component.deleteMany();
  await p.device.updateMany({ data: { parentId: null } });
  await p.device.deleteMany();
  await p.rack.deleteMany();
  await p.location.updateMany({ data: { parentId: null } });
  await p.location.deleteMany();
}

/** Every live row the format touches, without bookkeeping columns. */
async function inventoryOf(db: Db) {
  const strip = <T extends object>(row: T) => {
    const { createdAt: _c, updatedAt: _u, revision: _r, ...rest } = row as Record<string, unknown>;
    return rest;
  };
  const live = { where: { deletedAt: null }, orderBy: { id: 'asc' as const } };
  return {
    locations: (await db.location.findMany(live)).map(strip),
    racks: (await db.rack.findMany(live)).map(strip),
    devices: (await db.device.findMany(live)).map(strip),
    interfaces: (await db.interface.findMany(live)).map(strip),
    cables: (
      await db.cable.findMany({ ...live, include: { terminations: { select: { end: true, interfaceId: true }, orderBy: { end: 'asc' } } } })
    ).map(strip),
  };
}

async function rowCounts(db: TestDatabase) {
  const p = db.prisma;
  const [locations, racks, devices, interfaces, cables, ends, events] = await Promise.all([
    p.location.count(),
    p.rack.count(),
    p.device.count(),
    p.interface.count(),
    p.cable.count(),
    p.cableTermination.count(),
    p.changeEvent.count(),
  ]);
  return { locations, racks, devices, interfaces, cables, ends, events };
}

/**
 * What a fixture creates: a row per record, the three SMD positions its devices' provider
 * metadata names (each created, then its device installed), and from v1alpha4 on the IP
 * address of the ipAddresses map on its interface.
 */
const allCreated = (v: number) => ({
  Location: { created: 4 },
  Rack: { created: 3 },
  Device: { created: 15 },
  Interface: v >= 4 ? { created: 7, updated: 1 } : { created: 7 },
  Cable: { created: 4 },
  Component: { created: 3, installed: 3 },
});
const recordsOf = (v: number) => (v >= 4 ? 34 : 33);
const changesOf = (v: number) => (v >= 4 ? 40 : 39);

describe.each(VERSIONS)('a v1alpha%i document', (v) => {
  const file = `v1alpha${v}.json`;
  const device = (n: number) => first.prisma.device.findUniqueOrThrow({ where: { id: uuid('device', v, n) } });
  beforeAll(async () => {
    await Promise.all([emptyInventory(first), emptyInventory(second)]);
  });

  it('imports every record type, one change per record and per position', async () => {
    const report = await importFile(first, file);
    expect(report).toMatchObject({ dryRun: false, records: recordsOf(v), changes: changesOf(v), counts: allCreated(v) });
    const events = await first.prisma.changeEvent.findMany({ select: { action: true, source: true } });
    expect(events).toHaveLength(changesOf(v));
    const actions = v >= 4 ? ['import:created', 'import:installed', 'import:updated'] : ['import:created', 'import:installed'];
    expect(new Set(events.map((e) => `${e.source}:${e.action}`))).toEqual(new Set(actions));
  });

  it('places devices in racks and under devices, and keeps the spares', async () => {
    const [cabinet, chassis, node, staged, spare, shelf] = await Promise.all([1, 2, 4, 5, 8, 9].map(device));
    expect(cabinet).toMatchObject({
      deviceType: 'Cabinet',
      rackId: uuid('rack', v, 2),
      parentId: null,
      rackPosition: 1,
      rackFace: 'front',
    });
    if (v === 2) {
      // v1alpha2 kept each device's derived rack: under a device, that rack takes the position.
      expect(chassis).toMatchObject({ deviceType: 'Chassis', parentId: cabinet.id, rackId: uuid('rack', v, 2), rackPosition: 3 });
      expect(chassis.properties).not.toHaveProperty('cani.rack_position');
    } else {
      // Under a device, with no rack named, the rack position has no column: it is a property.
      expect(chassis).toMatchObject({ deviceType: 'Chassis', parentId: cabinet.id, rackId: null, rackPosition: null });
      expect(chassis.properties).toMatchObject({ 'cani.rack_position': 3 });
    }
    expect(node).toMatchObject({
      deviceType: 'Node',
      parentId: uuid('device', v, 3),
      serialNumber: `SN-${v}-0004`,
      status: 'active',
      role: 'Compute',
    });
    expect(node.externalIds).toEqual({ hpcm: 'node-1' });
    // The position's keys live in the position (the export writes them back); the rest stays with the device.
    expect(node.providerMetadata).toMatchObject({ csm: { aliases: ['nid000001'] }, redfish: { bmc_fqdn: `x100${v}c0s0b0.hmn` } });
    const position = await first.prisma.component.findFirstOrThrow({
      where: { xname: `x100${v}c0s0b0n0` },
      include: { installations: true },
    });
    expect(position).toMatchObject({ type: 'Node', nid: 1n, role: 'Compute' }); // a BIGINT column: Prisma reads a bigint
    expect(position.installations.map((i) => [i.deviceId, i.open])).toEqual([[node.id, true]]);
    expect(node.properties).toMatchObject({ 'cani.tenant': 'physics', 'cani.tags': ['gpu-less'], 'cani.primary_ipv4': '10.1.0.4/16' });
    expect(staged.status).toBe('staged');
    expect(spare).toMatchObject({ parentId: null, rackId: null, locationId: null, status: 'planned' });
    expect(shelf).toMatchObject({ deviceType: 'storage-shelf', parentId: null, rackId: null, locationId: uuid('location', v, 3) });
    expect(shelf.providerMetadata).toEqual({ 'mystery-provider': { x: { y: [1, { z: null }] }, 'Spaced Key': 'kept' } });
    // cani spells the status "Active": this file's "active" is kept beside the column.
    expect(shelf.properties).toEqual({ 'cani.extra_fields': { 'Weird Field': { kept: 'verbatim' } }, 'cani.status': 'active' });
  });

  it('makes modules and FRUs child devices', async () => {
    const nic = await first.prisma.device.findUniqueOrThrow({ where: { id: uuid('module', v, 1) } });
    expect(nic).toMatchObject({ deviceType: 'NIC', parentId: uuid('device', v, 4), serialNumber: `NIC-${v}-1` });
    expect(nic.properties).toMatchObject({ 'cani.kind': 'module', 'cani.module_bay_name': 'PCIe1' });
    const frus = await first.prisma.device.findMany({
      where: { id: { in: [1, 2, 3].map((n) => uuid('fru', v, n)) } },
      orderBy: { id: 'asc' },
    });
    expect(frus.map((f) => [f.deviceType, f.parentId])).toEqual([
      ['PowerSupply', uuid('device', v, 7)],
      ['FRU', uuid('device', v, 6)],
      ['Memory', null],
    ]);
    expect(frus[1].properties).toMatchObject({ 'cani.kind': 'fru', 'cani.fru_link': 'parent' });
  });

  it('keeps locations, racks and every extra field under RFD-conformant property keys', async () => {
    const site = await first.prisma.location.findUniqueOrThrow({ where: { id: uuid('location', v, 1) } });
    expect(site.properties).toMatchObject({
      power_budget_kw: 420,
      'cani.custom_fields': { 'Rack Zone': 'north' },
      'cani.external_ids': { nautobot: `9a8b7c6d-5e4f-3a2b-1c0d-00000000000${v}` },
      'cani.provider_metadata': { 'acme-dcim': { 'Weird Key': [1, 2], nested: { deep: true } } },
      'cani.asn': 65001,
    });
    const hall = await first.prisma.location.findUniqueOrThrow({ where: { id: uuid('location', v, 4) } });
    expect(hall).toMatchObject({ locationType: 'other', parentId: site.id });
    expect(hall.properties).toMatchObject({ 'cani.location_type': 'dc' });
    const spareFrame = await first.prisma.rack.findUniqueOrThrow({ where: { id: uuid('rack', v, 3) } });
    expect(spareFrame).toMatchObject({ uHeight: 42, locationId: null, status: 'planned' });
    const { locations, racks, devices, interfaces, cables } = await inventoryOf(first.prisma);
    const keys = [...locations, ...racks, ...devices, ...interfaces, ...cables].flatMap((row) => Object.keys(row.properties as object));
    expect(keys.filter((key) => !isValidPropertyKey(key))).toEqual([]);
  });

  it('connects cables by interface UUID or by device and port, and leaves absent sides absent', async () => {
    const cables = await first.prisma.cable.findMany({
      where: { id: { in: [1, 2, 3, 4].map((n) => uuid('cable', v, n)) } },
      include: { terminations: true },
      orderBy: { id: 'asc' },
    });
    const sides = cables.map((c) => Object.fromEntries(c.terminations.map((t) => [t.end, t.interfaceId])));
    expect(sides).toEqual([
      { A: uuid('interface', v, 1), B: uuid('interface', v, 3) },
      { A: uuid('interface', v, 7), B: uuid('interface', v, 6) },
      { A: uuid('interface', v, 4) },
      {},
    ]);
    expect(cables[0]).toMatchObject({ cableType: 'cat6a', length: 2.5, lengthUnit: 'm', color: 'blue', status: 'connected' });
    expect(cables[3].status).toBe('planned');
    const [mgmt, onModule, ib] = await Promise.all(
      [1, 2, 5].map((n) => first.prisma.interface.findUniqueOrThrow({ where: { id: uuid('interface', v, n) } })),
    );
    expect(mgmt).toMatchObject({ macAddress: `02:00:00:0${v}:00:01`, mgmtOnly: true, kind: 'ethernet', deviceId: uuid('device', v, 4) });
    expect(onModule.deviceId).toBe(uuid('module', v, 1));
    expect(ib.kind).toBe('infiniband');
  });

  it('exports v1alpha6 that re-imports as no change, and as the same inventory into an empty database', async () => {
    const exported = await exportToString(first.prisma, 'cani');
    const document = JSON.parse(exported);
    expect(document.schemaVersion).toBe('v1alpha6');
    expect(Object.keys(document.devices)).toHaveLength(9);
    expect(Object.keys(document.modules)).toHaveLength(3);
    expect(Object.keys(document.frus)).toHaveLength(3);
    const before = await rowCounts(first);
    expect(await importText(first, exported)).toMatchObject({ records: recordsOf(v), changes: 0, counts: {} });
    expect(await importFile(first, file)).toMatchObject({ records: recordsOf(v), changes: 0 });
    expect(await rowCounts(first)).toEqual(before);

    expect(await importText(second, exported)).toMatchObject({ changes: changesOf(v), counts: allCreated(v) });
    expect(await inventoryOf(second.prisma)).toEqual(await inventoryOf(first.prisma));
    expect(JSON.parse(await exportToString(second.prisma, 'cani'))).toEqual(document);
  });
});

describe('re-imports, dry runs and progress', () => {
  const v = 6;
  beforeAll(async () => {
    await emptyInventory(first);
  });

  it('a dry run reports every change and writes nothing', async () => {
    const seen: Change[] = [];
    const report = await importFile(first, 'v1alpha6.json', { dryRun: true, onChange: (c) => seen.push(c) });
    expect(report).toMatchObject({ dryRun: true, changes: changesOf(v), counts: allCreated(v) });
    expect(seen).toHaveLength(changesOf(v));
    expect(await rowCounts(first)).toEqual({ locations: 0, racks: 0, devices: 0, interfaces: 0, cables: 0, ends: 0, events: 0 });
  });

  it('shows progress as records are applied', async () => {
    const progress: number[] = [];
    await importFile(first, 'v1alpha6.json', { progressEvery: 10, onProgress: ({ records }) => progress.push(records) });
    expect(progress).toEqual([10, 20, 30, 34]);
  });

  it('a changed file updates only what changed, never duplicates; its dry run is that diff', async () => {
    const document = JSON.parse(fixtureText('v1alpha6.json'));
    document.devices[uuid('device', v, 4)].serial = 'SN-REPLACED';
    document.cables[uuid('cable', v, 1)].length = 3;
    document.interfaces[uuid('interface', v, 7)].macAddress = '02:00:00:06:99:07';
    const newNode = 'c0ffee00-0000-4000-8000-000000000001';
    document.devices[newNode] = { id: newNode, name: 'late-node', type: 'node', parent: uuid('device', v, 3) };
    const changed = JSON.stringify(document);
    const before = await rowCounts(first);

    const seen: Change[] = [];
    const dry = await importText(first, changed, { dryRun: true, onChange: (c) => seen.push(c) });
    expect(dry.changes).toBe(4);
    expect(
      seen
        .map(summarizeChange)
        .map(({ entityType, action, fields }) => [entityType, action, fields.map((f) => `${f.field}: ${f.from} -> ${f.to}`)]),
    ).toEqual([
      ['Device', 'updated', ['serialNumber: SN-6-0004 -> SN-REPLACED']],
      ['Device', 'created', []],
      ['Cable', 'updated', ['length: 2.5 -> 3']],
      ['Interface', 'updated', ['macAddress: 02:00:00:06:00:07 -> 02:00:00:06:99:07']],
    ]);
    expect(await rowCounts(first)).toEqual(before);

    const applied = await importText(first, changed);
    expect(applied.counts).toEqual({ Device: { updated: 1, created: 1 }, Cable: { updated: 1 }, Interface: { updated: 1 } });
    expect(await rowCounts(first)).toEqual({ ...before, devices: before.devices + 1, events: before.events + 4 });
    expect((await first.prisma.device.findUniqueOrThrow({ where: { id: newNode } })).parentId).toBe(uuid('device', v, 3));
    expect(await importText(first, changed)).toMatchObject({ changes: 0 });
  });

  it('moves a device under a rack that comes later in the file, as one change', async () => {
    const document = JSON.parse(await exportToString(first.prisma, 'cani'));
    const spare = uuid('device', v, 8);
    const laterRack = 'ffff0000-0000-4000-8000-000000000001';
    Object.assign(document.devices[spare], { parent: laterRack, rackPosition: 20 });
    // Racks normally come before devices: put them last so the device's link waits for the file's end.
    const { racks, ...rest } = document;
    const reordered = { ...rest, racks: { ...racks, [laterRack]: { id: laterRack, name: 'late rack', uHeight: 42 } } };
    const seen: Change[] = [];
    await importText(first, JSON.stringify(reordered), { onChange: (c) => seen.push(c) });
    expect(
      seen
        .map(summarizeChange)
        .map(({ entityType, entityId, action, fields }) => [entityType, entityId, action, fields.map((f) => f.field)]),
    ).toEqual([
      ['Rack', laterRack, 'created', []],
      ['Device', spare, 'updated', ['rackId', 'rackPosition']],
    ]);
    expect(await first.prisma.device.findUniqueOrThrow({ where: { id: spare } })).toMatchObject({
      rackId: laterRack,
      rackPosition: 20,
      parentId: null,
    });
  });

  it('moves an existing device under a device new in the same batch, written first', async () => {
    const document = JSON.parse(await exportToString(first.prisma, 'cani'));
    const spare = uuid('device', v, 8);
    const newChassis = 'eeee0000-0000-4000-8000-000000000001';
    // New devices of a batch are written together at its end: the existing spare read after
    // the chassis must not be moved under it before the chassis is there.
    const { [spare]: spareRecord, ...others } = document.devices;
    document.devices = {
      ...others,
      [newChassis]: { id: newChassis, type: 'Chassis', name: 'new chassis', status: 'active' },
      [spare]: { ...spareRecord, parent: newChassis, rackPosition: null },
    };
    const report = await importText(first, JSON.stringify(document));
    expect(report.counts.Device).toMatchObject({ created: 1, moved: 1 });
    expect((await first.prisma.device.findUniqueOrThrow({ where: { id: spare } })).parentId).toBe(newChassis);
    expect(await importText(first, JSON.stringify(document))).toMatchObject({ changes: 0 });
  });

  it('an inventory built through the services (the synthetic cluster) exports and re-imports as no change', async () => {
    await emptyInventory(second);
    await loadInventory({ db: second.prisma, source: 'seed' }, generateCluster({ nodes: 16, seed: 'cani' }), { engine: TEST_ENGINE });
    const exported = await exportToString(second.prisma, 'cani');
    const document = JSON.parse(exported);
    expect(Object.keys(document.devices).length).toBe(await second.prisma.device.count());
    expect(Object.keys(document.cables).length).toBe(await second.prisma.cable.count());
    const report = await importText(second, exported);
    expect(report.records).toBeGreaterThan(200);
    expect(report).toMatchObject({ changes: 0, counts: {} });
  });

  it('a key given twice keeps the last record, as cani does', async () => {
    const id = 'dddd0000-0000-4000-8000-000000000001';
    const text = `{"schemaVersion": "v1alpha6", "devices": {"${id}": {"name": "first", "type": "node"}, "${id}": {"name": "second", "type": "node"}}}`;
    expect(await importText(first, text)).toMatchObject({ records: 2, counts: { Device: { created: 1, updated: 1 } } });
    expect((await first.prisma.device.findUniqueOrThrow({ where: { id } })).name).toBe('second');
  });

  it('reads a document without schemaVersion as v1alpha2, as cani does', async () => {
    await emptyInventory(second);
    const text = fixtureText('v1alpha2.json').replace('"schemaVersion": "v1alpha2",', '');
    expect(await importText(second, text)).toMatchObject({ changes: changesOf(2) });
  });
});

describe('bad files import nothing and name the record and field', () => {
  const D3 = 'b3000003-0000-4000-8000-000000000003';
  const cases: Array<[string, string, string, RegExp]> = [
    ['malformed.json', 'BAD_USER_INPUT', `devices.${D3}`, /malformed JSON/],
    ['truncated.json', 'BAD_USER_INPUT', 'interfaces.b7000002-0000-4000-8000-000000000002', /malformed JSON|ends before/],
    ['unknown-version.json', 'BAD_USER_INPUT', 'schemaVersion', /"v1alpha9" is not a version/],
    // v1alpha1 is upgraded as cani does; this one's status is no status at all, named as the file spells it.
    ['legacy-v1alpha1.json', 'BAD_USER_INPUT', 'Hardware.b3000001-0000-4000-8000-000000000001.Status', /must be one of cani's statuses/],
    ['not-an-object.json', 'BAD_USER_INPUT', 'document', /one JSON object/],
    ['section-as-list.json', 'BAD_USER_INPUT', 'devices', /keyed by UUID/],
    ['mismatched-id.json', 'BAD_USER_INPUT', `devices.${D3}.id`, /must repeat the record's key/],
    ['bad-rack-position.json', 'BAD_USER_INPUT', `devices.${D3}.rackPosition`, /whole number/],
    ['rack-position-outside-rack.json', 'BAD_USER_INPUT', `devices.${D3}.rackPosition`, /42 units/],
    ['bad-status.json', 'BAD_USER_INPUT', `devices.${D3}.status`, /must be one of/],
    ['missing-parent.json', 'BAD_USER_INPUT', `devices.${D3}.parent`, /neither a record of this file nor a live rack or device/],
    ['duplicate-serial.json', 'CONFLICT', `devices.${D3}.serial`, /already exists/],
    // The second device links to the first at once; the first one's deferred link closes the cycle.
    ['parent-cycle.json', 'BAD_USER_INPUT', 'devices.b3000001-0000-4000-8000-000000000001.parent', /cycle/],
    ['bad-mac.json', 'BAD_USER_INPUT', 'interfaces.b7000002-0000-4000-8000-000000000002.macAddress', /MAC address/],
    [
      'half-cable-side.json',
      'BAD_USER_INPUT',
      'cables.b5000001-0000-4000-8000-000000000001.terminationAPort',
      /names a device but no port/,
    ],
    ['cable-side-other-device.json', 'BAD_USER_INPUT', 'cables.b5000001-0000-4000-8000-000000000001.terminationADevice', /belongs to/],
    ['cable-port-missing.json', 'BAD_USER_INPUT', 'cables.b5000001-0000-4000-8000-000000000001.terminationAPort', /port "eth9"/],
  ];

  beforeAll(async () => {
    await emptyInventory(second);
    await importFile(second, 'v1alpha3.json');
  });

  it.each(cases)('%s: %s at %s', async (file, code, field, message) => {
    const before = await rowCounts(second);
    const error = await importFile(second, `bad/${file}`).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(InventoryError);
    expect(error).toMatchObject({ code, field });
    expect((error as Error).message).toMatch(message);
    expect(await rowCounts(second)).toEqual(before);
  });
});

// Every run starts a process (and on PostgreSQL waits for its pool to close): the cases run
// concurrently, the bad file against the other database. Three processes in a row take a while
// on a busy machine.
const CLI_TIMEOUT = 240_000;
describe.concurrent('the inventory-gateway command', () => {
  const run = promisify(execFile);
  const cli = (db: TestDatabase, ...args: string[]) =>
    run(process.execPath, ['bin/inventory-gateway.mjs', ...args, '--database-url', db.url], { cwd: PROJECT_ROOT });
  let dir: string;
  beforeAll(async () => {
    await Promise.all([emptyInventory(first), emptyInventory(second)]);
    dir = mkdtempSync(join(tmpdir(), 'cani-cli-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it(
    'imports a file; its export piped into a dry run from standard input prints no change',
    async () => {
      const imported = await cli(first, 'import', 'cani', join(FIXTURES, 'v1alpha4.json'));
      expect(imported.stderr).toMatch(/cani: 34 records, 40 changes/);
      expect(imported.stderr).toMatch(/imported: 34 records from .*v1alpha4\.json .*Device 15 created/);
      const output = join(dir, 'export.json');
      const gateway = `${JSON.stringify(process.execPath)} bin/inventory-gateway.mjs`;
      const url = JSON.stringify(first.url);
      const piped = await run(
        'sh',
        [
          '-c',
          `${gateway} export cani --database-url ${url} | tee ${JSON.stringify(output)} | ${gateway} import cani - --dry-run --database-url ${url}`,
        ],
        {
          cwd: PROJECT_ROOT,
        },
      );
      expect(JSON.parse(readFileSync(output, 'utf8'))).toMatchObject({ schemaVersion: 'v1alpha6' });
      expect(piped.stdout).toBe('');
      // The export reports what it wrote on standard error (the pipe carries the data only).
      expect(piped.stderr).toContain(`exported cani: ${statSync(output).size} bytes`);
      expect(piped.stderr).toMatch(/to standard output in \d+\.\d s/);
      expect(piped.stderr).toMatch(/dry run, nothing written: 34 records from standard input .*no changes/);
    },
    CLI_TIMEOUT,
  );

  it(
    'refuses a bad file with status 1, naming the record and field',
    async () => {
      const failed = await cli(second, 'import', 'cani', join(FIXTURES, 'bad/bad-mac.json'), '--quiet').then(
        () => undefined,
        (e: { code: number; stderr: string }) => e,
      );
      expect(failed?.code).toBe(1);
      expect(failed?.stderr).toMatch(/interfaces\.b7000002-0000-4000-8000-000000000002\.macAddress: must be a MAC address/);
    },
    CLI_TIMEOUT,
  );
});

describe('links to records later in the file', () => {
  const ids = (...prefixes: string[]) => prefixes.map((p) => `${p}-0000-4000-8000-000000000001`);
  const withDb = async (check: (db: TestDatabase) => Promise<void>) => {
    const db = await createTestDatabase();
    try {
      await check(db);
    } finally {
      await db.destroy();
    }
  };

  it('writes a new device read before its parent at once, linked, and checks the link when the parent comes', async () => {
    // cani keys devices by UUID, so a node may come before its blade and the blade before its
    // chassis. Racks come first in cani's order: with every rack read, a parent not there yet
    // can only be a device.
    const [node, blade, chassis] = ids('dd410001', 'dd420001', 'dd430001');
    const text = JSON.stringify({
      schemaVersion: 'v1alpha6',
      racks: {},
      devices: {
        [node]: { id: node, name: 'node', type: 'node', parent: blade },
        [blade]: { id: blade, name: 'blade', type: 'blade', parent: chassis },
        [chassis]: { id: chassis, name: 'chassis', type: 'chassis' },
      },
    });
    await withDb(async (db) => {
      const seen: Change[] = [];
      const report = await importText(db, text, { onChange: (c) => seen.push(c) });
      expect(report.counts).toEqual({ Device: { created: 3 } });
      // Each row written once, already linked, in file order; its one change is that row.
      expect(seen.map((c) => [c.entityId, c.action, (c.after as { parentId: string | null }).parentId])).toEqual([
        [node, 'created', blade],
        [blade, 'created', chassis],
        [chassis, 'created', null],
      ]);
      const rows = await db.prisma.device.findMany({ where: { id: { in: [node, blade, chassis] } }, orderBy: { name: 'asc' } });
      expect(rows.map((r) => [r.name, r.parentId, r.revision])).toEqual([
        ['blade', chassis, 1],
        ['chassis', null, 1],
        ['node', blade, 1],
      ]);
      expect(await importText(db, text)).toMatchObject({ changes: 0 });
    });
  });

  it('a FRU written before the module holding its serial gives the serial up when the module comes', async () => {
    const [server, psu, fru] = ids('dd330001', 'dd340001', 'dd360001');
    const text = JSON.stringify({
      schemaVersion: 'v1alpha6',
      frus: { [fru]: { id: fru, name: 'PSU bay', manufacturer: 'HPE', serial: 'PSU-9', device: server } },
      modules: { [psu]: { id: psu, name: 'psu', type: 'power-supply', manufacturer: 'HPE', serial: 'PSU-9', parentDevice: server } },
      devices: { [server]: { id: server, name: 'server', type: 'node', manufacturer: 'HPE', serial: 'SRV-9' } },
    });
    await withDb(async (db) => {
      // Written under its device at once with the serial (cani's order has modules before FRUs), then given up.
      expect((await importText(db, text)).counts.Device).toEqual({ created: 3, updated: 1 });
      const row = await db.prisma.device.findUniqueOrThrow({ where: { id: fru } });
      expect(row).toMatchObject({ parentId: server, serialNumber: null, revision: 2 });
      expect(row.properties).toMatchObject({ 'cani.serial': 'PSU-9' });
      expect(await db.prisma.device.findUniqueOrThrow({ where: { id: psu } })).toMatchObject({ parentId: server, serialNumber: 'PSU-9' });
      expect(await importText(db, text)).toMatchObject({ changes: 0 });
    });
  });

  it('refuses a device written under a parent that never comes, naming the first one and changing nothing', async () => {
    const [module, lost, other] = ids('dd470001', 'dd480001', 'dd490001');
    const text = JSON.stringify({
      schemaVersion: 'v1alpha6',
      racks: {},
      devices: { [other]: { id: other, name: 'other', type: 'node' } },
      modules: { [module]: { id: module, name: 'dimm', type: 'memory', parentDevice: lost } },
    });
    await withDb(async (db) => {
      const error = await importText(db, text).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InventoryError);
      expect((error as InventoryError).message).toContain(`modules.${module}.parentDevice`);
      expect((error as InventoryError).message).toContain(lost);
      expect(await db.prisma.device.count()).toBe(0);
    });
  });

  it('refuses devices written under each other (a cycle), once the last of them is written', async () => {
    const [a, b] = ids('dd510001', 'dd520001');
    const text = JSON.stringify({
      schemaVersion: 'v1alpha6',
      racks: {},
      devices: { [a]: { id: a, name: 'a', type: 'node', parent: b }, [b]: { id: b, name: 'b', type: 'blade', parent: a } },
    });
    await withDb(async (db) => {
      const error = await importText(db, text).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InventoryError);
      expect((error as InventoryError).message).toMatch(/cycle/);
      expect((error as InventoryError).message).toContain(`devices.${a}.parent`);
      expect(await db.prisma.device.count()).toBe(0);
    });
  });

  it('a key given again while its first record waits for its parent: the last record wins, linked', async () => {
    const [node, blade] = ids('dd440001', 'dd450001');
    const text = `{"schemaVersion": "v1alpha6", "devices": {
      "${node}": {"name": "first", "type": "node", "parent": "${blade}"},
      "${node}": {"name": "second", "type": "node", "parent": "${blade}"},
      "${blade}": {"name": "blade", "type": "blade"}}}`;
    await withDb(async (db) => {
      // The first record is filed as written (created, unlinked); the last one renames the row and links it.
      expect(await importText(db, text)).toMatchObject({ records: 3, counts: { Device: { created: 2, moved: 1 } } });
      expect(await db.prisma.device.findUniqueOrThrow({ where: { id: node } })).toMatchObject({ name: 'second', parentId: blade });
    });
  });

  it('a new device whose parent is a rack after all (racks last) is linked once the file is read', async () => {
    const [node, rack] = ids('dd460001', 'dd020001');
    const text = JSON.stringify({
      schemaVersion: 'v1alpha6',
      devices: { [node]: { id: node, name: 'node', type: 'node', parent: rack, rackPosition: 7 } },
      racks: { [rack]: { id: rack, name: 'late rack', uHeight: 42 } },
    });
    await withDb(async (db) => {
      expect((await importText(db, text)).counts).toEqual({ Rack: { created: 1 }, Device: { created: 1 } });
      expect(await db.prisma.device.findUniqueOrThrow({ where: { id: node } })).toMatchObject({
        rackId: rack,
        rackPosition: 7,
        parentId: null,
      });
    });
  });

  it('re-reads a deferred FRU that a later record wrote before its link was set', async () => {
    // The FRU waits for its device (last in the file) and for its location (after it): such a
    // device is written at once and linked at the end. The location comes next; the module after
    // that holds the same serial, so the FRU gives the serial up (another write of its row)
    // before its link is set at the file's end.
    const [server, psu, fru, hall] = ids('dd330001', 'dd340001', 'dd360001', 'dd010001');
    const text = JSON.stringify({
      schemaVersion: 'v1alpha6',
      frus: { [fru]: { id: fru, name: 'PSU bay', manufacturer: 'HPE', serial: 'PSU-9', device: server, location: hall } },
      locations: { [hall]: { id: hall, name: 'hall', locationType: 'site', status: 'Active' } },
      modules: { [psu]: { id: psu, name: 'psu', type: 'power-supply', manufacturer: 'HPE', serial: 'PSU-9', parentDevice: server } },
      devices: { [server]: { id: server, name: 'server', type: 'node', manufacturer: 'HPE', serial: 'SRV-9' } },
    });
    await withDb(async (db) => {
      const report = await importText(db, text);
      expect(report.counts.Device).toEqual({ created: 3, updated: 1 });
      const row = await db.prisma.device.findUniqueOrThrow({ where: { id: fru } });
      // Created, serial given up, then linked: three writes of the row.
      expect(row).toMatchObject({ parentId: server, locationId: hall, serialNumber: null, revision: 3 });
      expect(row.properties).toMatchObject({ 'cani.serial': 'PSU-9' });
      expect(await db.prisma.device.findUniqueOrThrow({ where: { id: psu } })).toMatchObject({ parentId: server, serialNumber: 'PSU-9' });
    });
  });
});

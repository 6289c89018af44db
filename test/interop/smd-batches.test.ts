// The smd import writes a dump in batches (src/interop/smd/batches.ts) through the bulk
// writers, and that changes nothing of its meaning: a dump imported in batches of 2, or of 500,
// makes the same changes and leaves the same store as one imported record by record (batches
// of 1), repeats and records that depend on each other across batches included; a refused
// record in a later batch is named by its own index and key, and nothing of the earlier
// batches stays; importing the export again changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stableJson } from '../../src/domain/stable-json.js';
import { exportToString } from '../../src/interop/index.js';
import { readSmd } from '../../src/interop/smd/index.js';
import { textSource } from '../../src/interop/source.js';
import { type ImportReport, runImport } from '../../src/services/core/import-session.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { refusal } from '../support/list-writes.js';

const SIZES = [1, 2, 500] as const;
let dbs: TestDatabase[];

beforeAll(async () => {
  dbs = await Promise.all(SIZES.map(() => createTestDatabase()));
});
afterAll(async () => {
  await Promise.all(dbs.map((db) => db?.destroy()));
});

function importIn(db: TestDatabase, document: unknown, batchSize: number, dryRun = false): Promise<ImportReport> {
  return runImport({ db: db.prisma, source: 'import', actor: 'smd-batches.test' }, { dryRun }, (session) =>
    readSmd(textSource('dump', JSON.stringify(document)), session, batchSize),
  );
}

/**
 * The export, each collection's records in a stable order (the store lists them as they were
 * inserted, which the batches may change) and without LastUpdate (the time they were written).
 */
async function exported(db: TestDatabase): Promise<Record<string, string[]>> {
  const dump = JSON.parse(await exportToString(db.prisma, 'smd')) as Record<string, unknown>;
  return Object.fromEntries(
    Object.entries(dump).map(([path, value]) => {
      const list = (Array.isArray(value) ? value : Object.values(value as object)[0]) as Array<Record<string, unknown>>;
      return [path, list.map((record) => stableJson({ ...record, LastUpdate: undefined })).sort()];
    }),
  );
}

const frued = (serial: string) => ({
  NodeFRUInfo: { Manufacturer: 'HPE', Model: 'EX425', PartNumber: '102901500', SerialNumber: serial },
});

// With batches of 2, each collection's repeats fall both within a batch and across batches.
const DUMP = {
  'State/Components': {
    Components: [
      { ID: 'x1000c0s0b0n0', State: 'On', NID: 1 },
      { ID: 'x1000c0s0b0n1', State: 'On', NID: 2 },
      { ID: 'x1000c0s0b0', State: 'Ready' },
      { ID: 'x1000c0s0b0n0', State: 'Off', NID: 3 }, // moves off NID 1 (another batch)
      { ID: 'x1000c0s1b0n0', State: 'On', NID: 1 }, // takes it
      { ID: 'x1000c0s1b0n0', State: 'On', Flag: 'Warning', NID: 1 }, // a repeat in the same batch
      { ID: 'x1000c0s1b0', State: 'Ready' },
    ],
  },
  'Inventory/RedfishEndpoints': {
    RedfishEndpoints: [
      { ID: 'x1000c0s0b0', Hostname: 'x1000c0s0b0', Domain: 'hmn', Enabled: true },
      { ID: 'x1000c0s1b0', Hostname: 'x1000c0s1b0', Domain: 'hmn', Enabled: true },
      { ID: 'x1000c0s0b0', Hostname: 'x1000c0s0b0', Domain: 'hmn', Enabled: false },
    ],
  },
  'Inventory/EthernetInterfaces': [
    { MACAddress: '02:00:00:00:00:01', ComponentID: 'x1000c0s0b0n0', IPAddresses: [{ IPAddress: '10.0.0.1' }] },
    { MACAddress: '020000000001', ComponentID: 'x1000c0s0b0n1', IPAddresses: [{ IPAddress: '10.0.0.2' }] }, // the same MAC, same batch
    { MACAddress: '02:00:00:00:00:02', ComponentID: 'x1000c0s1b0n0', IPAddresses: [] },
  ],
  groups: [{ label: 'compute', members: { ids: ['x1000c0s0b0n0', 'x1000c0s0b0n1'] } }],
  'Inventory/Hardware': [
    { ID: 'x1000c0s0b0n0', Type: 'Node', Ordinal: 0, Status: 'Populated', NodeLocationInfo: {}, PopulatedFRU: frued('S1') },
    { ID: 'x1000c0s0b0n1', Type: 'Node', Ordinal: 1, Status: 'Populated', NodeLocationInfo: {}, PopulatedFRU: frued('S1') }, // moves S1
    { ID: 'x1000c0s0b0n0', Type: 'Node', Ordinal: 0, Status: 'Populated', NodeLocationInfo: {}, PopulatedFRU: frued('S2') },
    { ID: 'x1000c0s1b0n0', Type: 'Node', Ordinal: 0, Status: 'Empty', NodeLocationInfo: {} },
  ],
};

describe('an smd import in batches', () => {
  it('makes the same changes and leaves the same store in batches of 1, 2 and 500', async () => {
    const reports = await Promise.all(dbs.map((db, i) => importIn(db, DUMP, SIZES[i])));
    for (const report of reports) {
      expect(report.records).toBe(18);
      expect(report.counts).toEqual(reports[0].counts);
      expect(report.changes).toBe(reports[0].changes);
    }
    expect(reports[0].counts).toMatchObject({
      Component: { created: 5, updated: 4, installed: 3, removed: 1 },
      RedfishEndpoint: { created: 2, updated: 1 },
      Interface: { created: 2, moved: 1 },
      Device: { created: 2 },
      Group: { created: 1 },
    });
    const [one, ...others] = await Promise.all(dbs.map(exported));
    for (const other of others) expect(other).toEqual(one);
    const nids = await dbs[1].prisma.component.findMany({ where: { nid: { not: null } }, orderBy: { xname: 'asc' } });
    expect(nids.map((c) => [c.xname, Number(c.nid), c.flag])).toEqual([
      ['x1000c0s0b0n0', 3, 'OK'],
      ['x1000c0s0b0n1', 2, 'OK'],
      ['x1000c0s1b0n0', 1, 'Warning'],
    ]);
  });

  it('imports its own export again as no change, in batches of any size', async () => {
    const dump = JSON.parse(await exportToString(dbs[0].prisma, 'smd'));
    for (const [i, db] of dbs.entries()) {
      const events = await db.prisma.changeEvent.count();
      const report = await importIn(db, dump, SIZES[i]);
      expect(report.changes, `batches of ${SIZES[i]}`).toBe(0);
      expect(await db.prisma.changeEvent.count()).toBe(events);
    }
  });

  it('dry-runs as the same diff in batches of 2 as of 500, writing nothing', async () => {
    // (DUMP itself would not import again: its first record takes a NID a later one gave away.)
    const changed = JSON.parse(await exportToString(dbs[1].prisma, 'smd'));
    changed['State/Components'].Components.push({ ID: 'x1000c0s2b0n0', State: 'On', NID: 9 });
    const before = await exported(dbs[1]);
    const dry = await importIn(dbs[1], changed, 2, true);
    expect(await exported(dbs[1])).toEqual(before);
    const inOne = await importIn(dbs[2], changed, 500, true);
    expect(dry.counts).toEqual(inOne.counts);
    expect(dry.counts).toEqual({ Component: { created: 1 } });
  });
});

describe('a refused record in a later batch', () => {
  let empty: TestDatabase;
  beforeAll(async () => {
    empty = await createTestDatabase();
  });
  afterAll(() => empty?.destroy());

  async function nothingWritten() {
    expect(await empty.prisma.component.count()).toBe(0);
    expect(await empty.prisma.device.count()).toBe(0);
    expect(await empty.prisma.changeEvent.count()).toBe(0);
  }

  it('is named by its own index, field and key, and nothing of the earlier batches stays', async () => {
    const components = Array.from({ length: 7 }, (_, i) => ({ ID: `x2000c0s${i}b0n0`, State: i === 5 ? 'Sideways' : 'On' }));
    const error = await refusal(() => importIn(empty, { 'State/Components': { Components: components } }, 2));
    expect(error).toMatchObject({ code: 'BAD_USER_INPUT', field: 'State/Components.5.State' });
    expect(error.message).toContain('State/Components record 5 (x2000c0s5b0n0): State:');
    await nothingWritten();

    const hardware = Array.from({ length: 5 }, (_, i) => ({
      ID: `x2000c0s${i}b0n0`,
      Type: 'Node',
      Status: i === 3 ? 'x'.repeat(65) : 'Populated',
      NodeLocationInfo: {},
      PopulatedFRU: frued(`H${i}`),
    }));
    const bad = await refusal(() => importIn(empty, { 'Inventory/Hardware': hardware }, 2));
    expect(bad).toMatchObject({ field: 'Inventory/Hardware.3.Status' });
    expect(bad.message).toContain('Inventory/Hardware record 3 (x2000c0s3b0n0): Status:');
    await nothingWritten();
  });

  it('that needs what a later record does is refused as one by one would, whatever the batches', async () => {
    const taking = [
      { ID: 'x2000c0s0b0n0', State: 'On', NID: 5 },
      { ID: 'x2000c0s0b0n1', State: 'On' },
      { ID: 'x2000c0s1b0n0', State: 'On', NID: 5 }, // NID 5 is only freed by the next record
      { ID: 'x2000c0s0b0n0', NID: 6 },
    ];
    for (const size of SIZES) {
      const error = await refusal(() => importIn(empty, { 'State/Components': { Components: taking } }, size));
      expect(error, `batches of ${size}`).toMatchObject({ code: 'CONFLICT', field: 'State/Components.2.NID' });
      expect(error.message).toBe('State/Components record 2 (x2000c0s1b0n0): NID: NID 5 is already used by component x2000c0s0b0n0');
      await nothingWritten();
    }
    // In the other order the NID is free by the time it is taken.
    const [first, second, third, fourth] = taking;
    const report = await importIn(empty, { 'State/Components': { Components: [first, second, fourth, third] } }, 2);
    expect(report.counts).toEqual({ Component: { created: 3, updated: 1 } });
  });
});

// The reference-repository format: a generated tree of hundreds of nodes goes in from its
// directory and comes back out unchanged (as one document and as files); re-imports change
// nothing; an edited node changes exactly what was edited (and a dry run reports it without
// writing); hand-written edge cases survive the round trip; bad files import nothing and name
// the node and field; the command line does the same as a child process.
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/db/client.js';
import { InventoryError } from '../../src/domain/errors.js';
import { PROPERTY_KEY_PATTERN } from '../../src/domain/property-keys.js';
import {
  generateReferenceTree,
  type ReferenceTree,
  referenceDocument,
  writeReferenceTree,
} from '../../src/fixtures/reference-repository.js';
import { exportToString, importInventory } from '../../src/interop/index.js';
import { referenceExport } from '../../src/interop/reference/index.js';
import { fileSource, textSource } from '../../src/interop/source.js';
import type { Change } from '../../src/services/core/change-log.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

const NODES = 200;
const FIXTURES = join(PROJECT_ROOT, 'test/fixtures/reference');

type Doc = Record<string, any>;
const byUid = (a: Doc, b: Doc) => String(a.uid).localeCompare(String(b.uid));

/** A document with sites, clusters, nodes and flavors in uid order (the export's order). */
function canonical(doc: Doc): Doc {
  const parsed = JSON.parse(JSON.stringify(doc));
  return {
    ...parsed,
    sites: [...parsed.sites].sort(byUid).map((site: Doc) => ({
      ...site,
      clusters: [...site.clusters].sort(byUid).map((cluster: Doc) => ({ ...cluster, nodes: [...cluster.nodes].sort(byUid) })),
      ...(site.flavors ? { flavors: [...site.flavors].sort(byUid) } : {}),
    })),
  };
}

/** Every file under `root` (relative path → parsed JSON), dot-directories left out. */
function filesOf(root: string): Map<string, unknown> {
  const files = new Map<string, unknown>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      if (name.startsWith('.')) continue;
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.set(relative(root, path), JSON.parse(readFileSync(path, 'utf8')));
    }
  };
  walk(root);
  return files;
}

async function rowCounts(db: TestDatabase) {
  const p = db.prisma;
  const [locations, groups, devices, interfaces, members, events] = await Promise.all([
    p.location.count(),
    p.group.count(),
    p.device.count(),
    p.interface.count(),
    p.groupMember.count(),
    p.changeEvent.count(),
  ]);
  return { locations, groups, devices, interfaces, members, events };
}

function partsOf(tree: ReferenceTree) {
  const nodes = tree.sites.flatMap((s) => s.clusters.flatMap((c) => c.nodes));
  return {
    nodes: nodes.length,
    adapters: nodes.reduce((n, node) => n + (node.network_adapters as unknown[]).length, 0),
    drives: nodes.reduce((n, node) => n + (node.storage_devices as unknown[]).length, 0),
    gpus: nodes.reduce((n, node) => n + (((node.gpu as Doc | undefined)?.gpu_count as number | undefined) ?? 0), 0),
    clusters: tree.sites.reduce((n, s) => n + s.clusters.length, 0),
    flavors: tree.sites.reduce((n, s) => n + s.flavors.length, 0),
    sites: tree.sites.length,
  };
}

const ctx = (db: TestDatabase) => ({ db: db.prisma, source: 'import' as const, actor: 'test' });
const exported = async (db: TestDatabase) => canonical(JSON.parse(await exportToString(db.prisma, 'reference')));

let db: TestDatabase;
let edgeDb: TestDatabase;
let work: string;
const tree = generateReferenceTree({ nodes: NODES, seed: 7 });
const parts = partsOf(tree);

beforeAll(async () => {
  [db, edgeDb] = await Promise.all([createTestDatabase(), createTestDatabase()]);
  work = mkdtempSync(join(tmpdir(), 'reference-import-'));
  await writeReferenceTree(tree, join(work, 'data'));
});

afterAll(async () => {
  await Promise.all([db?.destroy(), edgeDb?.destroy()]);
  rmSync(work, { recursive: true, force: true });
});

describe('a generated reference repository of hundreds of nodes', () => {
  it('imports from its directory: sites, clusters, flavors, nodes with interfaces, drives and GPUs, with progress', async () => {
    const progress: number[] = [];
    const report = await importInventory(ctx(db), 'reference', fileSource(join(work, 'data')), {
      progressEvery: 50,
      onProgress: (p) => progress.push(p.records),
    });
    expect(report.records).toBe(1 + parts.sites + parts.clusters + parts.flavors + parts.nodes);
    expect(parts.flavors).toBeGreaterThan(0);
    expect(report.counts).toEqual({
      Location: { created: 1 + parts.sites },
      Group: { created: parts.clusters + parts.flavors, member_added: parts.nodes },
      Device: { created: parts.nodes + parts.drives + parts.gpus },
      Interface: { created: parts.adapters },
    });
    expect(progress.length).toBeGreaterThanOrEqual(Math.floor(report.records / 50));
    expect(parts.nodes).toBe(NODES);

    // One GPU node, looked at in the store.
    const site = tree.sites.find((s) =>
      s.clusters[0]?.nodes.some((n) => (n.gpu as Doc)?.gpu_count === 4),
    ) as ReferenceTree['sites'][number];
    const node = site.clusters[0]?.nodes.find((n) => (n.gpu as Doc)?.gpu_count === 4) as Doc;
    const device = await db.prisma.device.findUniqueOrThrow({
      where: { id: node.uid },
      include: { interfaces: true, children: true, location: true, memberships: { include: { group: true } } },
    });
    expect(device).toMatchObject({
      deviceType: 'Node',
      name: node.node_name,
      manufacturer: node.chassis.manufacturer,
      model: node.chassis.name,
      serialNumber: null,
    });
    expect(device.location).toMatchObject({ slug: site.record.uid, locationType: 'site', name: site.record.name });
    expect(device.memberships.map((m) => [m.group.kind, m.group.name])).toEqual([['cluster', `${site.record.uid}.chameleon`]]);
    const properties = device.properties as Doc;
    expect(Object.keys(properties).every((key) => PROPERTY_KEY_PATTERN.test(key))).toBe(true);
    expect(properties).toMatchObject({
      'bios.release_date': node.bios.release_date,
      'main_memory.ram_size': node.main_memory.ram_size,
      node_type: node.node_type,
      'gpu.gpu': true,
    });
    expect(properties).not.toHaveProperty('gpu.gpu_count');
    expect(device.interfaces).toHaveLength(node.network_adapters.length);
    const ib = device.interfaces.find((i) => i.kind === 'infiniband');
    expect(ib).toMatchObject({
      macAddress: null,
      enabled: false,
      properties: expect.objectContaining({ mac: expect.stringMatching(/^([0-9a-f]{2}:){7}[0-9a-f]{2}$/) }),
    });
    const gpus = device.children.filter((c) => c.deviceType === 'GPU');
    expect(gpus).toHaveLength(4);
    expect(gpus.every((g) => g.manufacturer === node.gpu.gpu_vendor && g.model === node.gpu.gpu_model)).toBe(true);
    expect(device.children.filter((c) => c.deviceType === 'Drive').map((d) => d.name)).toEqual(
      node.storage_devices.map((d: Doc) => d.device),
    );
  });

  it("exports the same tree back, as one document and as the repository's files", async () => {
    expect(await exported(db)).toEqual(canonical(referenceDocument(tree)));
    const out = join(work, 'exported');
    await referenceExport.writeDirectory?.(db.prisma, out);
    expect(filesOf(out)).toEqual(filesOf(join(work, 'data')));
  });

  it('is idempotent: the directory or the same data as one document changes nothing and duplicates nothing', async () => {
    const before = await rowCounts(db);
    const again = await importInventory(ctx(db), 'reference', fileSource(join(work, 'data')));
    expect(again).toMatchObject({ changes: 0, counts: {} });
    const asDocument = await importInventory(ctx(db), 'reference', textSource('document', JSON.stringify(referenceDocument(tree))));
    expect(asDocument).toMatchObject({ changes: 0, counts: {}, records: again.records });
    expect(await rowCounts(db)).toEqual(before);
  });

  it('applies an edited node field by field; a dry run reports the same changes and writes nothing', async () => {
    const site = tree.sites.find((s) =>
      s.clusters[0]?.nodes.some((n) => (n.gpu as Doc)?.gpu_count === 4),
    ) as ReferenceTree['sites'][number];
    const original = site.clusters[0]?.nodes.find((n) => (n.gpu as Doc)?.gpu_count === 4) as Doc;
    const file = join(work, 'data/sites', String(site.record.uid), 'clusters/chameleon/nodes', `${original.uid}.json`);
    const edited = structuredClone(original);
    edited.node_name = 'renamed-node';
    delete edited.placement;
    edited.network_adapters.pop();
    edited.storage_devices[0].model = 'A NEWER SSD';
    edited.storage_devices.push({ device: 'sdz', model: 'Added Disk', size: 42 });
    edited.gpu.gpu_count = 2;
    writeFileSync(file, JSON.stringify(edited));
    const expected = { Device: { updated: 2, created: 1, deleted: 2 }, Interface: { deleted: 1 } };

    const seen: Change[] = [];
    const before = await rowCounts(db);
    const dry = await importInventory(ctx(db), 'reference', fileSource(join(work, 'data')), {
      dryRun: true,
      onChange: (c) => seen.push(c),
    });
    expect(dry).toMatchObject({ dryRun: true, counts: expected });
    const nodeUpdate = seen.find((c) => c.entityId === original.uid) as Change;
    expect(nodeUpdate).toMatchObject({ action: 'updated', before: { name: original.node_name }, after: { name: 'renamed-node' } });
    expect((nodeUpdate.after as Doc).properties).not.toHaveProperty('placement.rack');
    expect(await rowCounts(db)).toEqual(before);
    expect(await exported(db)).toEqual(canonical(referenceDocument(tree)));

    const applied = await importInventory(ctx(db), 'reference', fileSource(join(work, 'data')));
    expect(applied.counts).toEqual(expected);
    const edit = (doc: Doc) => {
      const nodes = doc.sites.find((s: Doc) => s.uid === site.record.uid).clusters.find((c: Doc) => c.uid === 'chameleon').nodes;
      nodes.splice(
        nodes.findIndex((n: Doc) => n.uid === original.uid),
        1,
        edited,
      );
      return doc;
    };
    expect(await exported(db)).toEqual(canonical(edit(structuredClone(referenceDocument(tree)))));

    writeFileSync(file, JSON.stringify(original));
    const back = await importInventory(ctx(db), 'reference', fileSource(join(work, 'data')));
    expect(back.counts).toEqual({ Device: { updated: 2, created: 2, deleted: 1 }, Interface: { created: 1 } });
    expect(await exported(db)).toEqual(canonical(referenceDocument(tree)));
  });
});

describe('hand-written edge cases', () => {
  const edgeCases = join(FIXTURES, 'edge-cases');

  it('come back out file for file: odd keys, fields no column holds exactly, absent fields, odd uids', async () => {
    const report = await importInventory(ctx(edgeDb), 'reference', fileSource(edgeCases));
    expect(report.counts).toMatchObject({ Location: { created: 3 }, Group: { created: 2 }, Interface: { created: 6 } });
    const out = mkdtempSync(join(work, 'edge-'));
    await referenceExport.writeDirectory?.(edgeDb.prisma, out);
    expect(filesOf(out)).toEqual(filesOf(edgeCases));
    expect(await importInventory(ctx(edgeDb), 'reference', fileSource(edgeCases))).toMatchObject({ changes: 0 });
  });

  it('land in the store with RFD property keys and the columns that can hold them', async () => {
    const first = await edgeDb.prisma.device.findUniqueOrThrow({
      where: { id: '3c1f0a52-8d5e-4b7a-9f1e-2a6b8c0d4e71' },
      include: { interfaces: true },
    });
    expect(Object.keys(first.properties as Doc).every((key) => PROPERTY_KEY_PATTERN.test(key))).toBe(true);
    expect(first.properties).toMatchObject({
      'bios.release_date': '2020-01-31',
      'processor.cache_l1': 32768,
      'chassis.manufacturer': '',
      'gpu.gpu': true,
      empty_object: {},
    });
    expect(first).toMatchObject({ name: null, manufacturer: null, model: 'Box 9000' });
    const kinds = Object.fromEntries(first.interfaces.map((i) => [i.name ?? i.macAddress, [i.kind, i.macAddress, i.mgmtOnly]]));
    expect(kinds).toEqual({
      eno1: ['ethernet', 'aa:bb:cc:00:10:01', true],
      ib0: ['infiniband', null, false],
      'aa:bb:cc:00:10:02': ['ethernet', 'aa:bb:cc:00:10:02', false],
      opa0: ['other', 'aa:bb:cc:00:10:03', false],
    });
    // Upper-case UUID: the device id is the lower-case UUID; a uid that is no UUID gets a derived id.
    expect(await edgeDb.prisma.device.count({ where: { id: '6f1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', deviceType: 'Node' } })).toBe(1);
    expect(await edgeDb.prisma.device.count({ where: { name: 'graphene-1', deviceType: 'Node' } })).toBe(1);
    expect(await edgeDb.prisma.device.count({ where: { deviceType: 'GPU', model: 'Lab Accelerator X', manufacturer: 'LabChips' } })).toBe(
      2,
    );
  });
});

describe('a repository as cloned (test/fixtures/reference/cloned)', () => {
  const clone = join(FIXTURES, 'cloned');
  let cloneDb: TestDatabase;
  beforeAll(async () => {
    cloneDb = await createTestDatabase();
  });
  afterAll(() => cloneDb?.destroy());

  it('reads the same records from the clone, its data/ and data/<grid>/', async () => {
    const reports = [];
    for (const path of [clone, join(clone, 'data'), join(clone, 'data/campus')])
      reports.push(await importInventory(ctx(cloneDb), 'reference', fileSource(path), { dryRun: true }));
    // grid, 2 sites, 3 clusters, 2 nodes, 2 flavors
    expect(reports[0]).toMatchObject({ records: 10, counts: { Group: { created: 5, member_added: 2 }, Location: { created: 3 } } });
    for (const report of reports.slice(1)) expect({ ...report, seconds: 0 }).toEqual({ ...reports[0], seconds: 0 });
    expect(await rowCounts(cloneDb)).toMatchObject({ locations: 0, groups: 0, devices: 0 });
  });

  it('comes back out file for file: flavors, a flat cluster, the grid with links of its own', async () => {
    await importInventory(ctx(cloneDb), 'reference', fileSource(clone));
    const flavor = await cloneDb.prisma.group.findFirstOrThrow({ where: { kind: 'flavor', name: 'south.gpu.large' } });
    expect(flavor.properties).toMatchObject({ vcpus: 16, su_cost_per_hour: 2.5, 'gpu.gpu_count': 1 });
    const out = mkdtempSync(join(work, 'cloned-'));
    await referenceExport.writeDirectory?.(cloneDb.prisma, out);
    expect(filesOf(out)).toEqual(filesOf(join(clone, 'data/campus')));
    const again = await importInventory(
      ctx(cloneDb),
      'reference',
      textSource('document', await exportToString(cloneDb.prisma, 'reference')),
    );
    expect(again).toMatchObject({ changes: 0 });
  });

  it('refuses a flavor whose file names another uid, or two flavors whose uids differ only in case', async () => {
    const tree = mkdtempSync(join(work, 'bad-flavors-'));
    cpSync(join(clone, 'data/campus'), tree, { recursive: true });
    const flavors = join(tree, 'sites/south/flavors');
    renameSync(join(flavors, 'vm.small.json'), join(flavors, 'vm.medium.json'));
    const before = await rowCounts(cloneDb);
    await expect(importInventory(ctx(cloneDb), 'reference', fileSource(tree))).rejects.toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'sites.south.flavors.vm.small.uid',
      message: expect.stringMatching(/^flavor south\/vm\.small \(sites\/south\/flavors\/vm\.medium\.json\): uid: must be "vm\.medium"/),
    });
    renameSync(join(flavors, 'vm.medium.json'), join(flavors, 'vm.small.json'));
    writeFileSync(join(flavors, 'gpu.large.json'), JSON.stringify({ type: 'vm_flavor', uid: 'gpu.large' }));
    await expect(importInventory(ctx(cloneDb), 'reference', fileSource(tree))).rejects.toMatchObject({
      code: 'BAD_USER_INPUT',
      message: expect.stringMatching(/the same flavor is also at sites\/south\/flavors\/GPU\.Large\.json/),
    });
    expect(await rowCounts(cloneDb)).toEqual(before);
  });
});

describe('what is not a reference repository is refused, saying so', () => {
  it('a directory with no sites/ in it, in <grid>/ or in data/<grid>/', async () => {
    const empty = mkdtempSync(join(work, 'not-a-repository-'));
    await expect(importInventory(ctx(edgeDb), 'reference', fileSource(empty))).rejects.toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'source',
      message: expect.stringMatching(/is not a reference repository: no sites\/ directory in it, in <grid>\/ or in data\/<grid>\//),
    });
  });

  it('a data/ directory holding several grids: the error names them', async () => {
    const two = mkdtempSync(join(work, 'two-grids-'));
    for (const grid of ['east', 'west']) cpSync(join(FIXTURES, 'edge-cases'), join(two, 'data', grid), { recursive: true });
    await expect(importInventory(ctx(edgeDb), 'reference', fileSource(two))).rejects.toMatchObject({
      field: 'source',
      message: expect.stringMatching(/holds several grids \(east, west\): give one of them/),
    });
  });

  it('a JSON document without a sites list', async () => {
    const before = await rowCounts(edgeDb);
    for (const text of ['{"uid": "lonely", "type": "grid"}', '{"SchemaVersion": "v1alpha6", "Hardware": {}}']) {
      await expect(importInventory(ctx(edgeDb), 'reference', textSource('document', text))).rejects.toMatchObject({
        field: 'document',
        message: expect.stringMatching(/is not a reference repository: it has no "sites" list/),
      });
    }
    expect(await rowCounts(edgeDb)).toEqual(before);
  });
});

describe('bad files import nothing, and the error names the node (or record) and the field', () => {
  const cases: Array<[string, string, string, RegExp]> = [
    [
      'duplicate-mac.json',
      'CONFLICT',
      'sites.s1.clusters.c1.nodes.0b9a6c1e-0000-4000-8000-000000000002.network_adapters.1.mac',
      /node 0b9a6c1e-0000-4000-8000-000000000002 \(sites\.0\.clusters\.0\.nodes\.1\): .*MAC 02:00:00:00:00:01/,
    ],
    [
      'adapters-not-a-list.json',
      'BAD_USER_INPUT',
      'sites.s1.clusters.c1.nodes.0b9a6c1e-0000-4000-8000-000000000003.network_adapters',
      /node 0b9a6c1e-0000-4000-8000-000000000003 .*network_adapters: must be a list of objects/,
    ],
    [
      'drive-not-an-object.json',
      'BAD_USER_INPUT',
      'sites.s1.clusters.c1.nodes.0b9a6c1e-0000-4000-8000-000000000004.storage_devices.1',
      /storage_devices\.1: must be an object/,
    ],
    ['uid-after-clusters.json', 'BAD_USER_INPUT', 'sites.0.uid', /must come before clusters/],
    ['bad-site-uid.json', 'BAD_USER_INPUT', 'sites.Site Two.uid', /site Site Two \(sites\.1\): uid: a site uid is required: lowercase/],
    ['truncated.json', 'BAD_USER_INPUT', 'document', /document: (is not valid JSON|ends before)/],
  ];

  it.each(cases)('%s', async (file, code, field, message) => {
    const before = await rowCounts(edgeDb);
    const error = await importInventory(ctx(edgeDb), 'reference', fileSource(join(FIXTURES, 'bad', file))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InventoryError);
    expect(error).toMatchObject({ code, field });
    expect((error as Error).message).toMatch(message);
    expect(await rowCounts(edgeDb)).toEqual(before);
  });

  it('in a directory: a node file named after another uid, and a file that is not JSON', async () => {
    const tree = mkdtempSync(join(work, 'bad-tree-'));
    cpSync(join(FIXTURES, 'edge-cases'), tree, { recursive: true });
    const nodes = join(tree, 'sites/lab/clusters/main/nodes');
    renameSync(join(nodes, 'graphene-1.json'), join(nodes, 'graphene-2.json'));
    const before = await rowCounts(edgeDb);
    await expect(importInventory(ctx(edgeDb), 'reference', fileSource(tree))).rejects.toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'sites.lab.clusters.main.nodes.graphene-1.uid',
      message: expect.stringMatching(
        /^node graphene-1 \(sites\/lab\/clusters\/main\/nodes\/graphene-2\.json\): uid: must be "graphene-2", the name of its file/,
      ),
    });
    renameSync(join(nodes, 'graphene-2.json'), join(nodes, 'graphene-1.json'));
    writeFileSync(join(nodes, 'graphene-1.json'), '{ "uid": "graphene-1", ');
    await expect(importInventory(ctx(edgeDb), 'reference', fileSource(tree))).rejects.toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'sites/lab/clusters/main/nodes/graphene-1.json',
      message: expect.stringMatching(/is not valid JSON/),
    });
    expect(await rowCounts(edgeDb)).toEqual(before);
  });
});

describe('the inventory-gateway command', () => {
  const run = promisify(execFile);
  const cli = (...args: string[]) =>
    run(process.execPath, ['bin/inventory-gateway.mjs', ...args, '--database-url', db.url], { cwd: PROJECT_ROOT });

  it('dry-runs an edited directory, printing the diff; exports the tree into a directory', async () => {
    const site = tree.sites[0] as ReferenceTree['sites'][number];
    const node = site.clusters[0]?.nodes[0] as Doc;
    const file = join(work, 'data/sites', String(site.record.uid), 'clusters/chameleon/nodes', `${node.uid}.json`);
    writeFileSync(file, JSON.stringify({ ...node, node_name: 'cli-renamed' }));
    const out = join(work, 'cli-export');
    const [dry, exportRun] = await Promise.all([
      cli('import', 'reference', join(work, 'data'), '--dry-run'),
      cli('export', 'reference', '--output', `${out}/`),
    ]);
    expect(dry.stdout.trim().split('\n')).toEqual([
      `~ Device cli-renamed (${node.uid}) updated: name: ${JSON.stringify(node.node_name)} -> "cli-renamed"`,
    ]);
    expect(dry.stderr).toMatch(/dry run, nothing written: \d+ records from .*data in [\d.]+ s; Device 1 updated/);
    expect(exportRun.stderr).toBe('');
    writeFileSync(file, JSON.stringify(node));
    expect(filesOf(out)).toEqual(filesOf(join(work, 'data')));
  });
});

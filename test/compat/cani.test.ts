// cani's own files, in our words: each case found with Cray-HPE/cani's test data is a small
// file of ours under test/fixtures/cani/compat — nil-UUID keys and placeholder references,
// Nautobot's statuses and re-cased types, cables to a device's inline interfaces (and to its
// module's, and a power cable), a FRU record sharing its serial with its module, a v1alpha1
// datastore, and CSM positions, component state, memberships, a Redfish endpoint and IPs in
// provider metadata. Each imports as cani reads it, again as no change, and comes back out in
// cani's spelling; a file that is not an inventory is refused by the library, the CLI, REST
// and GraphQL alike.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/db/client.js';
import { InventoryError } from '../../src/domain/errors.js';
import { derivedId } from '../../src/interop/cani/derived-id.js';
import { legacyRackId } from '../../src/interop/cani/legacy.js';
import { exportToString, importInventory } from '../../src/interop/index.js';
import { fileSource, textSource } from '../../src/interop/source.js';
import type { ImportOptions } from '../../src/services/core/import-session.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { expectNothingChanged } from '../support/store-counts.js';

type Doc = Record<string, any>;

const COMPAT = join(PROJECT_ROOT, 'test/fixtures/cani/compat');
const NOT_INVENTORIES = join(PROJECT_ROOT, 'test/fixtures/cani/not-inventories');
const CASES = ['placeholders', 'vocabulary', 'inline-cables', 'fru-serial', 'v1alpha1', 'csm-positions'];
/** The fixtures' UUIDs: two hex digits per case and record type, then the ordinal. */
const u = (kind: string, n: number) => `ca${kind}${n.toString(16).padStart(4, '0')}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
const legacy = (n: number) => `ca41${n.toString(16).padStart(4, '0')}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

let db: TestDatabase;
let exported: Doc;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db?.destroy());

const ctxOf = (database: TestDatabase) => ({ db: database.prisma, source: 'import' as const, actor: 'compat-cani.test' });
const importCase = (name: string, options?: ImportOptions, into = db) =>
  importInventory(ctxOf(into), 'cani', fileSource(join(COMPAT, `${name}.json`)), options);
const importText = (text: string, into = db) => importInventory(ctxOf(into), 'cani', textSource('test document', text));
const caseDoc = (name: string): Doc => JSON.parse(readFileSync(join(COMPAT, `${name}.json`), 'utf8'));
const device = (id: string) => db.prisma.device.findUniqueOrThrow({ where: { id } });
const interfacesOf = (deviceId: string) => db.prisma.interface.findMany({ where: { deviceId }, orderBy: { name: 'asc' } });

describe('cani files import as cani reads them, and again as no change', () => {
  it.each(CASES)('%s', async (name) => {
    const first = await importCase(name);
    expect(first.changes).toBeGreaterThan(0);
    expect(await importCase(name)).toMatchObject({ changes: 0, counts: {} });
  });

  it('nil-UUID keys and references are placeholders, as in cani', async () => {
    const [n1, n2] = [u('03', 1), u('03', 2)];
    // An inline interface without an id gets one from its device and name; the record of the
    // interfaces map for the same device and name (keyed by the nil UUID here) is that interface.
    expect((await interfacesOf(n1)).map((i) => [i.name, i.id, i.mgmtOnly])).toEqual([
      ['bmc', derivedId('interface', n1, 'bmc'), true],
      ['data0', derivedId('interface', n1, 'data0'), false],
    ]);
    // A record with a real id gives its id to the inline interface it instantiates.
    const [bmc] = await interfacesOf(n2);
    expect(bmc).toMatchObject({ id: u('07', 2), name: 'bmc', mgmtOnly: true, kind: 'ethernet' });
    expect(bmc.properties).toMatchObject({ 'cani.status': 'Active', 'cani.interface_type': '1000base-t' });
    expect(await db.prisma.rack.findUniqueOrThrow({ where: { id: u('02', 2) } })).toMatchObject({ locationId: null, status: 'Staged' });
    expect(await device(u('04', 1))).toMatchObject({ parentId: null, locationId: null, status: 'inactive' });
    expect(await db.prisma.cableTermination.count({ where: { cableId: u('05', 1) } })).toBe(0);
    expect(await db.prisma.location.findUniqueOrThrow({ where: { id: u('01', 1) } })).toMatchObject({ parentId: null });
  });

  it("keeps cani's statuses and types as written, with ours in the columns", async () => {
    const rows = await db.prisma.device.findMany({
      where: { id: { in: [1, 2, 3, 4, 5, 6, 7].map((n) => u('13', n)) } },
      orderBy: { id: 'asc' },
    });
    expect(rows.map((r) => [r.deviceType, r.status, (r.properties as Doc)['cani.type'], (r.properties as Doc)['cani.status']])).toEqual([
      ['Switch', 'active', 'Switch', undefined],
      ['MgmtSwitch', 'planned', 'MgmtSwitch', undefined],
      ['Node', 'inactive', 'Node', 'Inventory'],
      ['Node', 'decommissioned', undefined, 'decommissioning'],
      ['storage-shelf', 'failed', undefined, 'Down'],
      ['Device', 'active', '', ''],
      ['Device', 'active', '', ''],
    ]);
    expect(await device(u('14', 1))).toMatchObject({ deviceType: 'Module', status: 'maintenance' });
    const cables = await db.prisma.cable.findMany({ where: { id: { in: [1, 2, 3].map((n) => u('15', n)) } }, orderBy: { id: 'asc' } });
    expect(cables.map((c) => [c.status, (c.properties as Doc)['cani.status']])).toEqual([
      ['connected', undefined],
      ['planned', 'planned'],
      ['decommissioning', undefined],
    ]);
    expect(await db.prisma.rack.findUniqueOrThrow({ where: { id: u('12', 1) } })).toMatchObject({ status: 'Staged' });
    expect(await db.prisma.location.findUniqueOrThrow({ where: { id: u('11', 1) } })).toMatchObject({
      locationType: 'other',
      properties: { 'cani.location_type': '', 'cani.status': 'Active' },
    });
  });

  it('connects cables to inline interfaces, a module port through its device, and keeps a power cable as written', async () => {
    const [leaf, server, nic] = [u('23', 1), u('23', 2), u('24', 1)];
    const port = (owner: string, name: string) => derivedId('interface', owner, name);
    const ends = async (n: number) =>
      (await db.prisma.cableTermination.findMany({ where: { cableId: u('25', n) }, orderBy: { end: 'asc' } })).map((t) => t.interfaceId);
    expect(await ends(1)).toEqual([port(server, 'eth0'), port(leaf, '1/1/1')]);
    expect(await ends(2)).toEqual([port(nic, 'p0'), port(leaf, '1/1/2')]);
    expect(await ends(3)).toEqual([]);
    const power = await db.prisma.cable.findUniqueOrThrow({ where: { id: u('25', 3) } });
    expect(power.properties).toMatchObject({ 'cani.termination_a_port': 'psu1', 'cani.termination_b_port': 'outlet 1' });
  });

  it('gives a FRU record that describes a module the serial as written, the module the column', async () => {
    expect(await device(u('34', 1))).toMatchObject({ serialNumber: 'PSU-7', manufacturer: 'HPE' });
    const fru = await device(u('36', 1));
    expect(fru).toMatchObject({ serialNumber: null, parentId: u('33', 1) });
    expect(fru.properties).toMatchObject({ 'cani.kind': 'fru', 'cani.serial': 'PSU-7' });
    expect(await device(u('36', 2))).toMatchObject({ serialNumber: 'DIMM-1' });
  });

  it('gives the same rows when the FRUs come before the modules (a key-sorted file)', async () => {
    const sorted = await createTestDatabase();
    try {
      const { frus, modules, ...rest } = caseDoc('fru-serial');
      const text = JSON.stringify({ frus, ...rest, modules });
      await importText(text, sorted);
      const rows = (database: TestDatabase) =>
        database.prisma.device.findMany({
          where: { id: { in: [u('34', 1), u('36', 1)] } },
          select: { id: true, serialNumber: true, properties: true },
          orderBy: { id: 'asc' },
        });
      expect(await rows(sorted)).toEqual(await rows(db));
      expect(await importText(text, sorted)).toMatchObject({ changes: 0 });
    } finally {
      await sorted.destroy();
    }
  });

  it('upgrades v1alpha1 as cani migrates it', async () => {
    const rack = legacyRackId(legacy(2));
    expect(await db.prisma.location.findUniqueOrThrow({ where: { id: legacy(1) } })).toMatchObject({
      name: 'System',
      locationType: 'other',
      properties: { 'cani.location_type': 'system', 'cani.status': 'Active' },
    });
    expect(await db.prisma.rack.findUniqueOrThrow({ where: { id: rack } })).toMatchObject({ name: 'x1002', uHeight: 42, status: 'Active' });
    const [cabinet, chassis, blade, node, cdu] = await Promise.all([2, 3, 4, 5, 6].map((n) => device(legacy(n))));
    expect(cabinet).toMatchObject({ deviceType: 'Cabinet', rackId: rack, parentId: null, status: 'active', model: 'EX2000' });
    expect(cabinet.providerMetadata).toEqual({ csm: { hmnVlan: 3002, locationOrdinal: 1002, locationPath: 'System:0->Cabinet:1002' } });
    expect(chassis).toMatchObject({ deviceType: 'Chassis', parentId: cabinet.id, status: 'staged' });
    expect(blade).toMatchObject({ deviceType: 'ComputeModule', parentId: chassis.id, status: 'staged' });
    expect(node).toMatchObject({ deviceType: 'Node', parentId: blade.id, status: 'staged' });
    expect(node.providerMetadata).toEqual({
      csm: {
        role: 'Compute',
        subRole: 'Worker',
        nid: 7,
        aliases: ['nid000007'],
        locationOrdinal: 1,
        locationPath: 'System:0->Cabinet:1002->Chassis:1->NodeBlade:3->Node:1',
      },
    });
    // cani drops Properties; a device under the System root is placed in that location.
    expect(node.properties).toEqual({ 'cani.slug': 'hpe-node', 'cani.vendor': 'HPE' });
    expect(cdu).toMatchObject({ deviceType: 'CDU', parentId: null, locationId: legacy(1) });
  });

  it('takes positions, component state, memberships, the Redfish endpoint and IPs from provider metadata', async () => {
    const [cabinet, bmc, node] = [u('53', 1), u('53', 3), u('53', 2)];
    const positions = await db.prisma.component.findMany({
      where: { xname: { in: ['x3000', 'x3000c0s1b0', 'x3000c0s1b0n0'] } },
      include: { installations: { where: { open: true } }, memberships: { include: { group: true } } },
      orderBy: { xname: 'asc' },
    });
    expect(positions.map((p) => [p.xname, p.type, p.state, p.installations.map((i) => i.deviceId)])).toEqual([
      ['x3000', 'Cabinet', 'Unknown', [cabinet]],
      ['x3000c0s1b0', 'NodeBMC', 'Ready', [bmc]],
      ['x3000c0s1b0n0', 'Node', 'Ready', [node]],
    ]);
    expect(positions[0].class).toBe('River');
    // nid is a BIGINT column: Prisma reads it as a bigint.
    expect(positions[2]).toMatchObject({ role: 'Management', subRole: 'Worker', nid: 100001n, netType: 'Sling' });
    expect(positions[2].memberships.map((m) => [m.group.kind, m.group.name]).sort()).toEqual([
      ['group', 'ncn'],
      ['group', 'workers'],
      ['partition', 'p0'],
    ]);
    // What the rows hold exactly is not kept twice; "worker" is kept: SMD spells it Worker.
    expect((await device(node)).providerMetadata).toEqual({ csm: { aliases: ['ncn-w001'], subRole: 'worker' } });
    expect((await device(cabinet)).providerMetadata).toEqual({ csm: { hmnVlan: 1513 } });
    expect((await device(bmc)).providerMetadata).toEqual({ redfish: { vendor: 'HPE' } });
    expect(await db.prisma.redfishEndpoint.findFirstOrThrow({ where: { xname: 'x3000c0s1b0' } })).toMatchObject({
      type: 'NodeBMC',
      hostname: 'x3000c0s1b0',
      domain: 'hmn',
      fqdn: 'x3000c0s1b0.hmn',
      ipAddress: '10.254.1.7',
      uuid: '5cd2a9f0-0000-4000-8000-00000000b0b0',
    });
    const mgmt = await db.prisma.interface.findUniqueOrThrow({
      where: { id: u('57', 1) },
      include: { ipAddresses: true, component: true },
    });
    expect(mgmt).toMatchObject({ deviceId: node, macAddress: '02:30:00:00:00:07', component: { xname: 'x3000c0s1b0n0' } });
    expect(mgmt.ipAddresses.map((a) => [a.address, a.network])).toEqual([['10.252.1.7', 'NMN']]);
  });
});

describe('the export writes it back in cani spelling', () => {
  beforeAll(async () => {
    exported = JSON.parse(await exportToString(db.prisma, 'cani'));
  });

  it('as written: statuses, types, an empty location type, a FRU serial, a power cable', () => {
    const given = caseDoc('vocabulary');
    for (const [id, record] of Object.entries<Doc>(given.devices)) {
      expect(exported.devices[id].type, id).toBe(record.type || undefined);
      expect(exported.devices[id].status, id).toBe(record.status || undefined);
    }
    expect(exported.modules[u('14', 1)]).toMatchObject({ status: 'Maintenance' });
    expect(exported.modules[u('14', 1)]).not.toHaveProperty('type');
    expect(Object.values<Doc>(given.cables).map((c) => exported.cables[c.id].status)).toEqual(['Connected', 'planned', 'Decommissioning']);
    expect(exported.locations[u('11', 1)]).toMatchObject({ locationType: '', status: 'Active' });
    expect(exported.frus[u('36', 1)]).toMatchObject({ serial: 'PSU-7', manufacturer: 'HPE', device: u('33', 1) });
    const power = caseDoc('inline-cables').cables[u('25', 3)];
    expect(exported.cables[u('25', 3)]).toMatchObject(power);
  });

  it("puts interfaces in their devices' inline lists, in the file's order where it had one", () => {
    const names = (id: string) => exported.devices[id].interfaces.map((i: Doc) => i.name);
    expect(names(u('23', 1))).toEqual(['1/1/1', '1/1/2', '1/1/10', 'mgmt']);
    expect(names(u('23', 2))).toEqual(['iLO', 'eth0']);
    expect(exported.devices[u('23', 2)].interfaces[0]).toEqual({
      id: derivedId('interface', u('23', 2), 'iLO'),
      name: 'iLO',
      type: '1000base-t',
      mgmt_only: true,
    });
    expect(exported.modules[u('24', 1)].interfaces.map((i: Doc) => i.name)).toEqual(['p0']);
    expect(exported.interfaces[derivedId('interface', u('24', 1), 'p0')]).toMatchObject({
      deviceId: u('24', 1),
      interfaceType: '25gbase-x-sfp28',
    });
  });

  it('carries positions, state, memberships, the endpoint and IPs in provider metadata, as given', () => {
    const given = caseDoc('csm-positions');
    const node = u('53', 2);
    expect(exported.devices[node].providerMetadata).toEqual(given.devices[node].providerMetadata);
    expect(exported.devices[u('53', 1)].providerMetadata).toEqual(given.devices[u('53', 1)].providerMetadata);
    expect(exported.devices[u('53', 3)].providerMetadata.redfish).toMatchObject(given.devices[u('53', 3)].providerMetadata.redfish);
    expect(exported.devices[u('53', 3)].providerMetadata.redfish).toMatchObject({ bmc_domain: 'hmn' });
    expect(exported.devices[node].interfaces[0].providerMetadata).toEqual({ csm: { xname: 'x3000c0s1b0n0' } });
    const ips = Object.values<Doc>(exported.ipAddresses).filter((ip) => ip.interfaces.includes(u('57', 1)));
    expect(ips).toEqual([
      expect.objectContaining({
        host: '10.252.1.7',
        ipVersion: 4,
        interfaces: [u('57', 1)],
        providerMetadata: { csm: { network: 'NMN' } },
      }),
    ]);
  });

  it('as v1alpha6 that re-imports as no change, and as the same inventory into an empty gateway', async () => {
    const text = JSON.stringify(exported);
    expect(await importText(text)).toMatchObject({ changes: 0 });
    const empty = await createTestDatabase();
    try {
      await importText(text, empty);
      expect(JSON.parse(await exportToString(empty.prisma, 'cani'))).toEqual(exported);
    } finally {
      await empty.destroy();
    }
  });
});

describe('bad provider metadata imports nothing and names the record and key', () => {
  const node = (n: number, csm: Doc) => ({ id: u('63', n), name: `n${n}`, type: 'node', providerMetadata: { csm } });
  const cases: Array<[string, Doc[], string, RegExp]> = [
    ['an xname that is none', [node(1, { xname: 'x99999c0' })], `devices.${u('63', 1)}.providerMetadata.csm.xname`, /must be an xname/],
    [
      'a state SMD does not have',
      [node(1, { xname: 'x3001c0s0b0n0', state: 'Sleepy' })],
      `devices.${u('63', 1)}.providerMetadata.csm.state`,
      /must be one of/,
    ],
    [
      'one position for two devices',
      [node(1, { xname: 'x3001c0s0b0n0' }), node(2, { xname: 'x3001c0s0b0n0' })],
      `devices.${u('63', 2)}.providerMetadata.csm.xname`,
      /also the position of device/,
    ],
  ];

  it.each(cases)('%s', async (_name, devices, field, message) => {
    const text = JSON.stringify({ schemaVersion: 'v1alpha6', devices: Object.fromEntries(devices.map((d) => [d.id, d])) });
    const error = await expectNothingChanged(db.prisma, () => importText(text).catch((e: unknown) => e));
    expect(error).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect((error as Error).message).toMatch(message);
  });
});

describe('a file that is not an inventory is refused, and nothing is written', () => {
  const files = ['orphan-plan.json', 'other.json', 'empty-object.json', 'config.yml', 'connections.csv'];

  it.each(files)('%s', async (file) => {
    const error = await expectNothingChanged(db.prisma, () =>
      importInventory(ctxOf(db), 'cani', fileSource(join(NOT_INVENTORIES, file))).then(
        () => undefined,
        (e: unknown) => e,
      ),
    );
    expect(error).toBeInstanceOf(InventoryError);
    expect(error).toMatchObject({ code: 'BAD_USER_INPUT', field: 'document' });
    expect((error as Error).message).toMatch(/is not a cani inventory|is not JSON/);
  });

  it('says a plan file is a plan', async () => {
    const error = await importInventory(ctxOf(db), 'cani', fileSource(join(NOT_INVENTORIES, 'orphan-plan.json'))).catch((e: Error) => e);
    expect((error as Error).message).toMatch(/orphan-assignment plan/);
  });

  describe('over REST and GraphQL', () => {
    let gw: TestGateway;
    beforeAll(async () => {
      gw = await startTestGateway();
    });
    afterAll(() => gw?.close());
    const plan = () => readFileSync(join(NOT_INVENTORIES, 'orphan-plan.json'), 'utf8');

    it('REST answers 422 naming the document', async () => {
      const reply = await gw.rest('POST', '/apis/import/v1/cani', plan());
      expect(reply.status, reply.text).toBe(422);
      expect(reply.headers.get('content-type')).toContain('application/problem+json');
      expect(reply.body).toMatchObject({ field: 'document' });
      expect(reply.body.detail ?? reply.body.title).toMatch(/not a cani inventory/);
    });

    it('GraphQL answers BAD_USER_INPUT naming the document', async () => {
      const result = await gw.gql('mutation($d: String!) { importInventory(format: "cani", document: $d) { changes } }', { d: plan() });
      expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'document' });
      expect(result.errors?.[0].message).toMatch(/not a cani inventory/);
    });
  });

  it('the command exits with status 1 and says why', async () => {
    const run = promisify(execFile);
    const failed = await run(
      process.execPath,
      ['bin/inventory-gateway.mjs', 'import', 'cani', join(NOT_INVENTORIES, 'config.yml'), '--quiet', '--database-url', db.url],
      { cwd: PROJECT_ROOT },
    ).then(
      () => undefined,
      (e: { code: number; stderr: string }) => e,
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stderr).toMatch(/document: is not JSON: a cani inventory is one JSON object/);
  }, 180_000);
});

// Gateway → cani → gateway on the demo cluster (src/fixtures/seed.ts, what `--demo` loads),
// with some state off the defaults: `export cani | import cani` changes nothing, and the
// export imported into an empty gateway gives back everything cani can express — devices,
// xname positions with their component state, interfaces and their positions, IPs, cables,
// group and partition memberships, Redfish endpoints — (README, "Migrating an existing site",
// lists what it cannot). A dry run's lines name what they change by xname or name.
import { exec } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changeLine } from '../../src/cli/change-lines.js';
import { PROJECT_ROOT } from '../../src/db/client.js';
import { DEMO_NODES, seedCluster } from '../../src/fixtures/seed.js';
import { exportToString, importInventory } from '../../src/interop/index.js';
import { textSource } from '../../src/interop/source.js';
import type { Change } from '../../src/services/core/change-log.js';
import type { ImportOptions } from '../../src/services/core/import-session.js';
import { createInterface } from '../../src/services/inventory/interface.js';
import { updateComponent } from '../../src/services/smd/component.js';
import { updateRedfishEndpoint } from '../../src/services/smd/redfish.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

type Doc = Record<string, any>;

let first: TestDatabase;
let second: TestDatabase;
let exported: string;

const ctxOf = (db: TestDatabase) => ({ db: db.prisma, source: 'import' as const, actor: 'compat-cani-demo.test' });
const importText = (db: TestDatabase, text: string, options?: ImportOptions) =>
  importInventory(ctxOf(db), 'cani', textSource('demo export', text), options);

beforeAll(async () => {
  [first, second] = await Promise.all([createTestDatabase(), createTestDatabase()]);
  await seedCluster(first, { nodes: DEMO_NODES, actor: 'demo' });
  // State the demo leaves at the defaults, which the export must carry all the same.
  const api = { db: first.prisma, source: 'system' as const, actor: 'compat-cani-demo.test' };
  await updateComponent(api, 'x1000c0s1b0n1', { flag: 'Warning', enabled: false, softwareStatus: 'AdminDown', subtype: 'River' });
  await updateRedfishEndpoint(api, 'x1000c0s1b0', { enabled: false, useSsdp: true, username: 'root', templateId: 'ex425' });
  const node = await first.prisma.device.findFirstOrThrow({ where: { name: 'x1000c0s1b0n1' } });
  await createInterface(api, { deviceId: node.id, name: 'hsn0', kind: 'hsn', macAddress: '02:77:00:00:00:01', xname: 'x1000c0s1b0n1' });
  exported = await exportToString(first.prisma, 'cani');
}, 300_000);
afterAll(() => Promise.all([first?.destroy(), second?.destroy()]));

/** Everything of the store that a cani file can express, keyed so two gateways compare. */
async function expressible(db: TestDatabase) {
  const p = db.prisma;
  const live = { where: { deletedAt: null }, orderBy: { id: 'asc' as const } };
  const without = <T extends object>(row: T, ...fields: string[]) =>
    Object.fromEntries(Object.entries(row).filter(([field]) => !['createdAt', 'updatedAt', 'revision', ...fields].includes(field)));
  const components = await p.component.findMany({
    where: { deletedAt: null },
    orderBy: { xname: 'asc' },
    include: { installations: { where: { open: true }, select: { deviceId: true } } },
  });
  const interfaces = await p.interface.findMany({ ...live, include: { component: { select: { xname: true } }, ipAddresses: true } });
  const groups = await p.group.findMany({
    where: { deletedAt: null },
    orderBy: [{ kind: 'asc' }, { name: 'asc' }],
    include: { members: { where: { live: true }, select: { component: { select: { xname: true } } } } },
  });
  return {
    locations: (await p.location.findMany(live)).map((row) => without(row)),
    racks: (await p.rack.findMany(live)).map((row) => without(row)),
    devices: (await p.device.findMany(live)).map((row) => without(row, 'schemaVersion', 'fruId', 'fruInfo')),
    positions: components.map(({ installations, ...row }) => ({
      ...without(row, 'id', 'ordinal', 'hwStatus', 'locationInfo', 'locked', 'reservationDisabled'),
      installed: installations.map((i) => i.deviceId),
    })),
    interfaces: interfaces.map(({ component, ipAddresses, ...row }) => ({
      ...without(row, 'componentId', 'componentXname', 'enabled'),
      position: component?.xname ?? null,
      ipAddresses: ipAddresses.map((a) => [a.address, a.network]).sort(),
    })),
    cables: await p.cable
      .findMany({ ...live, include: { terminations: { select: { end: true, interfaceId: true }, orderBy: { end: 'asc' } } } })
      .then((rows) => rows.map((row) => without(row))),
    memberships: groups.map((g) => [g.kind, g.name, g.members.map((m) => m.component?.xname).sort()]),
    endpoints: (await p.redfishEndpoint.findMany({ where: { deletedAt: null }, orderBy: { xname: 'asc' }, omit: { password: true } })).map(
      (row) => without(row, 'id'),
    ),
  };
}

describe('the demo cluster through cani', () => {
  it('export | import reports no change (the command, piped)', async () => {
    const gateway = `${JSON.stringify(process.execPath)} bin/inventory-gateway.mjs`;
    const url = JSON.stringify(first.url);
    const piped = await promisify(exec)(
      `${gateway} export cani --database-url ${url} | ${gateway} import cani - --dry-run --database-url ${url}`,
      {
        cwd: PROJECT_ROOT,
        maxBuffer: 64 * 1024 * 1024,
      },
    );
    expect(piped.stdout).toBe('');
    expect(piped.stderr).toMatch(/dry run, nothing written: \d+ records from standard input .*no changes/);
  }, 300_000);

  it('a dry run of its export is empty', async () => {
    expect(await importText(first, exported, { dryRun: true })).toMatchObject({ changes: 0, counts: {} });
  }, 120_000);

  it('carries positions, component state, memberships, endpoints and IPs the way cani keeps them', () => {
    const doc = JSON.parse(exported) as Doc;
    const node = Object.values<Doc>(doc.devices).find((d) => d.name === 'x1000c0s1b0n1') as Doc;
    expect(node.providerMetadata.csm).toMatchObject({
      xname: 'x1000c0s1b0n1',
      flag: 'Warning',
      enabled: false,
      softwareStatus: 'AdminDown',
      subType: 'River',
      netType: 'Sling',
      arch: 'X86',
      class: 'Mountain',
      partition: 'p1',
    });
    expect(node.providerMetadata.csm.groups.length).toBeGreaterThan(0);
    expect(node.interfaces).toEqual([
      expect.objectContaining({ name: 'hsn0', type: 'hsn', providerMetadata: { csm: { xname: 'x1000c0s1b0n1' } } }),
    ]);
    const bmc = Object.values<Doc>(doc.devices).find((d) => d.name === 'x1000c0s1b0') as Doc;
    expect(bmc.providerMetadata.redfish).toMatchObject({
      bmc_fqdn: 'x1000c0s1b0.hmn',
      bmc_hostname: 'x1000c0s1b0',
      redfish_enabled: false,
      redfish_use_ssdp: true,
      redfish_username: 'root',
      redfish_template_id: 'ex425',
      redfish_discovery_info: { LastDiscoveryStatus: 'DiscoverOK', RedfishVersion: '1.7.0' },
    });
    expect(Object.keys(doc.ipAddresses)).toHaveLength(DEMO_NODES + DEMO_NODES / 2);
  });

  it('into an empty gateway, loses nothing cani can express', async () => {
    await importText(second, exported);
    const [before, after] = await Promise.all([expressible(first), expressible(second)]);
    for (const part of Object.keys(before) as Array<keyof typeof before>) expect(after[part], part).toEqual(before[part]);
    expect(JSON.parse(await exportToString(second.prisma, 'cani'))).toEqual(JSON.parse(exported));
  }, 300_000);

  it('names what a dry run changes by xname or name', async () => {
    const doc = JSON.parse(exported) as Doc;
    const node = Object.values<Doc>(doc.devices).find((d) => d.name === 'x1000c0s0b0n0') as Doc;
    const state = node.providerMetadata.csm.state === 'Off' ? 'On' : 'Off';
    const was = node.providerMetadata.csm.state;
    node.providerMetadata.csm.state = state;
    node.name = 'login-1';
    const seen: Change[] = [];
    await importText(first, JSON.stringify(doc), { dryRun: true, onChange: (change) => seen.push(change) });
    const position = await first.prisma.component.findFirstOrThrow({ where: { xname: 'x1000c0s0b0n0' } });
    expect(seen.map(changeLine)).toEqual([
      `~ Device login-1 (${node.id}) updated: name: "x1000c0s0b0n0" -> "login-1"`,
      `~ Component x1000c0s0b0n0 (${position.id}) updated: state: ${JSON.stringify(was)} -> ${JSON.stringify(state)}`,
    ]);
  }, 120_000);
});

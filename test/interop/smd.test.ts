// The smd format (src/interop/smd): a gateway with an SMD inventory (the synthetic cluster
// plus magellan's discovery payload, a service endpoint, groups, a partition and hardware
// POSTed to its own /hsm/v2) is served on 127.0.0.1 and pulled into an empty second gateway:
// every /hsm/v2 collection then reads the same on both. Importing again changes nothing, a
// dry run writes nothing, the export is exactly the GETs side by side and imports into a third
// gateway (in any key order), bad dumps import nothing and name the record and field, an
// unreachable or refusing URL fails clearly, and the CLI pulls a URL as its own process once.
import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/db/client.js';
import { InventoryError } from '../../src/domain/errors.js';
import { stableJson } from '../../src/domain/stable-json.js';
import { seedCluster } from '../../src/fixtures/seed.js';
import { exportToString, importInventory } from '../../src/interop/index.js';
import { SMD_COLLECTIONS } from '../../src/interop/smd/collections.js';
import { fileSource, type ImportSource, textSource, urlSource } from '../../src/interop/source.js';
import type { Change } from '../../src/services/core/change-log.js';
import type { ImportOptions } from '../../src/services/core/import-session.js';
import { readRedfishCredentials } from '../../src/services/smd/index.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { type RunningServer, serveOnLoopback } from '../support/http-server.js';
import { MAGELLAN_PASSWORD, magellanPayload } from '../support/magellan.js';

const FIXTURES = join(PROJECT_ROOT, 'test/fixtures/smd');
const DISCOVERED_BMC = 'x1000c1s0b0';

let source: TestGateway;
let served: RunningServer;
let target: TestGateway;
let third: TestGateway;
let empty: TestGateway;

const smdUrl = () => urlSource(new URL(`${served.url}/hsm/v2`));
const importInto = (gw: TestGateway, from: ImportSource, options?: ImportOptions) =>
  importInventory({ db: gw.db.prisma, source: 'import', actor: 'import-smd.test' }, 'smd', from, options);

async function ok(gw: TestGateway, method: string, path: string, body?: unknown) {
  const reply = await gw.rest(method, path, body);
  expect(reply.status, `${method} ${path}: ${reply.text}`).toBeLessThan(300);
  return reply;
}

/** Every collection's records as the GETs answer them, order aside (LastUpdate is the importing gateway's time). */
async function collections(gw: TestGateway): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const collection of SMD_COLLECTIONS) {
    const { body } = await ok(gw, 'GET', `/hsm/v2/${collection.path}`);
    const list = (collection.listKey ? body[collection.listKey] : body) as Array<Record<string, unknown>>;
    out[collection.path] = list.map((record) => stableJson({ ...record, LastUpdate: undefined })).sort();
  }
  return out;
}

async function arrangeSource(gw: TestGateway) {
  await seedCluster(gw.db, { nodes: 16 });
  // magellan discovers a BMC of its own, in a chassis the synthetic cluster does not fill.
  await ok(gw, 'POST', '/hsm/v2/Inventory/RedfishEndpoints', { ...magellanPayload(1, { systems: 2 }), ID: DISCOVERED_BMC });
  await ok(gw, 'POST', '/serviceendpoints', {
    metadata: {},
    spec: {
      RedfishEndpointID: DISCOVERED_BMC,
      RedfishType: 'UpdateService',
      OdataID: '/redfish/v1/UpdateService',
      ServiceInfo: { Name: 'Update Service' },
    },
  });
  await ok(gw, 'POST', '/hsm/v2/groups', {
    label: 'gpu-nodes',
    description: 'GPU nodes',
    tags: ['accel'],
    exclusiveGroup: 'accelerators',
    members: { ids: ['x1000c0s0b0n0', `${DISCOVERED_BMC}n1`] },
  });
  await ok(gw, 'POST', '/hsm/v2/partitions', { name: 'p9', description: 'tenant nine', members: { ids: [`${DISCOVERED_BMC}n0`] } });
  await ok(gw, 'POST', '/hsm/v2/Inventory/Hardware', {
    Hardware: [
      {
        ID: 'x1000c0s0b0n0p0',
        Ordinal: 0,
        ProcessorLocationInfo: { Id: 'CPU1', Socket: 'P0' },
        PopulatedFRU: {
          ProcessorFRUInfo: { Manufacturer: 'AMD', Model: 'EPYC 9654', PartNumber: '100-000000789', SerialNumber: 'CPU-0001' },
        },
      },
    ],
  });
}

beforeAll(async () => {
  [source, target, third, empty] = await Promise.all([startTestGateway(), startTestGateway(), startTestGateway(), startTestGateway()]);
  await arrangeSource(source);
  served = await serveOnLoopback(source.app);
}, 120_000);

afterAll(async () => {
  await served?.close();
  await Promise.all([source, target, third, empty].map((gw) => gw?.close()));
});

describe('smd import from a running gateway', () => {
  it('pulls every /hsm/v2 collection into an empty gateway, where each reads the same', async () => {
    const progress: number[] = [];
    const report = await importInto(target, smdUrl(), { progressEvery: 100, onProgress: ({ records }) => progress.push(records) });
    const want = await collections(source);
    for (const [path, records] of Object.entries(want)) expect(records.length, path).toBeGreaterThan(0);
    expect(await collections(target)).toEqual(want);
    const total = Object.values(want).reduce((n, list) => n + list.length, 0);
    expect(report.records).toBe(total);
    expect(progress.at(-1)).toBe(total);
    expect(progress.length).toBeGreaterThan(1);
    expect(report.counts.Component?.created).toBe(want['State/Components'].length);
    expect(report.counts.RedfishEndpoint?.created).toBe(want['Inventory/RedfishEndpoints'].length);
  }, 60_000);

  it('imports again as no change at all', async () => {
    const before = await target.db.prisma.changeEvent.count();
    const report = await importInto(target, smdUrl());
    expect(report.changes).toBe(0);
    expect(report.counts).toEqual({});
    expect(await target.db.prisma.changeEvent.count()).toBe(before);
  }, 60_000);

  it('keeps a BMC password the target has: SMD never answers it, and it is never logged', async () => {
    await ok(target, 'PATCH', `/hsm/v2/Inventory/RedfishEndpoints/${DISCOVERED_BMC}`, { Password: MAGELLAN_PASSWORD });
    const passwordOf = async () => (await readRedfishCredentials(target.db.prisma, DISCOVERED_BMC)).password;
    expect(await passwordOf()).toBe(MAGELLAN_PASSWORD);
    const report = await importInto(target, smdUrl());
    expect(report.changes).toBe(0);
    expect(await passwordOf()).toBe(MAGELLAN_PASSWORD);
    const logged = await target.db.prisma.changeEvent.findMany({ where: { entityType: 'RedfishEndpoint' } });
    expect(JSON.stringify(logged)).not.toContain(MAGELLAN_PASSWORD);
  }, 60_000);

  it('dry-runs as the diff it would make and writes nothing; the import then makes exactly that', async () => {
    await ok(source, 'PATCH', '/hsm/v2/State/Components/x1000c0s0b0n0/StateData', { State: 'Standby', Force: true });
    await ok(source, 'POST', '/hsm/v2/groups', { label: 'late', members: { ids: ['x1000c0s0b0n1'] } });
    const unchanged = await collections(target);
    const events = await target.db.prisma.changeEvent.count();
    const diff: Change[] = [];
    const dry = await importInto(target, smdUrl(), { dryRun: true, onChange: (change) => diff.push(change) });
    expect(dry.dryRun).toBe(true);
    expect(diff.map((c) => `${c.entityType} ${c.action}`).sort()).toEqual(['Component updated', 'Group created']);
    expect(diff.find((c) => c.entityType === 'Component')?.after).toMatchObject({ xname: 'x1000c0s0b0n0', state: 'Standby' });
    expect(await collections(target)).toEqual(unchanged);
    expect(await target.db.prisma.changeEvent.count()).toBe(events);

    const real = await importInto(target, smdUrl());
    expect(real.counts).toEqual(dry.counts);
    expect(await collections(target)).toEqual(await collections(source));
  }, 60_000);
});

describe('smd dump', () => {
  it('is the GETs side by side, and imports into a third gateway whatever its key order', async () => {
    const dump = await exportToString(target.db.prisma, 'smd');
    const parsed = JSON.parse(dump) as Record<string, unknown>;
    expect(Object.keys(parsed)).toEqual(SMD_COLLECTIONS.map((c) => c.path));
    for (const collection of SMD_COLLECTIONS)
      expect(parsed[collection.path], collection.path).toEqual((await ok(target, 'GET', `/hsm/v2/${collection.path}`)).body);

    // Keys sorted (as `jq -S` writes them): components now come after what refers to them.
    const sorted = JSON.stringify(Object.fromEntries(Object.entries(parsed).sort(([a], [b]) => a.localeCompare(b))));
    const report = await importInto(third, textSource('sorted dump', sorted));
    expect(report.records).toBe(Object.values(await collections(target)).reduce((n, list) => n + list.length, 0));
    expect(await collections(third)).toEqual(await collections(target));
    expect((await importInto(third, textSource('dump', dump))).changes).toBe(0);
  }, 60_000);

  it('stores a password an SMD without Vault answers, and never shows or logs it', async () => {
    const password = 'from-the-dump-7Qx';
    const endpoint = {
      ID: 'x3000c0s9b0',
      Type: 'NodeBMC',
      Hostname: 'x3000c0s9b0',
      Domain: 'hmn',
      FQDN: 'x3000c0s9b0.hmn',
      Enabled: true,
      User: 'root',
      Password: password,
      RediscoverOnUpdate: false,
      DiscoveryInfo: { LastDiscoveryStatus: 'DiscoverOK' },
    };
    const document = JSON.stringify({ 'Inventory/RedfishEndpoints': { RedfishEndpoints: [endpoint] } });
    const diff: Change[] = [];
    await importInto(third, textSource('dump', document), { dryRun: true, onChange: (change) => diff.push(change) });
    expect(diff).toHaveLength(1);
    expect(JSON.stringify(diff)).not.toContain(password);
    await importInto(third, textSource('dump', document));
    expect((await readRedfishCredentials(third.db.prisma, 'x3000c0s9b0')).password).toBe(password);
    expect((await ok(third, 'GET', '/hsm/v2/Inventory/RedfishEndpoints/x3000c0s9b0')).body).toMatchObject({ ...endpoint, Password: '' });
    expect(JSON.stringify(await third.db.prisma.changeEvent.findMany({ where: { entityType: 'RedfishEndpoint' } }))).not.toContain(
      password,
    );
    expect((await importInto(third, textSource('dump', document))).changes).toBe(0);
  });
});

describe('bad smd sources import nothing', () => {
  async function refused(from: ImportSource) {
    const error = await importInto(empty, from).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(InventoryError);
    expect((await ok(empty, 'GET', '/hsm/v2/State/Components')).body.Components).toEqual([]);
    expect((await ok(empty, 'GET', '/hsm/v2/groups')).body).toEqual([]);
    expect(await empty.db.prisma.changeEvent.count()).toBe(0);
    return error as InventoryError;
  }

  it('malformed JSON names the record it broke in', async () => {
    const error = await refused(fileSource(join(FIXTURES, 'malformed.json')));
    expect(error).toMatchObject({ code: 'BAD_USER_INPUT', field: 'State/Components.1' });
    expect(error.message).toBe('State/Components.1: malformed JSON at line 5, column 57: expected a value');
  });

  it('a component with a bad xname names the record and ID', async () => {
    const error = await refused(fileSource(join(FIXTURES, 'bad-xname.json')));
    expect(error).toMatchObject({ code: 'BAD_USER_INPUT', field: 'State/Components.1.ID' });
    expect(error.message).toContain("State/Components record 1 (x1000c0s0bXn1): ID: xname ID 'x1000c0s0bXn1' is invalid");
  });

  it('a group member that is no component names the group and the member', async () => {
    const error = await refused(fileSource(join(FIXTURES, 'unknown-member.json')));
    expect(error).toMatchObject({ code: 'BAD_USER_INPUT', field: 'groups.0.members.ids.1' });
    expect(error.message).toContain('groups record 0 (compute): members.ids.1: linked component does not exist');
  });

  it('a document that is no dump, or has a key that is no collection, says so', async () => {
    expect(await refused(textSource('list', '[]'))).toMatchObject({ field: 'document' });
    const unknown = await refused(textSource('typo', '{"State/Component": []}'));
    expect(unknown).toMatchObject({ field: 'State/Component' });
    expect(unknown.message).toContain('State/Components');
    expect(await refused(textSource('shape', '{"groups": {"groups": []}}'))).toMatchObject({ field: 'groups' });
  });

  it('an unreachable URL fails clearly', async () => {
    const closed = await serveOnLoopback(empty.app);
    await closed.close();
    const error = await refused(urlSource(new URL(`${closed.url}/hsm/v2`)));
    expect(error).toMatchObject({ code: 'BAD_USER_INPUT', field: 'source' });
    expect(error.message).toBe(`source: cannot reach ${closed.url}/hsm/v2/State/Components: ECONNREFUSED`);
  });

  it('a refusing SMD says how to give it a token, and the token from SMD_TOKEN is sent', async () => {
    const token = 'test-token-3f9a';
    const smd = createServer((request, response) => {
      if (request.headers.authorization !== `Bearer ${token}`) {
        response
          .writeHead(401, { 'content-type': 'application/problem+json' })
          .end(JSON.stringify({ type: 'about:blank', title: 'Unauthorized', detail: 'missing token', status: 401 }));
        return;
      }
      const collection = SMD_COLLECTIONS.find((c) => request.url === `/hsm/v2/${c.path}`);
      response
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify(collection?.listKey ? { [collection.listKey]: [] } : []));
    });
    await new Promise<void>((resolve) => smd.listen(0, '127.0.0.1', resolve));
    const base = new URL(`http://127.0.0.1:${(smd.address() as AddressInfo).port}/hsm/v2/`);
    try {
      const error = await refused(urlSource(base));
      expect(error.message).toMatch(/answered 401: missing token \(give a token it accepts in SMD_TOKEN\)$/);
      process.env.SMD_TOKEN = token;
      const report = await importInto(empty, urlSource(base));
      expect(report.records).toBe(0);
      expect(error.message).not.toContain(token);
    } finally {
      delete process.env.SMD_TOKEN;
      smd.closeAllConnections();
      await new Promise((resolve) => smd.close(resolve));
    }
  });
});

describe('the CLI', () => {
  it('pulls a running SMD into a database as its own process', async () => {
    const fresh = await startTestGateway();
    try {
      const { stderr } = await promisify(execFile)(
        process.execPath,
        [
          join(PROJECT_ROOT, 'bin/inventory-gateway.mjs'),
          'import',
          'smd',
          `${served.url}/hsm/v2`,
          '--database-url',
          fresh.db.url,
          '--quiet',
        ],
        { cwd: PROJECT_ROOT, timeout: 90_000 },
      );
      expect(stderr).toMatch(/^imported: \d+ records from http:\/\/127\.0\.0\.1:\d+\/hsm\/v2 in [\d.]+ s; Component \d+ created/m);
      expect(await collections(fresh)).toEqual(await collections(source));
    } finally {
      await fresh.close();
    }
  }, 120_000);
});

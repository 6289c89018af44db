// The Chameleon reference API over a generated repository of a few dozen nodes: every route
// with its envelope and HATEOAS links, paging, the original's 404 texts, versions from the change
// log (one per request), availability "unknown" by default and from SMD reservations when
// configured. (test/compat/reference-api.test.ts holds the original's shapes field by field.)
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateReferenceTree, referenceDocument } from '../../src/fixtures/reference-repository.js';
import { importInventory } from '../../src/interop/index.js';
import { textSource } from '../../src/interop/source.js';
import { createApp } from '../../src/server/app.js';
import { ConfigError, parseCommandLine } from '../../src/server/config.js';
import { createMetrics } from '../../src/server/metrics.js';
import { updateDevice } from '../../src/services/inventory/device.js';
import { createLocation } from '../../src/services/inventory/location.js';
import { createComponent, installDevice, updateComponent } from '../../src/services/smd/component.js';
import { createReservations } from '../../src/services/smd/reservation.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { expectNothingChanged } from '../support/store-counts.js';

type Doc = Record<string, any>;

const tree = generateReferenceTree({ nodes: 40, seed: 3 });
const document = referenceDocument(tree) as Doc;
const siteDoc = (uid: string) => document.sites.find((s: Doc) => s.uid === uid) as Doc;
const { clusters: _clusters, ...il1 } = siteDoc('il1');
const testbed = siteDoc('il1').clusters.find((c: Doc) => c.uid === 'testbed') as Doc;
const { nodes: testbedNodes, ...testbedRecord } = testbed;
const firstNode = [...testbedNodes].sort((a: Doc, b: Doc) => a.uid.localeCompare(b.uid))[0] as Doc;

/** An item without what the API adds to the repository's JSON (the declared fields it lacks are null). */
const bare = ({ version: _v, links: _l, availability: _a, availability_until: _u, ...rest }: Doc) =>
  Object.fromEntries(Object.entries(rest).filter(([, value]) => value !== null));
const rels = (links: Array<{ rel: string; href: string }>) => Object.fromEntries(links.map((l) => [l.rel, l.href]));

let gateway: TestGateway;
let importVersion: string;
/** The current version, read from the change log itself: what every answer's `version` must be. */
const head = async () => {
  const last = await gateway.db.prisma.changeEvent.findFirstOrThrow({ orderBy: { seq: 'desc' } });
  return last.requestId ?? last.eventId;
};

beforeAll(async () => {
  gateway = await startTestGateway();
  await importInventory(
    { ...gateway.service, source: 'import', requestId: 'import-1' },
    'reference',
    textSource('document', JSON.stringify(document)),
  );
  importVersion = 'import-1';
});

afterAll(() => gateway?.close());

describe('sites', () => {
  it("GET /sites: every site, the collection envelope, and each item's links", async () => {
    const { status, body } = await gateway.rest('GET', '/sites');
    expect(status).toBe(200);
    expect(body).toMatchObject({ total: 6, offset: 0, version: importVersion });
    expect(rels(body.links)).toEqual({ self: '/sites', parent: '/' });
    expect(body.items.map((s: Doc) => s.uid)).toEqual(['ca1', 'co1', 'edge', 'il1', 'kvm1', 'tx1']);
    const item = body.items.find((s: Doc) => s.uid === 'il1');
    expect(bare(item)).toEqual(il1);
    expect(rels(item.links)).toEqual({
      self: '/sites/il1',
      parent: '/',
      clusters: '/sites/il1/clusters',
      flavors: '/sites/il1/flavors',
      versions: '/sites/il1/versions',
      version: `/sites/il1/versions/${importVersion}`,
    });
  });

  it('pages with offset and limit (1-500); a bad value is a 422 naming it', async () => {
    const { body } = await gateway.rest('GET', '/sites?offset=1&limit=2');
    expect(body).toMatchObject({ total: 6, offset: 1 });
    expect(body.items.map((s: Doc) => s.uid)).toEqual(['co1', 'edge']);
    for (const query of ['limit=0', 'limit=501', 'offset=-1', 'limit=ten']) {
      const bad = await gateway.rest('GET', `/sites?${query}`);
      expect(bad.status).toBe(422);
      expect(bad.body.detail).toEqual([expect.objectContaining({ loc: ['query', query.split('=')[0]], input: query.split('=')[1] })]);
    }
  });

  it('GET /sites/{site} (also as /sites/{site}.json); an unknown site is a 404', async () => {
    const { status, body } = await gateway.rest('GET', '/sites/il1');
    expect(status).toBe(200);
    expect(bare(body)).toEqual(il1);
    expect(body.version).toBe(importVersion);
    expect((await gateway.rest('GET', '/sites/il1.json')).body).toEqual(body);
    const missing = await gateway.rest('GET', '/sites/atlantis');
    expect(missing).toMatchObject({ status: 404, body: { detail: 'Site not found' } });
    expect((await gateway.rest('POST', '/sites', {})).status).toBe(405);
  });

  it('serves what the store holds: a site made through another API is listed too', async () => {
    await createLocation(gateway.service, {
      name: 'Made elsewhere',
      slug: 'other',
      locationType: 'site',
      description: 'not from the repository',
    });
    const { body } = await gateway.rest('GET', '/sites/other');
    expect(bare(body)).toEqual({ uid: 'other', name: 'Made elsewhere', description: 'not from the repository', type: 'site' });
    expect((await gateway.rest('GET', '/sites/other/clusters')).body).toMatchObject({ total: 0, items: [] });
    expect((await gateway.rest('GET', '/sites')).body.total).toBe(7);
  });
});

describe('clusters and nodes', () => {
  it("GET /sites/{site}/clusters and /clusters/{cluster}, with links; the original's 404s", async () => {
    const version = await head();
    const list = await gateway.rest('GET', '/sites/il1/clusters');
    expect(list.body).toMatchObject({ total: 2, offset: 0, version });
    expect(rels(list.body.links)).toEqual({ self: '/sites/il1/clusters', parent: '/sites/il1' });
    expect(list.body.items.map((c: Doc) => c.uid)).toEqual(['chameleon', 'testbed']);
    const one = await gateway.rest('GET', '/sites/il1/clusters/testbed');
    expect(bare(one.body)).toEqual({ ...testbedRecord, queues: ['admin', 'default'] });
    expect(rels(one.body.links)).toEqual({
      self: '/sites/il1/clusters/testbed',
      parent: '/sites/il1',
      nodes: '/sites/il1/clusters/testbed/nodes',
      versions: '/sites/il1/clusters/testbed/versions',
      version: `/sites/il1/clusters/testbed/versions/${version}`,
    });
    expect(await gateway.rest('GET', '/sites/il1/clusters/nope')).toMatchObject({ status: 404, body: { detail: 'Cluster not found' } });
    expect(await gateway.rest('GET', '/sites/nope/clusters')).toMatchObject({ status: 404, body: { detail: 'Site not found' } });
    expect(await gateway.rest('GET', '/sites/nope/clusters/testbed/nodes')).toMatchObject({
      status: 404,
      body: { detail: 'Site/cluster not found' },
    });
  });

  it('GET …/nodes: the nodes as the repository has them, in uid order, availability "unknown"', async () => {
    const version = await head();
    const { body } = await gateway.rest('GET', '/sites/il1/clusters/testbed/nodes');
    expect(body).toMatchObject({ total: testbedNodes.length, offset: 0, version });
    expect(rels(body.links)).toEqual({ self: '/sites/il1/clusters/testbed/nodes', parent: '/sites/il1/clusters/testbed' });
    expect(body.items.map(bare)).toEqual(
      JSON.parse(JSON.stringify([...testbedNodes].sort((a: Doc, b: Doc) => a.uid.localeCompare(b.uid)))),
    );
    expect(body.items.every((n: Doc) => n.availability === 'unknown')).toBe(true);
    const paged = await gateway.rest('GET', '/sites/il1/clusters/testbed/nodes?offset=2&limit=3');
    expect(paged.body.items.map((n: Doc) => n.uid)).toEqual(body.items.slice(2, 5).map((n: Doc) => n.uid));
    expect(paged.body.total).toBe(testbedNodes.length);
  });

  it('GET …/nodes/{uid}: one node with its links; "Node not found" for one not in that cluster', async () => {
    const version = await head();
    const path = `/sites/il1/clusters/testbed/nodes/${firstNode.uid}`;
    const { status, body } = await gateway.rest('GET', path);
    expect(status).toBe(200);
    expect(bare(body)).toEqual(JSON.parse(JSON.stringify(firstNode)));
    expect(body.availability).toBe('unknown');
    expect(rels(body.links)).toEqual({
      self: path,
      parent: '/sites/il1/clusters/testbed',
      versions: `${path}/versions`,
      version: `${path}/versions/${version}`,
    });
    expect((await gateway.rest('GET', `${path}.json`)).body).toEqual(body);
    const other = '00000000-0000-4000-8000-000000000000';
    expect(await gateway.rest('GET', `/sites/il1/clusters/testbed/nodes/${other}`)).toMatchObject({
      status: 404,
      body: { detail: 'Node not found' },
    });
    // A node of another cluster is not found through this one.
    const elsewhere = siteDoc('il1').clusters.find((c: Doc) => c.uid === 'chameleon').nodes[0].uid;
    expect((await gateway.rest('GET', `/sites/il1/clusters/testbed/nodes/${elsewhere}`)).status).toBe(404);
  });
});

describe('versions, from the change log', () => {
  it('/versions: one version per request, newest first; /versions/{id}; an unknown id is a 404', async () => {
    const before = await gateway.rest('GET', '/versions');
    expect(before.body).toMatchObject({ version: await head(), total: 2, offset: 0 }); // the import, the site made elsewhere
    expect(rels(before.body.links)).toEqual({ self: '/versions', parent: '/' });
    const imported = before.body.versions[1];
    expect(imported).toMatchObject({
      uid: importVersion,
      type: 'version',
      author: 'test',
      message: expect.stringMatching(/^import by test: \d+ Device created, \d+ Interface created/),
    });
    expect(imported.date).toMatch(/^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/);
    expect(rels(imported.links)).toEqual({ self: `/versions/${importVersion}`, parent: '/' });

    // A change through another API is a version of its own, and the current one.
    await updateDevice(gateway.service, firstNode.uid, { name: 'renamed' });
    const after = await gateway.rest('GET', '/versions');
    expect(after.body.total).toBe(3);
    const [latest] = after.body.versions;
    expect(after.body.versions.map((v: Doc) => v.uid)).toEqual([latest.uid, before.body.versions[0].uid, importVersion]);
    expect(latest).toMatchObject({ message: 'system by test: 1 Device updated', changes: 1 });
    expect(after.body.version).toBe(latest.uid);
    expect((await gateway.rest('GET', '/sites/il1')).body.version).toBe(latest.uid);
    expect((await gateway.rest('GET', `/versions/${importVersion}`)).body).toMatchObject({
      uid: importVersion,
      links: [
        { rel: 'self', href: `/versions/${importVersion}` },
        { rel: 'parent', href: '/' },
      ],
    });
    expect(await gateway.rest('GET', '/versions/no-such-version')).toMatchObject({ status: 404, body: { detail: 'Version not found' } });
  });

  it("an item's versions are the changes in it: the node's rename is its cluster's and site's, not another site's", async () => {
    const path = `/sites/il1/clusters/testbed/nodes/${firstNode.uid}`;
    const node = await gateway.rest('GET', `${path}/versions`);
    expect(node.body).toMatchObject({ total: 2, offset: 0 });
    expect(rels(node.body.links)).toEqual({ self: `${path}/versions`, parent: path });
    // The node's own history: its device, interfaces and child devices (its cluster membership is the cluster's).
    const devices = 1 + firstNode.storage_devices.length + (firstNode.gpu?.gpu_count ?? 0);
    const parts = [
      { n: devices, text: `${devices} Device created` },
      { n: firstNode.network_adapters.length, text: `${firstNode.network_adapters.length} Interface created` },
    ].sort((a, b) => b.n - a.n || a.text.localeCompare(b.text));
    expect(node.body.items.map((v: Doc) => v.message)).toEqual([
      'system by test: 1 Device updated',
      `import by test: ${parts.map((p) => p.text).join(', ')}`,
    ]);
    expect(rels(node.body.items[0].links)).toEqual({ self: `${path}/versions/${node.body.items[0].uid}`, parent: path });
    expect((await gateway.rest('GET', `${path}/versions/${importVersion}`)).body).toMatchObject({ uid: importVersion });

    // A site's or cluster's versions are those of everything in it, nodes and their parts included.
    const [rename] = node.body.items;
    const changesOf = (nodes: Doc[]) =>
      nodes.reduce(
        (n, x) => n + 2 + x.storage_devices.length + (x.gpu?.gpu_count ?? 0) + x.network_adapters.length, // device, membership, parts
        0,
      );
    const il1Nodes = siteDoc('il1').clusters.flatMap((c: Doc) => c.nodes);
    const site = await gateway.rest('GET', '/sites/il1/versions');
    expect(site.body).toMatchObject({ total: 2, items: [{ uid: rename.uid, changes: 1 }, { uid: importVersion }] });
    expect(site.body.items[1].changes).toBe(1 + siteDoc('il1').clusters.length + changesOf(il1Nodes));
    const cluster = await gateway.rest('GET', '/sites/il1/clusters/testbed/versions');
    expect(cluster.body.items.map((v: Doc) => v.uid)).toEqual([rename.uid, importVersion]);
    expect(cluster.body.items[1].changes).toBe(1 + changesOf(testbedNodes));
    // Another site's version of the rename is the version it was at then: the import.
    expect(await gateway.rest('GET', `/sites/co1/versions/${rename.uid}`)).toMatchObject({
      status: 200,
      body: {
        uid: importVersion,
        links: [
          { rel: 'self', href: `/sites/co1/versions/${rename.uid}` },
          { rel: 'parent', href: '/sites/co1' },
        ],
      },
    });
    expect(await gateway.rest('GET', '/sites/il1/versions/no-such-version')).toMatchObject({
      status: 404,
      body: { detail: 'Version not found' },
    });
    expect((await gateway.rest('GET', '/sites/nope/versions')).status).toBe(404);
  });
});

describe('availability from SMD reservations', () => {
  it('is off by default and set with --reference-availability (flag, env, file)', () => {
    expect(parseCommandLine([], {}).config.referenceAvailability).toBe('none');
    expect(parseCommandLine(['--reference-availability', 'smd'], {}).config.referenceAvailability).toBe('smd');
    expect(parseCommandLine([], { REFERENCE_AVAILABILITY: 'smd' }).config.referenceAvailability).toBe('smd');
    expect(() => parseCommandLine(['--reference-availability', 'blazar'], {})).toThrow(ConfigError);
  });

  it('with smd: reserved, maintenance, available for nodes in a position, unknown for the others', async () => {
    const app = createApp({
      database: gateway.db,
      logger: pino({ level: 'silent' }),
      metrics: createMetrics(),
      reference: { availability: 'smd' },
    });
    const ctx = gateway.service;
    const nodes = siteDoc('co1').clusters[0].nodes as Doc[];
    const [reserved, disabled, free] = [...nodes].sort((a: Doc, b: Doc) => a.uid.localeCompare(b.uid)) as Doc[];
    const positions = ['x3000c0s1b0n0', 'x3000c0s2b0n0', 'x3000c0s3b0n0'];
    for (const [i, node] of [reserved, disabled, free].entries()) {
      await createComponent(ctx, { xname: positions[i] as string });
      await installDevice(ctx, positions[i] as string, node?.uid);
    }
    await createReservations(ctx, { id: [positions[0] as string], reservationDuration: 10 }, 'service');
    await updateComponent(ctx, positions[1] as string, { reservationDisabled: true });
    const response = await app.fetch(new Request('http://gateway.test/sites/co1/clusters/chameleon/nodes'));
    const items = ((await response.json()) as Doc).items as Doc[];
    const of = (uid: string) => items.find((n) => n.uid === uid) as Doc;
    expect(of(reserved?.uid)).toMatchObject({ availability: 'reserved', availability_until: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/) });
    expect(of(disabled?.uid).availability).toBe('maintenance');
    expect(of(free?.uid).availability).toBe('available');
    expect(items.filter((n) => n.availability === 'unknown')).toHaveLength(nodes.length - 3);
    // The default app still says unknown.
    expect((await gateway.rest('GET', `/sites/co1/clusters/chameleon/nodes/${reserved?.uid}`)).body.availability).toBe('unknown');
  });
});

describe('the format through the import and export API', () => {
  it('POST /apis/import/v1/reference?dryRun=true answers the diff; GET /apis/export/v1/reference is the repository as one document', async () => {
    const exported = await gateway.rest('GET', '/apis/export/v1/reference');
    expect(exported.status).toBe(200);
    const site = (exported.body.sites as Doc[]).find((s) => s.uid === 'il1') as Doc;
    expect(site.clusters.find((c: Doc) => c.uid === 'testbed').nodes).toHaveLength(testbedNodes.length);
    const added = {
      ...firstNode,
      uid: '11111111-2222-4333-8444-555555555555',
      node_name: 'added',
      network_adapters: [],
      storage_devices: [],
      gpu: { gpu: false },
    };
    site.clusters.find((c: Doc) => c.uid === 'testbed').nodes.push(added);
    // A dry run writes nothing.
    const dry = await expectNothingChanged(gateway.db.prisma, () =>
      gateway.rest('POST', '/apis/import/v1/reference?dryRun=true', exported.body),
    );
    expect(dry.status).toBe(200);
    // The site made elsewhere (top-level) comes back under the one grid the document has.
    expect(dry.body).toMatchObject({
      dryRun: true,
      counts: { Device: { created: 1 }, Group: { member_added: 1 }, Location: { moved: 1 } },
    });
    expect(Object.keys(dry.body.counts).sort()).toEqual(['Device', 'Group', 'Location']);
    expect(dry.body.diff).toContainEqual({ entityType: 'Device', entityId: added.uid, action: 'created', fields: [] });
  });
});

// Chameleon's reference API as reference_api_v2 serves it, over real HTTP, after importing a
// small repository laid out as a clone (test/fixtures/reference/cloned): the root document;
// sites, clusters, nodes and flavors with the fields the original's models declare (null when
// absent) and a cluster's default queues; versions at every level with the original's links;
// FastAPI's errors with the original's texts; and the demo's cluster served the same way.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/db/client.js';
import { seedDemo } from '../../src/fixtures/seed.js';
import { importInventory } from '../../src/interop/index.js';
import { fileSource } from '../../src/interop/source.js';
import { updateDevice } from '../../src/services/inventory/device.js';
import { createLocation } from '../../src/services/inventory/location.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { type RunningServer, serveOnLoopback } from '../support/http-server.js';

type Doc = Record<string, any>;

const CLONE = join(PROJECT_ROOT, 'test/fixtures/reference/cloned');
const DATA = join(CLONE, 'data/campus');
const record = (path: string): Doc => JSON.parse(readFileSync(join(DATA, path), 'utf8'));
const ALPHA_1 = '5d0e8f2a-61c4-4b8e-9a37-0c2f4e6b8d10';
const ALPHA_2 = '9b7c3a1e-2f4d-4c6a-8e0b-1d3f5a7c9e20';
const IMPORT = 'import-campus';

const rels = (links: Array<{ rel: string; href: string }>) => Object.fromEntries(links.map((l) => [l.rel, l.href]));

let gateway: TestGateway;
let server: RunningServer;

async function get(path: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${server.url}${path}`, { headers, redirect: 'manual' });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

beforeAll(async () => {
  gateway = await startTestGateway();
  server = await serveOnLoopback(gateway.app);
  await importInventory({ ...gateway.service, source: 'import', requestId: IMPORT }, 'reference', fileSource(CLONE));
});

afterAll(async () => {
  await server?.close();
  await gateway?.close();
});

describe('the root document', () => {
  it("is the grid's record with the current version, its time and the links (the grid's own first)", async () => {
    const last = await gateway.db.prisma.changeEvent.findFirstOrThrow({ orderBy: { seq: 'desc' } });
    const { status, body } = await get('/');
    expect(status).toBe(200);
    expect(body).toEqual({
      type: 'grid',
      uid: 'campus',
      version: IMPORT,
      timestamp: String(Math.floor(last.occurredAt.getTime() / 1000)),
      links: [
        { rel: 'handbook', href: 'https://campus.example.org/handbook' },
        { rel: 'sites', href: '/sites' },
        { rel: 'self', href: '/' },
        { rel: 'parent', href: '/' },
        { rel: 'versions', href: '/versions' },
      ],
    });
  });

  it('sends a browser on to the operator console instead', async () => {
    const page = await get('/', { accept: 'text/html,application/xhtml+xml' });
    expect(page.status).toBe(302);
    expect(new URL(page.headers.get('location') as string).pathname).toBe('/ui/');
  });
});

describe('sites', () => {
  it('lists every site with the declared fields, null where the record has none, and the links', async () => {
    const { status, body } = await get('/sites');
    expect(status).toBe(200);
    expect(body).toMatchObject({ total: 2, offset: 0, version: IMPORT });
    expect(rels(body.links)).toEqual({ self: '/sites', parent: '/' });
    expect(body.items.map((s: Doc) => s.uid)).toEqual(['north', 'south']);
    expect(body.items[1]).toEqual({
      uid: 'south',
      name: 'SOUTH (virtual machines)',
      description: null,
      email_contact: null,
      latitude: null,
      longitude: null,
      location: null,
      security_contact: null,
      site_class: null,
      sys_admin_contact: null,
      user_support_contact: null,
      web: null,
      type: 'site',
      version: IMPORT,
      links: [
        { rel: 'self', href: '/sites/south' },
        { rel: 'parent', href: '/' },
        { rel: 'clusters', href: '/sites/south/clusters' },
        { rel: 'flavors', href: '/sites/south/flavors' },
        { rel: 'versions', href: '/sites/south/versions' },
        { rel: 'version', href: `/sites/south/versions/${IMPORT}` },
      ],
    });
  });

  it('serves one site as its file says (also as /sites/{site}.json); an unknown one is "Site not found"', async () => {
    const { status, body } = await get('/sites/north');
    expect(status).toBe(200);
    const { version, links, ...fields } = body;
    expect(fields).toEqual(record('sites/north/north.json'));
    expect(version).toBe(IMPORT);
    expect(links).toHaveLength(6);
    expect((await get('/sites/north.json')).body).toEqual(body);
    expect(await get('/sites/atlantis')).toMatchObject({ status: 404, body: { detail: 'Site not found' } });
  });
});

describe('clusters', () => {
  it('serve queues ["admin", "default"] unless the record has some, and created_at null when it has none', async () => {
    const north = await get('/sites/north/clusters');
    expect(north.body).toMatchObject({ total: 2, offset: 0, version: IMPORT });
    expect(rels(north.body.links)).toEqual({ self: '/sites/north/clusters', parent: '/sites/north' });
    const [alpha, beta] = north.body.items;
    expect(alpha).toMatchObject({ uid: 'alpha', created_at: 'Tue, 01 Mar 2022 09:00:00 GMT', queues: ['admin', 'default'] });
    expect(beta).toMatchObject({ uid: 'beta', created_at: null, queues: ['gpu', 'debug'] });
    // Empty queues are no queues; a cluster kept as clusters/<c>.json is served like any other.
    const gamma = await get('/sites/south/clusters/gamma');
    expect(gamma.body).toMatchObject({ uid: 'gamma', queues: ['admin', 'default'], type: 'cluster' });
    expect(rels(alpha.links)).toEqual({
      self: '/sites/north/clusters/alpha',
      parent: '/sites/north',
      nodes: '/sites/north/clusters/alpha/nodes',
      versions: '/sites/north/clusters/alpha/versions',
      version: `/sites/north/clusters/alpha/versions/${IMPORT}`,
    });
    expect((await get('/sites/north/clusters/alpha')).body).toEqual(alpha);
  });

  it('answer the original\'s 404s: "Cluster not found", and "Site not found" for the list of an unknown site', async () => {
    expect(await get('/sites/north/clusters/omega')).toMatchObject({ status: 404, body: { detail: 'Cluster not found' } });
    expect(await get('/sites/atlantis/clusters/alpha')).toMatchObject({ status: 404, body: { detail: 'Cluster not found' } });
    expect(await get('/sites/atlantis/clusters')).toMatchObject({ status: 404, body: { detail: 'Site not found' } });
  });
});

describe('nodes', () => {
  it('serve node_name and node_type (null when absent), the availability and the links', async () => {
    const { body } = await get('/sites/north/clusters/alpha/nodes');
    expect(body).toMatchObject({ total: 2, offset: 0, version: IMPORT });
    expect(rels(body.links)).toEqual({ self: '/sites/north/clusters/alpha/nodes', parent: '/sites/north/clusters/alpha' });
    expect(body.items.map((n: Doc) => [n.uid, n.node_name, n.node_type, n.availability])).toEqual([
      [ALPHA_1, 'alpha-01', 'compute_icelake', 'unknown'],
      [ALPHA_2, 'alpha-02', null, 'unknown'],
    ]);
    const path = `/sites/north/clusters/alpha/nodes/${ALPHA_1}`;
    const one = await get(path);
    const { version, links, availability: _a, ...fields } = one.body;
    expect(fields).toEqual(record(`sites/north/clusters/alpha/nodes/${ALPHA_1}.json`));
    expect(rels(links)).toEqual({
      self: path,
      parent: '/sites/north/clusters/alpha',
      versions: `${path}/versions`,
      version: `${path}/versions/${IMPORT}`,
    });
    expect((await get('/sites/north/clusters/beta/nodes')).body).toMatchObject({ total: 0, items: [] });
  });

  it('answer "Node not found", and "Site/cluster not found" for the list of an unknown cluster', async () => {
    expect(await get(`/sites/north/clusters/beta/nodes/${ALPHA_1}`)).toMatchObject({ status: 404, body: { detail: 'Node not found' } });
    expect(await get('/sites/north/clusters/omega/nodes')).toMatchObject({ status: 404, body: { detail: 'Site/cluster not found' } });
    expect(await get('/sites/atlantis/clusters/alpha/nodes')).toMatchObject({ status: 404, body: { detail: 'Site/cluster not found' } });
  });
});

describe('flavors', () => {
  it("are the site's flavors with the declared fields, a uid's spelling kept", async () => {
    const { body } = await get('/sites/south/flavors');
    expect(body).toMatchObject({ total: 2, offset: 0, version: IMPORT });
    expect(rels(body.links)).toEqual({ self: '/sites/south/flavors', parent: '/sites/south' });
    expect(body.items.map((f: Doc) => f.uid)).toEqual(['GPU.Large', 'vm.small']);
    const small = body.items[1];
    expect(small).toMatchObject({ gpu: null, openstack_properties: null, su_cost_per_hour: null, vcpus: 1 });
    const { version, links, ...fields } = (await get('/sites/south/flavors/vm.small')).body;
    expect(fields).toEqual({
      ...record('sites/south/flavors/vm.small.json'),
      gpu: null,
      openstack_properties: null,
      su_cost_per_hour: null,
    });
    expect(rels(links)).toEqual({
      self: '/sites/south/flavors/vm.small',
      parent: '/sites/south',
      versions: '/sites/south/flavors/vm.small/versions',
      version: `/sites/south/flavors/vm.small/versions/${version}`,
    });
    expect((await get('/sites/south/flavors/GPU.Large')).body).toMatchObject({ uid: 'GPU.Large', vcpus: 16, su_cost_per_hour: 2.5 });
  });

  it('answer "Flavor not found" (uids are matched exactly), and the original\'s word on flavor availability', async () => {
    expect(await get('/sites/south/flavors/gpu.large')).toMatchObject({ status: 404, body: { detail: 'Flavor not found' } });
    expect(await get('/sites/north/flavors/vm.small')).toMatchObject({ status: 404, body: { detail: 'Flavor not found' } });
    expect((await get('/sites/north/flavors')).body).toMatchObject({ total: 0, items: [] });
    expect(await get('/sites/atlantis/flavors')).toMatchObject({ status: 404, body: { detail: 'Site not found' } });
    expect(await get('/sites/south/flavors/vm.small/availability')).toMatchObject({
      status: 404,
      body: { detail: 'Flavor availability is not configured for this site' },
    });
  });
});

describe('versions at every level', () => {
  const node = `/sites/north/clusters/alpha/nodes/${ALPHA_2}`;
  // [the versions list, its parent link, its items' parent link]: the original's choices, level by level.
  const levels: Array<[string, string, string]> = [
    ['/sites/versions', '/', '/sites'],
    ['/sites/north/versions', '/sites', '/sites/north'],
    ['/sites/north/clusters/versions', '/sites/north', '/sites/north/clusters'],
    ['/sites/north/clusters/alpha/versions', '/sites/north/clusters/alpha', '/sites/north/clusters/alpha'],
    [`${node}/versions`, node, node],
    ['/sites/south/flavors/versions', '/sites/south', '/sites/south/flavors'],
    ['/sites/south/flavors/GPU.Large/versions', '/sites/south/flavors/GPU.Large', '/sites/south/flavors/GPU.Large'],
  ];

  it.each(levels)('%s: the import, linked to itself and its item; each version link resolves', async (path, parent, itemParent) => {
    const { status, body } = await get(path);
    expect(status).toBe(200);
    expect(body).toMatchObject({ total: 1, offset: 0, version: IMPORT });
    expect(rels(body.links)).toEqual({ self: path, parent });
    const [version] = body.items;
    expect(version).toMatchObject({ uid: IMPORT, type: 'version', author: 'test' });
    expect(version.date).toMatch(/^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/);
    expect(rels(version.links)).toEqual({ self: `${path}/${IMPORT}`, parent: itemParent });
    expect(await get(`${path}/${IMPORT}`)).toMatchObject({ status: 200, body: { uid: IMPORT, type: 'version' } });
  });

  it('/versions is the whole store, shaped { versions, version, links }', async () => {
    const { body } = await get('/versions');
    expect(body).toMatchObject({ version: IMPORT, versions: [{ uid: IMPORT, type: 'version' }] });
    expect(rels(body.links)).toEqual({ self: '/versions', parent: '/' });
    expect(rels(body.versions[0].links)).toEqual({ self: `/versions/${IMPORT}`, parent: '/' });
  });

  it("a change is a version of what holds it, as git log of a directory: the node, its cluster, site and the sites; not the others'", async () => {
    const before = (await get('/versions')).body.versions.length;
    await updateDevice({ ...gateway.service, requestId: 'rename-alpha-02' }, ALPHA_2, { name: 'alpha-02b' });
    const uids = async (path: string) => (await get(path)).body.items.map((v: Doc) => v.uid);
    for (const path of [`${node}/versions`, '/sites/north/clusters/alpha/versions', '/sites/north/versions', '/sites/versions'])
      expect(await uids(path)).toEqual(['rename-alpha-02', IMPORT]);
    for (const path of [
      `/sites/north/clusters/alpha/nodes/${ALPHA_1}/versions`,
      '/sites/north/clusters/beta/versions',
      '/sites/south/versions',
    ])
      expect(await uids(path)).toEqual([IMPORT]);
    expect((await get('/versions')).body.versions).toHaveLength(before + 1);
    expect((await get(`${node}/versions/rename-alpha-02`)).body).toMatchObject({ changes: 1, message: 'system by test: 1 Device updated' });
  });

  it("an item's version link (the store's current version) resolves to the item's version in effect then", async () => {
    const south = (await get('/sites/south')).body;
    const link = rels(south.links).version as string;
    expect(link).toBe(`/sites/south/versions/${south.version}`);
    expect(south.version).not.toBe(IMPORT);
    const { status, body } = await get(link);
    expect(status).toBe(200);
    expect(body).toMatchObject({ uid: IMPORT, type: 'version' });
    expect(rels(body.links)).toEqual({ self: link, parent: '/sites/south' });
  });

  it('an unknown version is "Version not found"; so is one from before the item existed; a missing item\'s list is its 404', async () => {
    expect(await get('/sites/north/versions/no-such-version')).toMatchObject({ status: 404, body: { detail: 'Version not found' } });
    expect(await get('/versions/no-such-version')).toMatchObject({ status: 404, body: { detail: 'Version not found' } });
    await createLocation({ ...gateway.service, requestId: 'east-built' }, { name: 'East', slug: 'east', locationType: 'site' });
    expect((await get('/sites/east/versions')).body.items.map((v: Doc) => v.uid)).toEqual(['east-built']);
    expect(await get(`/sites/east/versions/${IMPORT}`)).toMatchObject({ status: 404, body: { detail: 'Version not found' } });
    expect(await get('/sites/atlantis/versions')).toMatchObject({ status: 404, body: { detail: 'Site not found' } });
    expect(await get(`/sites/atlantis/versions/${IMPORT}`)).toMatchObject({ status: 404, body: { detail: 'Version not found' } });
    expect(await get('/sites/north/clusters/omega/versions')).toMatchObject({ status: 404, body: { detail: 'Cluster not found' } });
    expect(await get('/sites/south/flavors/nope/versions')).toMatchObject({ status: 404, body: { detail: 'Flavor not found' } });
  });
});

describe('errors, as FastAPI writes them', () => {
  const lists = [
    '/sites',
    '/sites/north/clusters',
    '/sites/north/clusters/alpha/nodes',
    '/sites/south/flavors',
    '/versions',
    '/sites/north/versions',
  ];

  it.each(lists)('%s: every bad offset or limit at once, a 422 naming each by its place', async (path) => {
    const { status, body } = await get(`${path}?offset=-1&limit=ten`);
    expect(status).toBe(422);
    expect(body).toEqual({
      detail: [
        {
          type: 'greater_than_equal',
          loc: ['query', 'offset'],
          msg: 'Input should be greater than or equal to 0',
          input: '-1',
          ctx: { ge: 0 },
        },
        {
          type: 'int_parsing',
          loc: ['query', 'limit'],
          msg: 'Input should be a valid integer, unable to parse string as an integer',
          input: 'ten',
        },
      ],
    });
    expect((await get(`${path}?limit=0`)).body.detail).toEqual([
      { type: 'greater_than', loc: ['query', 'limit'], msg: 'Input should be greater than 0', input: '0', ctx: { gt: 0 } },
    ]);
    expect((await get(`${path}?limit=501`)).body.detail).toEqual([
      {
        type: 'less_than_equal',
        loc: ['query', 'limit'],
        msg: 'Input should be less than or equal to 500',
        input: '501',
        ctx: { le: 500 },
      },
    ]);
  });

  it('echoes a long value as a short excerpt; reads names as given and the last of repeated values', async () => {
    const long = await get(`/sites?limit=${'9'.repeat(5000)}`);
    expect(long.status).toBe(422);
    expect(long.body.detail[0].input.length).toBeLessThanOrEqual(65);
    expect((await get('/sites?limit=5&limit=1')).body.items).toHaveLength(1);
    expect((await get('/sites?LIMIT=1')).body.items.length).toBeGreaterThan(1);
    expect((await get('/sites?offset=99999999999999999999')).body).toMatchObject({ items: [] });
    expect((await get('/sites/north/clusters/alpha/nodes?offset=99999999999999999999')).body).toMatchObject({ total: 2, items: [] });
  });

  it('a value the store cannot hold, in the path or the query, is a 422 naming where it is', async () => {
    expect(await get('/sites/no%00rth/clusters')).toMatchObject({
      status: 422,
      body: { detail: [expect.objectContaining({ type: 'value_error', loc: ['path', 'site'] })] },
    });
    expect((await get('/sites?offset=%00')).body.detail).toEqual([expect.objectContaining({ loc: ['query', 'offset'] })]);
  });

  it('a method the route does not have is 405 "Method Not Allowed" with Allow', async () => {
    const response = await fetch(`${server.url}/sites`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET');
    expect(await response.json()).toEqual({ detail: 'Method Not Allowed' });
  });
});

describe('the demo', () => {
  it('serves a site with a cluster of every node, under a grid', async () => {
    const demo = await startTestGateway();
    try {
      const outcome = await seedDemo(demo.db, { nodes: 4 });
      expect(outcome.seeded).toBe(true);
      expect((await demo.rest('GET', '/')).body).toMatchObject({ uid: 'demo', type: 'grid' });
      const clusters = await demo.rest('GET', '/sites/synthetic-site/clusters');
      expect(clusters.body.items.map((c: Doc) => c.uid)).toEqual(['synthetic']);
      const nodes = await demo.rest('GET', '/sites/synthetic-site/clusters/synthetic/nodes');
      expect(nodes.body.total).toBe(4);
      // The node's GPUs are its GPU devices; its NIC is a device of its own, so it has no adapters.
      expect(nodes.body.items[0]).toMatchObject({
        type: 'node',
        gpu: { gpu_count: 2 },
        node_name: expect.any(String),
        availability: 'unknown',
      });
      const exported = await demo.rest('GET', '/apis/export/v1/reference');
      expect(exported.body.sites[0].clusters[0].nodes).toHaveLength(4);
    } finally {
      await demo.close();
    }
  });
});

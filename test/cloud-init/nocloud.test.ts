// The NoCloud documents a booting node fetches, identified by its client address.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { onStatement } from '../../src/db/sql-counter.js';
import { generatedHostname } from '../../src/domain/nocloud-metadata.js';
import { TrustedProxies } from '../../src/server/client-address.js';
import {
  deleteGroupTemplate,
  deleteInstanceInfo,
  setClusterDefaults,
  setGroupTemplate,
  setInstanceInfo,
} from '../../src/services/cloud-init/cloud-init.js';
import { createInterface, deleteInterface } from '../../src/services/inventory/interface.js';
import { type NoCloudGateway, nodeAddress, startNoCloudGateway } from '../support/nocloud.js';

const NODES = 200;
/** Node 5: NID 6, role Compute, groups compute and sles15 (odd nodes), address 10.100.0.6. */
const NODE = 5;
const PEER = nodeAddress(NODE);
const SEEDED_BASE_URL = 'http://cloud-init.synthetic.local/cloud-init';

let gw: NoCloudGateway;
let xname: string;

beforeAll(async () => {
  gw = await startNoCloudGateway({ nodes: NODES });
  xname = (await gw.db.prisma.component.findFirstOrThrow({ where: { nid: NODE + 1 } })).xname;
}, 120_000);
afterAll(() => gw.close());

async function metaData(peer = PEER, path = '/meta-data'): Promise<Record<string, any>> {
  const response = await gw.fetch(path, peer);
  expect(response.status).toBe(200);
  return parse(await response.text());
}

async function text(path: string, peer = PEER): Promise<{ status: number; body: string; type: string | null }> {
  const response = await gw.fetch(path, peer);
  return { status: response.status, body: await response.text(), type: response.headers.get('content-type') };
}

describe('meta-data', () => {
  it('tells the node who it is, as metadata-service does: instance-id is the xname, the rest under instance_data', async () => {
    const response = await gw.fetch('/meta-data', PEER);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/x-yaml');
    expect(response.headers.get('cache-control')).toBe('no-store');
    const md = parse(await response.text());
    expect(Object.keys(md)).toEqual(['instance-id', 'local-hostname', 'hostname', 'cluster-name', 'instance_data']);
    expect(md).toMatchObject({ 'instance-id': xname, 'local-hostname': 'nid000006', hostname: 'nid000006', 'cluster-name': 'synthetic' });
    const v1 = md.instance_data.v1;
    expect(v1).toMatchObject({
      cloud_name: 'OpenCHAMI',
      availability_zone: 'room-1',
      instance_id: xname,
      local_hostname: 'nid000006',
      region: 'lab',
      hostname: 'nid000006',
      local_ipv4: PEER,
      cloud_provider: 'synthetic',
      public_keys: [expect.stringMatching(/^ssh-ed25519 /)],
    });
    expect(v1.vendor_data).toEqual({
      version: '1.0',
      cloud_init_base_url: SEEDED_BASE_URL,
      cluster_name: 'synthetic',
      nid: 6,
      role: 'Compute',
      mac: expect.stringMatching(/^02:10:/),
      interfaces: [{ name: 'eth0', mac: v1.vendor_data.mac, enabled: true, ip: PEER, network: 'NMN' }],
      // Every group the node is in; those without a cloud-init Group show nothing.
      groups: { compute: {}, sles15: {} },
    });
  });

  it('offers the earlier forms: the i- instance-id, and the keys cloud-init reads at the top', async () => {
    const earlier = gw.openApp({ nocloud: { basePath: '/cloud-init', documents: { instanceIdForm: 'hashed', cloudInitKeys: true } } });
    const md = parse(await (await earlier.fetch('/meta-data', PEER)).text());
    expect(md['instance-id']).toMatch(/^i-[0-9a-f]{8}$/);
    expect(md.instance_data.v1.instance_id).toBe(md['instance-id']);
    expect(md).toMatchObject({ region: 'lab', 'availability-zone': 'room-1', 'cloud-name': 'OpenCHAMI' });
    expect(md['public-keys']).toEqual(md.instance_data.v1.public_keys);
    // Instance info naming the xname (or the i- form) follows the configured form; another id is kept.
    await setInstanceInfo(gw.service, xname, { instanceId: xname });
    expect(parse(await (await earlier.fetch('/meta-data', PEER)).text())['instance-id']).toBe(md['instance-id']);
    expect((await metaData())['instance-id']).toBe(xname);
    await setInstanceInfo(gw.service, xname, { instanceId: md['instance-id'] });
    expect((await metaData())['instance-id']).toBe(xname);
    await setInstanceInfo(gw.service, xname, { instanceId: 'node-six' });
    expect(parse(await (await earlier.fetch('/meta-data', PEER)).text())['instance-id']).toBe('node-six');
    await deleteInstanceInfo(gw.service, xname);
  });

  it('is the same under the base path, glued to it (cloud-init ≤ 22.x) and with a query string', async () => {
    const root = await text('/meta-data');
    for (const path of ['/cloud-init/meta-data', '/cloud-initmeta-data', '/meta-data?node=x', '/cloud-init/meta-data/']) {
      expect(await text(path)).toEqual(root);
    }
  });

  it('keeps the instance-id across restarts and when instance info is set without one', async () => {
    const before = await metaData();
    const restarted = gw.openApp({});
    expect(parse(await (await restarted.fetch('/meta-data', PEER)).text())['instance-id']).toBe(before['instance-id']);
    await setInstanceInfo(gw.service, xname, { region: 'lab-2' });
    expect((await metaData())['instance-id']).toBe(before['instance-id']);
    await deleteInstanceInfo(gw.service, xname);
  });

  it('takes instance info over the defaults: instance-id, each hostname on its own, keys, base URL', async () => {
    await setInstanceInfo(gw.service, xname, {
      instanceId: 'i-login01',
      hostname: 'login01',
      publicKeys: ['ssh-rsa AAAA admin'],
      cloudInitBaseUrl: 'https://ci.example/',
    });
    const md = await metaData();
    // metadata-service sets local-hostname from local_hostname only: hostname does not stand in.
    expect(md).toMatchObject({ 'instance-id': 'i-login01', 'local-hostname': 'nid000006', hostname: 'login01' });
    expect(md.instance_data.v1.public_keys).toHaveLength(2);
    expect(md.instance_data.v1.public_keys[1]).toBe('ssh-rsa AAAA admin');
    expect(md.instance_data.v1.vendor_data.cloud_init_base_url).toBe('https://ci.example');
    await deleteInstanceInfo(gw.service, xname);
  });

  it('generates hostnames as OpenCHAMI does: short name or two letters of the cluster name, zero-padded NID', async () => {
    await setClusterDefaults(gw.service, { shortName: null, nidLength: 3 });
    expect((await metaData())['local-hostname']).toBe('sy006');
    await setClusterDefaults(gw.service, { shortName: 'nid', nidLength: 6 });
    const node = { xname: 'x1c0s0b0n0', clusterDefaults: { shortName: null, nidLength: 4 } as never };
    expect(generatedHostname({ ...node, nid: 1000 }, 'testcluster')).toBe('te1000');
    expect(generatedHostname({ ...node, nid: 123456 }, 'testcluster')).toBe('te123456');
    expect(generatedHostname({ ...node, nid: 7 }, 'x')).toBe('x0007');
    expect(generatedHostname({ ...node, nid: null }, 'testcluster')).toBe('x1c0s0b0n0');
    // No defaults: 4 digits, as metadata-service; its empty prefix (a bare number) is not copied.
    expect(generatedHostname({ xname: 'x1c0s0b0n0', nid: 1, clusterDefaults: null }, undefined)).toBe('nid0001');
  });

  it('finds a node through the device installed in its position', async () => {
    const node = await gw.db.prisma.component.findFirstOrThrow({ where: { xname }, include: { installations: { where: { open: true } } } });
    const nic = await createInterface(gw.service, {
      deviceId: node.installations[0].deviceId,
      name: 'ib0',
      kind: 'ethernet',
      ipAddresses: [{ address: '10.200.0.6', network: 'HSN' }],
    });
    const md = await metaData('10.200.0.6');
    expect(md['instance-id']).toBe(xname);
    expect(md.instance_data.v1.local_ipv4).toBe('10.200.0.6');
    expect(md.instance_data.v1.vendor_data.interfaces.map((i: { name: string }) => i.name)).toEqual(['eth0', 'ib0']);
    await deleteInterface(gw.service, nic.id);
    expect((await text('/meta-data', '10.200.0.6')).status).toBe(404);
  });
});

describe('an address no node has', () => {
  it('gets 404 with a clear message for meta-data and group documents', async () => {
    for (const path of ['/meta-data', '/cloud-init/meta-data', '/compute.yaml']) {
      expect(await text(path, '10.9.9.9')).toEqual({
        status: 404,
        body: 'node not found for address 10.9.9.9\n',
        type: 'text/plain; charset=utf-8',
      });
    }
  });

  it('still gets the documents that are the same for everyone or optional (a 404 costs ten retries)', async () => {
    expect(await text('/user-data', '10.9.9.9')).toMatchObject({ status: 200, body: '#cloud-config\n' });
    expect(await text('/vendor-data', '10.9.9.9')).toMatchObject({ status: 200, body: '#cloud-config\n' });
    expect(await text('/network-config', '10.9.9.9')).toMatchObject({ status: 200 });
  });
});

describe('user-data and network-config', () => {
  it('user-data is an empty cloud-config', async () => {
    expect(await text('/user-data')).toEqual({ status: 200, body: '#cloud-config\n', type: 'text/cloud-config' });
    expect(await text('/cloud-inituser-data')).toMatchObject({ status: 200, body: '#cloud-config\n' });
  });

  it('network-config tells cloud-init ≥ 24.3 to leave networking alone', async () => {
    const { status, body } = await text('/cloud-init/network-config');
    expect(status).toBe(200);
    expect(parse(body)).toEqual({ config: 'disabled' });
  });
});

describe('vendor-data and group documents', () => {
  const SERVER_TEMPLATE = [
    '#cloud-config',
    'write_files:',
    '  - path: /etc/node-info',
    '    content: |',
    '      HOST={{ hostname }} NID={{ nid }} ROLE={{ role }} IP={{ ip }} MAC={{ mac }}',
    '      CLUSTER={{ cluster_name }} ID={{ instance_id }} DS={{ ds.meta_data["local-hostname"] }}',
    '      SCHED={{ scheduler }} FROM_GROUPS={{ vendor_data.groups.compute.scheduler }} REGION={{ region }}',
    'ssh_authorized_keys: {{ public_keys }}',
    '',
  ].join('\n');
  const CLIENT_TEMPLATE = '## template: jinja\n#cloud-config\nruncmd:\n  - echo {{ ds.meta_data.local_hostname }}\n';

  beforeAll(async () => {
    await setGroupTemplate(gw.service, 'compute', { template: SERVER_TEMPLATE, metaData: { scheduler: 'slurm', region: 'overridden' } });
  });

  it("lists the node's groups that have a template, at the cluster defaults' base URL", async () => {
    expect(await text('/vendor-data')).toEqual({
      status: 200,
      body: `#include\n${SEEDED_BASE_URL}/compute.yaml\n`,
      type: 'text/plain; charset=utf-8',
    });
    await setGroupTemplate(gw.service, 'sles15', { template: CLIENT_TEMPLATE });
    expect((await text('/vendor-data')).body).toBe(`#include\n${SEEDED_BASE_URL}/compute.yaml\n${SEEDED_BASE_URL}/sles15.yaml\n`);
    // node 4 is in rocky9, which has no template
    expect((await text('/vendor-data', nodeAddress(4))).body).toBe(`#include\n${SEEDED_BASE_URL}/compute.yaml\n`);
  });

  it('derives the base URL from the request when no defaults name one; a bare #include for no groups', async () => {
    await setClusterDefaults(gw.service, { baseUrl: null });
    expect((await text('/vendor-data')).body).toContain('http://gateway.test/cloud-init/compute.yaml');
    await setClusterDefaults(gw.service, { baseUrl: SEEDED_BASE_URL });
    // node 0 (Management) is in "service", which has no template
    expect((await text('/vendor-data', nodeAddress(0))).body).toBe('#include\n');
  });

  it("renders a server-side template with the node's data; group metaData overrides built-in keys", async () => {
    const { status, body, type } = await text('/compute.yaml');
    expect(status).toBe(200);
    expect(type).toBe('text/cloud-config');
    const md = await metaData();
    const doc = parse(body);
    expect(doc.write_files[0].content).toBe(
      `HOST=nid000006 NID=6 ROLE=Compute IP=${PEER} MAC=${md.instance_data.v1.vendor_data.mac}\n` +
        `CLUSTER=synthetic ID=${md['instance-id']} DS=nid000006\nSCHED=slurm FROM_GROUPS=slurm REGION=overridden\n`,
    );
    expect(doc.ssh_authorized_keys).toEqual(md.instance_data.v1.public_keys);
    expect((await text('/cloud-init/compute.yaml')).body).toBe(body);
  });

  it('serves a `## template: jinja` template as written: the node renders it', async () => {
    expect(await text('/sles15.yaml')).toEqual({ status: 200, body: CLIENT_TEMPLATE, type: 'text/cloud-config' });
  });

  it('answers 404 naming the node and group when the node is not a member', async () => {
    expect(await text('/service.yaml')).toMatchObject({ status: 404, body: `node ${xname} is not a member of group service\n` });
    expect(await text('/no-such-group.yaml')).toMatchObject({
      status: 404,
      body: `node ${xname} is not a member of group no-such-group\n`,
    });
    expect(await text('/rocky9.yaml', nodeAddress(4))).toMatchObject({ status: 200, body: '#cloud-config\n' });
  });

  it('never fails a boot over a template that breaks for one node: a valid empty cloud-config, and the reason logged', async () => {
    // Both pass validation (the sample cluster is "test-cluster") and fail for this cluster.
    const cases = [
      '#cloud-config\n{% if cluster_name != "test-cluster" %}x: {{ no_such_function() }}{% endif %}\n',
      '#cloud-config\n{% if cluster_name != "test-cluster" %}x: [unclosed{% endif %}\n',
    ];
    for (const template of cases) {
      await setGroupTemplate(gw.service, 'compute', { template });
      gw.logs.length = 0;
      const { status, body } = await text('/compute.yaml');
      expect(status).toBe(200);
      expect(body.startsWith('#cloud-config\n')).toBe(true);
      expect(parse(body)).toBeNull();
      expect(gw.logs).toContainEqual(
        expect.objectContaining({ level: 50, group: 'compute', xname, reason: expect.stringMatching(/line \d+/) }),
      );
    }
    await deleteGroupTemplate(gw.service, 'sles15');
  });
});

describe('client address', () => {
  it('ignores X-Forwarded-For from a peer that is not a trusted proxy', async () => {
    const spoofed = await gw.fetch('/meta-data', '10.9.9.9', { headers: { 'x-forwarded-for': PEER } });
    expect(spoofed.status).toBe(404);
    expect(await spoofed.text()).toBe('node not found for address 10.9.9.9\n');
  });

  it('believes the first X-Forwarded-For entry from a trusted proxy', async () => {
    const behindProxy = gw.openApp({ trustedProxies: new TrustedProxies(['127.0.0.0/8']) });
    const response = await behindProxy.fetch('/meta-data', '127.0.0.1', { headers: { 'x-forwarded-for': `${PEER}, 127.0.0.1` } });
    expect(response.status).toBe(200);
    expect(parse(await response.text())['local-hostname']).toBe('nid000006');
    expect((await behindProxy.fetch('/meta-data', '10.9.9.8', { headers: { 'x-forwarded-for': PEER } })).status).toBe(404);
  });
});

describe('the server-side template engine', () => {
  it('gives templates no way out of the sandbox', async () => {
    for (const breakout of [
      '{{ "".constructor.constructor("return process")() }}',
      '{{ range.constructor("return process")() }}',
      '{% include "package.json" %}',
    ]) {
      await expect(setGroupTemplate(gw.service, 'io', { template: `#cloud-config\nx: ${breakout}\n` })).rejects.toThrow(
        /^template: line 2:/,
      );
    }
    await setGroupTemplate(gw.service, 'io', {
      template: '#cloud-config\nproto: "{{ hostname.__proto__ }}{{ hostname["constructor"] }}"\n',
    });
    expect(parse((await text('/io.yaml', nodeAddress(2))).body)).toEqual({ proto: '' });
    await deleteGroupTemplate(gw.service, 'io');
  });
});

describe('a boot storm', () => {
  it('answers 200 nodes at once with a fixed number of statements, not a chain per request', async () => {
    // The node, its interfaces, groups, instance info, cloud-init Groups and the cluster defaults: one statement.
    const single = Number((await gw.fetch('/meta-data', PEER)).headers.get('x-sql-statements'));
    expect(single).toBe(1);
    let executed = 0;
    const stop = onStatement(() => (executed += 1));
    const responses = await Promise.all(Array.from({ length: NODES }, (_, k) => gw.fetch('/meta-data', nodeAddress(k))));
    stop();
    const bodies = await Promise.all(responses.map(async (r) => ({ status: r.status, md: parse(await r.text()) })));
    bodies.forEach(({ status, md }, k) => {
      expect(status).toBe(200);
      expect(md['local-hostname']).toBe(`nid${String(k + 1).padStart(6, '0')}`);
      expect(md.instance_data.v1.local_ipv4).toBe(nodeAddress(k));
    });
    const reported = responses.reduce((sum, r) => sum + Number(r.headers.get('x-sql-statements')), 0);
    expect(reported).toBe(executed);
    console.log(`boot storm: ${NODES} meta-data requests, ${executed} statements (one request alone: ${single})`);
    // One batch, or a few when the requests straddle a batch window; never one chain per request.
    expect(executed).toBeLessThanOrEqual(4);
  });

  it('serves whole boots (meta-data, user-data, vendor-data, the group documents) in shared batches', async () => {
    await setGroupTemplate(gw.service, 'compute', { template: '#cloud-config\nhostname: {{ hostname }}\n' });
    const boot = async (peer: string) => {
      const [md, ...rest] = await Promise.all(['/meta-data', '/user-data', '/vendor-data'].map((path) => gw.fetch(path, peer)));
      const includes = (await rest[1].text()).split('\n').filter((line) => line.startsWith('http'));
      const groups = await Promise.all(includes.map((url) => gw.fetch(new URL(url).pathname, peer)));
      return [md, ...rest, ...groups].reduce((sum, r) => sum + Number(r.headers.get('x-sql-statements')), 0);
    };
    const alone = await boot(PEER);
    const storm = (await Promise.all(Array.from({ length: NODES }, (_, k) => boot(nodeAddress(k))))).reduce((a, b) => a + b, 0);
    console.log(`statements per boot: ${alone} for one node alone; ${storm} for ${NODES} nodes booting at once`);
    expect(storm).toBeLessThan(alone * 10);
    await deleteGroupTemplate(gw.service, 'compute');
  });
});

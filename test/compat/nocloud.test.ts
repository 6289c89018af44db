// OpenCHAMI metadata-service's own tests of the NoCloud documents, reproduced against the
// gateway: the same data (its mock SMD's nodes and groups, its ClusterDefaults and Group
// resources), the same assertions, in this gateway's fixtures (test/support/nocloud-compat.ts).
// Sources, read at metadata-service's newest versions: pkg/handlers/metadata_test.go and
// metadata_integration_test.go, apis/cloud-init.openchami.io/v1/group_types_test.go,
// pkg/client/integration_group_test.go, cmd/server/client_integration_test.go and
// cloudinit_routes_test.go.
//
// Our fixtures differ where the gateway's store must: each case has its own node (xname, NID,
// addresses; metadata-service builds a fresh store per test), and roles are spelled as SMD
// spells them ("Compute"; the mock's "compute" never comes from a real SMD).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { type MetadataServiceFixture, type SmdNode, startMetadataServiceFixture } from '../support/nocloud-compat.js';

const KEY = 'ssh-rsa AAAAB3... default@key';

let ms: MetadataServiceFixture;
beforeAll(async () => {
  ms = await startMetadataServiceFixture();
  // The first requests load the app's code paths: under load that alone could outlast a test's timeout.
  await ms.clusterDefaults(null);
  await ms.get('/meta-data', '192.0.2.1');
}, 120_000);
afterAll(() => ms.close());

let made = 0;
/**
 * A new node of the mock SMD's kind: x1000c0s<k>b0n0, NID 1000 + k, address 10.0.<k>.100 on
 * eth0; with `twoNics`, the mock's HMN and HSN interfaces (10.252.<k>.26 and 10.100.<k>.26).
 */
async function node(groups: string[], twoNics = false): Promise<SmdNode> {
  const k = made++;
  const byte = k.toString(16).padStart(2, '0');
  const ip = twoNics ? `10.252.${k}.26` : `10.0.${k}.100`;
  const mac = `b4:2e:99:be:${byte}:6d`;
  const n: SmdNode = { xname: `x1000c0s${k}b0n0`, nid: 1000 + k, role: 'Compute', ip, mac, groups };
  if (twoNics)
    n.nics = [
      { name: 'eth0', mac, description: 'Node Management Network', ip, network: 'HMN' },
      { name: 'eth1', mac: `b4:2e:99:be:${byte}:6e`, description: 'High Speed Network', ip: `10.100.${k}.26`, network: 'HSN' },
    ];
  await ms.node(n);
  return n;
}

async function metaData(of: SmdNode, forwardedFor?: string): Promise<Record<string, any>> {
  const answer = await ms.get('/meta-data', of.ip, forwardedFor);
  expect(answer.status, answer.body).toBe(200);
  return parse(answer.body);
}

async function document(path: string, of: SmdNode): Promise<string> {
  const answer = await ms.get(path, of.ip);
  expect(answer.status, answer.body).toBe(200);
  return answer.body;
}

/** TestMetaDataHandler's cluster defaults. */
const FULL_DEFAULTS = {
  base_url: 'http://test.local',
  cloud_provider: 'OpenCHAMI',
  region: 'us-test-1',
  availability_zone: 'test-az-1',
  cluster_name: 'testcluster',
  short_name: 'tc',
  nid_length: 4,
  public_keys: [KEY],
};
const HOSTNAME_DEFAULTS = { cluster_name: 'testcluster', short_name: 'tc', nid_length: 4 };

const SYSLOG_TEMPLATE =
  '#cloud-config\nsyslog:\n  forwarder: {% for name, group in ds.vendor_data.groups %}{% if group.syslog_forwarder %}{{ group.syslog_forwarder }}{% endif %}{% endfor %}\n';
const RACKS = {
  'syslog-ng': { description: 'Syslog config', template: SYSLOG_TEMPLATE },
  rack1: { description: 'Rack 1 metadata', template: '', metaData: { syslog_forwarder: 'syslog.rack1.local' } },
  rack2: { description: 'Rack 2 metadata', template: '', metaData: { syslog_forwarder: 'syslog.rack2.local' } },
};

describe('meta-data (metadata_test.go)', () => {
  it('TestMetaDataHandler: the xname as instance-id, the generated hostname, the node and its groups', async () => {
    await ms.clusterDefaults(FULL_DEFAULTS);
    await ms.groups({
      compute: { description: 'Compute nodes', template: '#cloud-config\npackages:\n  - git\n', metaData: { custom_key: 'custom_value' } },
      green: { description: 'Green nodes', template: '#cloud-config\nruncmd:\n  - echo green\n' },
    });
    const n = await node(['compute', 'green']);
    const md = await metaData(n);
    expect(md['instance-id']).toBe(n.xname);
    expect(md['local-hostname']).toBe(`tc${n.nid}`);
    expect(md['cluster-name']).toBe('testcluster');
    expect(md.instance_data.v1.cloud_provider).toBe('OpenCHAMI');
    expect(md.instance_data.v1.local_ipv4).toBe(n.ip);
    expect(Object.keys(md.instance_data.v1.vendor_data.groups)).toHaveLength(2);
    expect(md.instance_data.v1.vendor_data.groups.compute.description).toBe('Compute nodes');

    // Beyond metadata-service's assertions: the whole document is the one it writes for this
    // data. (It lists interfaces only when SMD also has Redfish NIC info for the node; the
    // gateway lists the interfaces it holds.)
    const hostname = `tc${n.nid}`;
    expect(md).toEqual({
      'instance-id': n.xname,
      'local-hostname': hostname,
      hostname,
      'cluster-name': 'testcluster',
      instance_data: {
        v1: {
          cloud_name: 'OpenCHAMI',
          availability_zone: 'test-az-1',
          instance_id: n.xname,
          local_hostname: hostname,
          region: 'us-test-1',
          hostname,
          local_ipv4: n.ip,
          cloud_provider: 'OpenCHAMI',
          public_keys: [KEY],
          vendor_data: {
            version: '1.0',
            cloud_init_base_url: 'http://test.local',
            cluster_name: 'testcluster',
            nid: n.nid,
            role: 'Compute',
            mac: n.mac,
            interfaces: [{ name: 'eth0', mac: n.mac, enabled: true, ip: n.ip, network: 'HMN' }],
            groups: { compute: { description: 'Compute nodes', custom_key: 'custom_value' }, green: { description: 'Green nodes' } },
          },
        },
      },
    });
  });

  it('TestMetaDataHandler_WithInterfaces: each interface named eth<index>, with its MAC, first IP and network', async () => {
    await ms.clusterDefaults(HOSTNAME_DEFAULTS);
    await ms.groups({});
    const n = await node([], true);
    const [eth0, eth1] = n.nics ?? [];
    const interfaces = (await metaData(n)).instance_data.v1.vendor_data.interfaces;
    expect(interfaces).toHaveLength(2);
    expect(interfaces[0]).toMatchObject({ name: 'eth0', mac: eth0.mac, ip: eth0.ip, network: 'HMN', description: eth0.description });
    expect(interfaces[1]).toMatchObject({ name: 'eth1', mac: eth1.mac, ip: eth1.ip, network: 'HSN', description: eth1.description });
  });

  it('TestMetaDataHandler_XForwardedFor: the node named by the proxies', async () => {
    // metadata-service believes the first X-Forwarded-For entry from any caller, so anyone may
    // pose as any node: deliberately not copied. Here the chain is believed from trusted proxies
    // only (the loopback peer, and 192.168.1.1 as in metadata-service's test).
    await ms.clusterDefaults({ cluster_name: 'testcluster' });
    const n = await node([]);
    expect((await metaData(n, `${n.ip}, 192.168.1.1`))['instance-id']).toBe(n.xname);
  });

  it('TestMetaDataHandler_WireGuardIP: a node known by its tunnel address', async () => {
    await ms.clusterDefaults(HOSTNAME_DEFAULTS);
    const n = await node(['compute']);
    await ms.tunnel(n.xname, '10.200.1.25', Buffer.alloc(32, 25).toString('base64'));
    expect((await metaData(n, '10.200.1.25'))['instance-id']).toBe(n.xname);
  });

  it('TestMetaDataHandler_UnknownIP: 404', async () => {
    const answer = await ms.get('/meta-data', '192.168.99.99');
    expect(answer.status).toBe(404);
  });

  it('TestUserDataHandler: an empty cloud-config', async () => {
    const n = await node([]);
    expect(await document('/user-data', n)).toBe('#cloud-config\n');
  });
});

describe('vendor-data and group documents (metadata_test.go)', () => {
  it('TestVendorDataHandler: an #include of each group, at the base URL', async () => {
    await ms.clusterDefaults({ base_url: 'http://test.local' });
    await ms.groups({
      compute: { template: '#cloud-config\npackages: []\n' },
      green: { template: '#cloud-config\nruncmd: []\n' },
    });
    const n = await node(['compute', 'green']);
    expect(await document('/vendor-data', n)).toBe('#include\nhttp://test.local/compute.yaml\nhttp://test.local/green.yaml\n');
  });

  it('TestGroupUserDataHandler: the template rendered with ds.hostname', async () => {
    await ms.clusterDefaults(HOSTNAME_DEFAULTS);
    await ms.groups({
      compute: {
        description: 'Compute nodes',
        template: '#cloud-config\nhostname: {{ ds.hostname }}\nfqdn: {{ ds.hostname }}.testcluster.local\n',
        metaData: {},
      },
    });
    const n = await node(['compute']);
    expect(await document('/compute.yaml', n)).toBe(`#cloud-config\nhostname: tc${n.nid}\nfqdn: tc${n.nid}.testcluster.local\n`);
  });

  it('TestGroupUserDataHandler_NotMember: 404', async () => {
    await ms.clusterDefaults({});
    const n = await node(['compute']);
    expect((await ms.get('/storage.yaml', n.ip)).status).toBe(404);
  });

  describe('issue #100: groups with nothing to include', () => {
    it('TestMetaDataHandler_Issue100_FilterEmptyGroups: every membership in vendor_data.groups, an empty template too', async () => {
      await ms.clusterDefaults({
        base_url: 'http://localhost:8888',
        cluster_name: 'testcluster',
        cloud_provider: 'OpenCHAMI',
        region: 'us-west-1',
      });
      await ms.groups({
        compute: { template: '#cloud-config\npackages:\n  - git\n', description: 'Compute nodes' },
        'empty-group': { template: '', description: 'Empty group' },
        storage: { template: '#cloud-config\nvolume_groups: []\n', description: 'Storage nodes' },
      });
      const n = await node(['compute', 'empty-group', 'storage']);
      const groups = (await metaData(n)).instance_data.v1.vendor_data.groups;
      expect(groups).toEqual({
        compute: { description: 'Compute nodes' },
        'empty-group': { description: 'Empty group' },
        storage: { description: 'Storage nodes' },
      });
    });

    it('TestVendorDataHandler_Issue100_FilterEmptyGroups: no include of a group without a template', async () => {
      await ms.clusterDefaults({ base_url: 'http://localhost:8888' });
      await ms.groups({
        compute: { template: '#cloud-config\npackages: [git]\n' },
        'empty-group': { template: '' },
        storage: { template: '#cloud-config\nvolume_groups: []\n' },
      });
      const n = await node(['compute', 'empty-group', 'storage']);
      const body = await document('/vendor-data', n);
      expect(body.startsWith('#include\n')).toBe(true);
      expect(body).not.toContain('empty-group.yaml');
      expect(body).toContain('compute.yaml');
      expect(body).toContain('storage.yaml');
    });

    it('TestVendorDataHandler_Issue100_AllGroupsEmpty: the bare #include', async () => {
      await ms.groups({ empty1: { template: '' }, empty2: { template: '' } });
      const n = await node(['empty1', 'empty2']);
      expect((await document('/vendor-data', n)).trim().split('\n')).toEqual(['#include']);
    });

    it('TestMetaDataHandler_Issue100_MissingGroupData: a group without a Group resource is listed, and not included', async () => {
      await ms.groups({ compute: { template: '#cloud-config\npackages: []\n' }, 'missing-group': null });
      const n = await node(['compute', 'missing-group']);
      const groups = (await metaData(n)).instance_data.v1.vendor_data.groups;
      expect(groups).toHaveProperty('compute');
      expect(groups['missing-group']).toEqual({});
      // TestVendorDataHandler_Issue100_MissingGroupData
      const body = await document('/vendor-data', n);
      expect(body).not.toContain('missing-group.yaml');
      expect(body).toContain('compute.yaml');
    });
  });

  it('TestGroupUserDataHandler_WithNetworkConfig: a template iterating ds.interfaces', async () => {
    await ms.clusterDefaults({ ...HOSTNAME_DEFAULTS, base_url: 'http://localhost:8888', cloud_provider: 'OpenCHAMI', region: 'us-west-1' });
    await ms.groups({
      'network-config': {
        description: 'Network configuration for nodes',
        template:
          '#cloud-config\nnetwork:\n  version: 1\n  config:\n{% for iface in ds.interfaces %}    - type: physical\n      name: {{ iface.name }}\n      mac_address: {{ iface.mac }}\n      subnets:\n        - type: static\n          address: {{ iface.ip }}/24\n{% endfor %}',
        metaData: {},
      },
    });
    const n = await node(['network-config'], true);
    const rendered = await document('/network-config.yaml', n);
    for (const nic of n.nics ?? []) for (const text of [nic.name, nic.mac, nic.ip]) expect(rendered).toContain(text);
    expect(parse(rendered).network.config).toHaveLength(2);
  });

  it('TestNetworkConfigHandler: deliberately not copied, /network-config leaves networking alone', async () => {
    // metadata-service answers a version 1 config with a static /24 per interface and no
    // gateway; cloud-init >= 24.3 would apply it over the networking the node booted with.
    const n = await node([], true);
    expect(parse(await document('/network-config', n))).toEqual({ config: 'disabled' });
  });

  it('TestGroupTemplateRenderingWithDatasourcePaths: ds.hostname, ds.meta_data…public_keys, ds.nid, ds.role, ds.ip', async () => {
    await ms.clusterDefaults({
      base_url: 'http://test.local',
      cloud_provider: 'OpenCHAMI',
      region: 'us-test-1',
      ...HOSTNAME_DEFAULTS,
      public_keys: ['ssh-rsa AAAAB3... test@key'],
    });
    await ms.groups({
      compute: {
        description: 'Compute nodes with ds.* paths',
        template:
          '#cloud-config\nhostname: {{ ds.hostname }}\nusers:\n  - name: root\n    ssh_authorized_keys:{% for key in ds.meta_data.instance_data.v1.public_keys %}\n      - {{ key }}{% endfor %}\nwrite_files:\n  - path: /etc/node-info\n    content: |\n      NID={{ ds.nid }}\n      ROLE={{ ds.role }}\n      IP={{ ds.ip }}\n',
      },
    });
    const n = await node(['compute']);
    const rendered = await document('/compute.yaml', n);
    expect(rendered).toContain(`hostname: tc${n.nid}`);
    expect(rendered).toContain('ssh-rsa AAAAB3... test@key');
    expect(rendered).toContain(`NID=${n.nid}`);
    expect(rendered).toContain('ROLE=Compute');
    expect(rendered).toContain(`IP=${n.ip}`);
  });
});

describe('the whole boot (metadata_integration_test.go)', () => {
  it('TestIntegrationCloudInitFlow: a metadata-only group in meta-data, not in vendor-data; the includes fetched', async () => {
    await ms.clusterDefaults({ ...FULL_DEFAULTS, base_url: ms.url });
    await ms.groups({
      compute: { description: 'Compute nodes', template: '#cloud-config\npackages:\n  - git\n', metaData: { custom_key: 'custom_value' } },
      ntp: { description: 'NTP config', template: '#cloud-config\nntp:\n  servers: ["ntp.local"]\n' },
      rack1: { description: 'Rack 1 metadata only', template: '', metaData: { syslog_forwarder: 'syslog.rack1.local' } },
    });
    const n = await node(['compute', 'ntp', 'rack1']);
    const md = await metaData(n);
    expect(md['instance-id']).toBe(n.xname);
    expect(Object.keys(md.instance_data.v1.vendor_data.groups).sort()).toEqual(['compute', 'ntp', 'rack1']);

    const vendor = await document('/vendor-data', n);
    expect(vendor.startsWith('#include\n')).toBe(true);
    expect(vendor).toContain(`${ms.url}/compute.yaml`);
    expect(vendor).toContain(`${ms.url}/ntp.yaml`);
    expect(vendor).not.toContain(`${ms.url}/rack1.yaml`);
    // Each include as the node fetches it.
    const includes = vendor.split('\n').filter((line) => line.startsWith('http'));
    for (const url of includes) expect((await ms.get(new URL(url).pathname, n.ip)).status).toBe(200);
    expect(await document('/compute.yaml', n)).toContain('packages:');
  });

  it("TestIntegrationSyslogRackMetadataIsolation: each node gets its own rack's syslog server", async () => {
    await ms.clusterDefaults(HOSTNAME_DEFAULTS);
    await ms.groups(RACKS);
    const inRack1 = await node(['syslog-ng', 'rack1']);
    const inRack2 = await node(['syslog-ng', 'rack2']);
    expect(await document('/syslog-ng.yaml', inRack1)).toContain('syslog.rack1.local');
    expect(await document('/syslog-ng.yaml', inRack2)).toContain('syslog.rack2.local');
  });

  it('TestIntegrationPerHostArtifactsOverWireGuardIdentity: each node, known by its tunnel address, gets its own documents', async () => {
    await ms.clusterDefaults({ ...HOSTNAME_DEFAULTS, base_url: 'http://metadata.test', cloud_provider: 'OpenCHAMI', region: 'us-test-1' });
    await ms.groups({ ...RACKS, 'syslog-ng': { description: 'Syslog config', template: SYSLOG_TEMPLATE } });
    const cases = [
      { n: await node(['syslog-ng', 'rack1']), tunnel: '10.200.2.25', rack: 'rack1', other: 'rack2' },
      { n: await node(['syslog-ng', 'rack2']), tunnel: '10.200.2.26', rack: 'rack2', other: 'rack1' },
    ];
    for (const [i, c] of cases.entries()) await ms.tunnel(c.n.xname, c.tunnel, Buffer.alloc(32, 100 + i).toString('base64'));
    for (const c of cases) {
      const md = await metaData(c.n, c.tunnel);
      expect(md['instance-id']).toBe(c.n.xname);
      expect(md.instance_data.v1.vendor_data.groups).toHaveProperty(c.rack);
      expect(md.instance_data.v1.vendor_data.groups).not.toHaveProperty(c.other);

      const vendor = await ms.get('/vendor-data', c.n.ip, c.tunnel);
      expect(vendor.body).toContain('http://metadata.test/syslog-ng.yaml');
      expect(vendor.body).not.toContain(`${c.rack}.yaml`);

      const rendered = await ms.get('/syslog-ng.yaml', c.n.ip, c.tunnel);
      expect(rendered.status).toBe(200);
      expect(rendered.body).toContain(`syslog.${c.rack}.local`);
      expect(rendered.body).not.toContain(`syslog.${c.other}.local`);
    }
  });
});

describe('Group and ClusterDefaults resources (group_types_test.go, client and route tests)', () => {
  async function post(collection: string, body: unknown) {
    const response = await fetch(`${ms.url}/cloud-init/${collection}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, any> };
  }

  it('TestGroupValidateSuccess and TestGroupValidateDatasourcePaths: templates written for ds.* are valid', async () => {
    const success = await post('groups', {
      metadata: { name: 'validate-success' },
      spec: {
        template:
          '#cloud-config\nhostname: {{ ds.hostname }}\nrole: "{{ ds.role }}"\nsyslog: "{{ ds.vendor_data.groups.rack1.syslog_forwarder }}"\nnote: "{{ custom_message }}"\n',
        metaData: { custom_message: 'hello from test' },
      },
    });
    expect(success.status, JSON.stringify(success.body)).toBe(201);
    expect(success.body.status).toMatchObject({ valid: true, currentTemplateVersion: expect.stringMatching(/^v-[0-9a-f]{8}$/) });
    const paths = await post('groups', {
      metadata: { name: 'validate-paths' },
      spec: {
        template:
          '#cloud-config\nhostname: {{ ds.hostname }}\nmerge_how:\n- name: list\n  settings: [append]\n- name: dict\n  settings: [no_replace, recurse_list]\nusers:\n  - name: root\n    ssh_authorized_keys: {{ ds.meta_data.instance_data.v1.public_keys }}\ndisable_root: false\n',
      },
    });
    expect(paths.status, JSON.stringify(paths.body)).toBe(201);
    expect(paths.body.status.valid).toBe(true);
  });

  it('TestClientLibraryAgainstServerRoutes: a Group with no SMD group behind it, created, read by uid, updated', async () => {
    const created = await post('groups', {
      metadata: { name: 'client-test' },
      spec: { template: '#cloud-config\npackages:\n  - git\n', metaData: { custom_key: 'value' } },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.metadata.uid).not.toBe('');
    const uid = created.body.metadata.uid;
    const got = await (await fetch(`${ms.url}/cloud-init/groups/${uid}`)).json();
    expect(got.metadata.name).toBe('client-test');
    const updated = await fetch(`${ms.url}/cloud-init/groups/${uid}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        metadata: { name: 'client-test' },
        spec: { template: '#cloud-config\npackages:\n  - curl\n', metaData: { custom_key: 'updated' } },
      }),
    });
    expect(((await updated.json()) as Record<string, any>).spec.metaData.custom_key).toBe('updated');
  });

  it('TestRegisterCustomServerIntegrationsAllowsGeneratedCreateRoutes: ClusterDefaults created under the name given', async () => {
    await ms.clusterDefaults(null);
    const created = await post('clusterdefaultss', {
      metadata: { name: 'test-cluster' },
      spec: { base_url: 'http://example.com', cluster_name: 'testcluster' },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(JSON.stringify(created.body)).toContain('"uid":"clusterdefaults-');
    expect(created.body.metadata.name).toBe('test-cluster');
    const listed = (await (await fetch(`${ms.url}/cloud-init/clusterdefaultss`)).json()) as Array<Record<string, any>>;
    expect(listed.map((r) => r.metadata.name)).toEqual(['test-cluster']);
  });
});

// The metadata-service's generated resource API under the NoCloud base path: envelopes,
// POST/PUT/PATCH/DELETE through the same services as GraphQL, errors as {error, code}, and a
// template that does not render to YAML refused with 422 naming the line.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createComponents } from '../../src/services/smd/component.js';
import { createGroup } from '../../src/services/smd/group.js';
import { type NoCloudApp, type NoCloudGateway, startNoCloudGateway } from '../support/nocloud.js';

const BASE = '/cloud-init';
const KEY_A = Buffer.alloc(32, 1).toString('base64');
const KEY_B = Buffer.alloc(32, 2).toString('base64');

let gw: NoCloudGateway;
let app: NoCloudApp;

beforeAll(async () => {
  gw = await startNoCloudGateway();
  app = gw.openApp({
    nocloud: { basePath: BASE, wireguard: { cidr: '10.89.0.0/24', serverPublicKey: KEY_B, endpoint: '10.1.0.1:51820' } },
  });
  await createComponents(gw.service, [
    { xname: 'x1000c0s0b0n0', nid: 1 },
    { xname: 'x1000c0s0b0n1', nid: 2 },
  ]);
  await createGroup(gw.service, { name: 'compute', description: 'Compute nodes', members: ['x1000c0s0b0n0'] });
  await createGroup(gw.service, { name: 'green' });
});
afterAll(() => gw.close());

interface Envelope {
  apiVersion: string;
  kind: string;
  metadata: { name: string; uid: string; createdAt: string; updatedAt: string };
  spec: Record<string, any>;
  status: Record<string, any>;
}

async function call(method: string, path: string, body?: unknown, contentType = 'application/json') {
  const init: RequestInit = { method };
  if (body !== undefined) {
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
    init.headers = { 'content-type': contentType };
  }
  const response = await app.fetch(`${BASE}${path}`, '192.0.2.10', init);
  const text = await response.text();
  return { status: response.status, body: text && (response.headers.get('content-type') ?? '').includes('json') ? JSON.parse(text) : text };
}

function expectError(res: { status: number; body: any }, status: number, ...fragments: string[]) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.body).toEqual({ error: expect.any(String), code: status });
  for (const fragment of fragments) expect(res.body.error).toContain(fragment);
  expect(res.body.error).not.toMatch(/prisma|constraint|sqlite|postgres|unique/i);
}

function expectEnvelope(body: Envelope, kind: string, name: string) {
  expect(body).toMatchObject({
    apiVersion: 'cloud-init.openchami.io/v1',
    kind,
    metadata: { name, uid: expect.stringMatching(new RegExp(`^${kind.toLowerCase()}-`)) },
  });
  expect(Date.parse(body.metadata.createdAt)).not.toBeNaN();
  expect(Date.parse(body.metadata.updatedAt)).not.toBeNaN();
}

describe('clusterdefaultss', () => {
  it('creates the one set of defaults under the name given, refuses a second, reads it by uid and by name', async () => {
    expect((await call('GET', '/clusterdefaultss')).body).toEqual([]);
    const spec = {
      cluster_name: 'testcluster',
      short_name: 'tc',
      nid_length: 4,
      base_url: 'http://ci.example:8888/',
      region: 'lab',
      public_keys: ['ssh-ed25519 AAAA demo'],
      description: 'ignored',
    };
    const created = await call('POST', '/clusterdefaultss', { metadata: { name: 'demo-cluster' }, spec });
    expect(created.status).toBe(201);
    expectEnvelope(created.body, 'ClusterDefaults', 'demo-cluster');
    expect(created.body.metadata.uid).toBe('clusterdefaults-default');
    expect(created.body.spec).toEqual({
      cluster_name: 'testcluster',
      short_name: 'tc',
      nid_length: 4,
      base_url: 'http://ci.example:8888',
      region: 'lab',
      public_keys: ['ssh-ed25519 AAAA demo'],
    });
    expectError(await call('POST', '/clusterdefaultss', { spec }), 409, 'already exists');
    expect((await call('GET', `/clusterdefaultss/${created.body.metadata.uid}`)).body).toEqual(created.body);
    expect((await call('GET', '/clusterdefaultss/demo-cluster')).body.spec.cluster_name).toBe('testcluster');
  });

  it('PUT replaces the spec (fields left out are cleared), PATCH merges into it', async () => {
    const put = await call('PUT', '/clusterdefaultss/clusterdefaults-default', { spec: { cluster_name: 'other', nid_length: 0 } });
    expect(put.status).toBe(200);
    expect(put.body.spec).toEqual({ cluster_name: 'other', nid_length: 4 });
    const patched = await call(
      'PATCH',
      '/clusterdefaultss/clusterdefaults-default',
      { short_name: 'ot', cluster_name: null },
      'application/merge-patch+json',
    );
    expect(patched.body.spec).toEqual({ short_name: 'ot', nid_length: 4 });
    const graphql = await gw.db.prisma.clusterDefaults.findUniqueOrThrow({ where: { id: 'default' } });
    expect(graphql).toMatchObject({ clusterName: null, shortName: 'ot', nidLength: 4, revision: 3 });
  });

  it('names the spec field at fault', async () => {
    expectError(
      await call('PUT', '/clusterdefaultss/default', { spec: { base_url: 'ftp://x' } }),
      400,
      'validation failed: spec.base_url: must be an http or https URL',
    );
    expectError(
      await call('PATCH', '/clusterdefaultss/default', { nid_length: 12 }),
      400,
      'spec.nid_length: must be an integer from 1 to 9',
    );
    expectError(
      await call('PUT', '/clusterdefaultss/default', { spec: { public_keys: 'one' } }),
      400,
      'spec.public_keys: must be a list of strings',
    );
  });

  it('deletes the defaults', async () => {
    expect((await call('DELETE', '/clusterdefaultss/default')).body).toEqual({
      message: 'ClusterDefaults deleted successfully',
      uid: 'clusterdefaults-default',
    });
    expectError(await call('GET', '/clusterdefaultss/default'), 404, 'not found');
    expectError(await call('DELETE', '/clusterdefaultss/default'), 404);
  });
});

describe('groups', () => {
  const TEMPLATE = '#cloud-config\nwrite_files:\n  - path: /etc/role\n    content: "{{ role }} {{ scheduler }}"\n';
  let uid: string;

  it('creates the template of an SMD group, with its description and metaData', async () => {
    const created = await call('POST', '/groups', {
      metadata: { name: 'compute' },
      spec: { description: 'Compute nodes (slurm)', template: TEMPLATE, metaData: { scheduler: 'slurm' }, osVersion: 'rocky9' },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expectEnvelope(created.body, 'Group', 'compute');
    expect(created.body.spec).toEqual({
      description: 'Compute nodes (slurm)',
      template: TEMPLATE,
      metaData: { scheduler: 'slurm' },
      osVersion: 'rocky9',
    });
    expect(created.body.status).toEqual({
      valid: true,
      currentTemplateVersion: expect.stringMatching(/^v-[0-9a-f]{8}$/),
      renderedBy: 'server',
    });
    uid = created.body.metadata.uid;
    expect((await gw.db.prisma.group.findFirstOrThrow({ where: { name: 'compute' } })).description).toBe('Compute nodes (slurm)');
    const changes = await gw.db.prisma.changeEvent.findMany({ where: { source: 'nocloud' }, orderBy: { seq: 'asc' } });
    expect(changes.slice(-2).map((c) => [c.entityType, c.action])).toEqual([
      ['Group', 'updated'],
      ['GroupTemplate', 'created'],
    ]);
  });

  it('lists, reads by uid or name, and refuses a second template or a group that does not exist', async () => {
    const list = await call('GET', '/groups');
    expect(list.body.map((g: Envelope) => g.metadata.name)).toEqual(['compute']);
    expect((await call('GET', `/groups/${uid}`)).body.metadata.name).toBe('compute');
    expect((await call('GET', '/groups/Compute')).body.metadata.uid).toBe(uid);
    expectError(await call('POST', '/groups', { metadata: { name: 'compute' }, spec: { template: TEMPLATE } }), 409, 'already exists');
    expectError(await call('POST', '/groups', { metadata: {}, spec: { template: TEMPLATE } }), 400, 'metadata.name');
    expectError(await call('POST', '/groups', { metadata: { name: 'green' }, spec: { template: 42 } }), 400, 'spec.template');
  });

  it('creates a group before its SMD group exists, and a metadata-only group (no template)', async () => {
    const early = await call('POST', '/groups', { metadata: { name: 'blue' }, spec: { description: 'Blue nodes', template: TEMPLATE } });
    expect(early.status, JSON.stringify(early.body)).toBe(201);
    expectEnvelope(early.body, 'Group', 'blue');
    expect(early.body.spec).toEqual({ description: 'Blue nodes', template: TEMPLATE, metaData: {} });
    expect(await gw.db.prisma.group.count({ where: { name: 'blue', kind: 'group' } })).toBe(0);
    const rack = await call('POST', '/groups', { metadata: { name: 'rack1' }, spec: { metaData: { syslog_forwarder: 'syslog.rack1' } } });
    expect(rack.status, JSON.stringify(rack.body)).toBe(201);
    expect(rack.body.spec).toEqual({ template: '', metaData: { syslog_forwarder: 'syslog.rack1' } });
    expect((await call('GET', '/groups')).body.map((g: Envelope) => g.metadata.name)).toEqual(['blue', 'compute', 'rack1']);

    // SMD gets the group: the same resource, now on it (its description taken, as SMD gave none).
    await createGroup(gw.service, { name: 'blue', members: ['x1000c0s0b0n1'] });
    expect((await call('GET', `/groups/${early.body.metadata.uid}`)).body.spec).toEqual(early.body.spec);
    expect((await gw.db.prisma.group.findFirstOrThrow({ where: { name: 'blue', kind: 'group' } })).description).toBe('Blue nodes');
    for (const name of ['blue', 'rack1']) expect((await call('DELETE', `/groups/${name}`)).status).toBe(200);
    expect((await call('GET', '/groups')).body.map((g: Envelope) => g.metadata.name)).toEqual(['compute']);
  });

  it('refuses a template that does not render to YAML with 422, the line and the reason; nothing is written', async () => {
    const before = await gw.db.prisma.groupTemplate.count();
    const syntax = await call('POST', '/groups', {
      metadata: { name: 'green' },
      spec: { template: '#cloud-config\nruncmd:\n  - echo {{ hostname | }}\n' },
    });
    expectError(syntax, 422, 'spec.template: line 3: expected symbol');
    const yaml = await call('POST', '/groups', { metadata: { name: 'green' }, spec: { template: '#cloud-config\na: 1\nb: [unclosed\n' } });
    expectError(yaml, 422, 'line 4', 'not valid YAML');
    expectError(await call('PATCH', `/groups/${uid}`, { template: '#cloud-config\n{% for %}\n' }), 422, 'line 2');
    expect(await gw.db.prisma.groupTemplate.count()).toBe(before);
    const client = await call('POST', '/groups', {
      metadata: { name: 'green' },
      spec: { template: '## template: jinja\n#cloud-config\nx: {{ ds.meta_data.local_hostname }}\n' },
    });
    expect(client.status).toBe(201);
    expect(client.body.status.renderedBy).toBe('node');
  });

  it('PUT replaces the spec, PATCH merges into it; a rename is refused', async () => {
    const put = await call('PUT', `/groups/${uid}`, { spec: { template: '#cloud-config\n' } });
    expect(put.body.spec).toEqual({ template: '#cloud-config\n', metaData: {} });
    const patched = await call(
      'PATCH',
      `/groups/${uid}`,
      { metaData: { scheduler: 'pbs' }, description: 'Compute' },
      'application/merge-patch+json',
    );
    expect(patched.body.spec).toEqual({ template: '#cloud-config\n', metaData: { scheduler: 'pbs' }, description: 'Compute' });
    expectError(
      await call('PUT', `/groups/${uid}`, { metadata: { name: 'green' }, spec: { template: '#cloud-config\n' } }),
      400,
      'metadata.name: cannot be changed',
    );
    const graphql = await gw.db.prisma.groupTemplate.findFirstOrThrow({ where: { group: { name: 'compute' } } });
    expect(graphql).toMatchObject({ template: '#cloud-config\n', metaData: { scheduler: 'pbs' }, revision: 3 });
  });

  it('deletes a template (the SMD group stays)', async () => {
    expect((await call('DELETE', `/groups/${uid}`)).body).toEqual({ message: 'Group deleted successfully', uid });
    expectError(await call('GET', `/groups/${uid}`), 404);
    expect(await gw.db.prisma.group.count({ where: { name: 'compute', deletedAt: null } })).toBe(1);
  });
});

describe('instanceinfos', () => {
  it("creates, replaces, patches and deletes a node's instance info", async () => {
    const created = await call('POST', '/instanceinfos', {
      metadata: { name: 'X1000C0S0B0N0' },
      spec: { hostname: 'login01', public_keys: ['ssh-rsa AAAA x'] },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expectEnvelope(created.body, 'InstanceInfo', 'x1000c0s0b0n0');
    expect(created.body.spec).toEqual({
      instance_id: 'x1000c0s0b0n0',
      hostname: 'login01',
      public_keys: ['ssh-rsa AAAA x'],
    });
    expectError(await call('POST', '/instanceinfos', { metadata: { name: 'x1000c0s0b0n0' }, spec: {} }), 409, 'already exists');
    const put = await call('PUT', '/instanceinfos/x1000c0s0b0n0', {
      spec: { instance_id: 'i-login01', cloud_init_base_url: 'https://ci.example/' },
    });
    expect(put.body.spec).toEqual({ instance_id: 'i-login01', cloud_init_base_url: 'https://ci.example' });
    const patched = await call('PATCH', `/instanceinfos/${put.body.metadata.uid}`, { region: 'lab' }, 'application/merge-patch+json');
    expect(patched.body.spec).toEqual({ instance_id: 'i-login01', cloud_init_base_url: 'https://ci.example', region: 'lab' });
    expectError(
      await call('PATCH', '/instanceinfos/x1000c0s0b0n0', { cloud_init_base_url: 'gopher://x' }, 'application/merge-patch+json'),
      400,
      'spec.cloud_init_base_url',
    );
    expect((await call('DELETE', '/instanceinfos/x1000c0s0b0n0')).status).toBe(200);
    expect((await call('GET', '/instanceinfos')).body).toEqual([]);
  });

  it('refuses a node that does not exist and an instance-id in use', async () => {
    expectError(await call('POST', '/instanceinfos', { metadata: { name: 'x1000c0s0b0n7' }, spec: {} }), 400, 'metadata.name');
    expectError(await call('POST', '/instanceinfos', { metadata: { name: 'node-1' }, spec: {} }), 400, 'metadata.name');
    await call('POST', '/instanceinfos', { metadata: { name: 'x1000c0s0b0n0' }, spec: { instance_id: 'i-taken' } });
    expectError(
      await call('POST', '/instanceinfos', { metadata: { name: 'x1000c0s0b0n1' }, spec: { instance_id: 'i-taken' } }),
      409,
      'i-taken',
    );
  });
});

describe('wireguardpeers', () => {
  it("creates, patches and deletes a node's peer inside the tunnel block", async () => {
    const created = await call('POST', '/wireguardpeers', {
      metadata: { name: 'x1000c0s0b0n0' },
      spec: { public_key: KEY_A, allowed_ip: '10.89.0.7/32' },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expectEnvelope(created.body, 'WireGuardPeer', 'x1000c0s0b0n0');
    expect(created.body.spec).toEqual({ public_key: KEY_A, allowed_ip: '10.89.0.7/32' });
    const patched = await call('PATCH', '/wireguardpeers/x1000c0s0b0n0', { allowed_ip: '10.89.0.8' }, 'application/merge-patch+json');
    expect(patched.body.spec.allowed_ip).toBe('10.89.0.8/32');
    expectError(
      await call('POST', '/wireguardpeers', { metadata: { name: 'x1000c0s0b0n1' }, spec: { public_key: KEY_A, allowed_ip: '10.89.0.9' } }),
      409,
      'x1000c0s0b0n0',
    );
    expectError(
      await call('POST', '/wireguardpeers', { metadata: { name: 'x1000c0s0b0n1' }, spec: { public_key: KEY_B, allowed_ip: '10.89.0.8' } }),
      409,
      'spec.allowed_ip: 10.89.0.8 is the tunnel address of x1000c0s0b0n0',
    );
    expectError(
      await call('POST', '/wireguardpeers', { metadata: { name: 'x1000c0s0b0n1' }, spec: { public_key: KEY_B, allowed_ip: '10.90.0.1' } }),
      400,
      'spec.allowed_ip',
      '10.89.0.0/24',
    );
    expectError(
      await call('POST', '/wireguardpeers', {
        metadata: { name: 'x1000c0s0b0n1' },
        spec: { public_key: 'short', allowed_ip: '10.89.0.9' },
      }),
      400,
      'spec.public_key',
    );
    expect((await call('DELETE', `/wireguardpeers/${created.body.metadata.uid}`)).status).toBe(200);
    expect((await call('GET', '/wireguardpeers')).body).toEqual([]);
  });
});

describe('errors', () => {
  it('answers {error, code} for bad bodies, unknown routes and methods, unsupported patches', async () => {
    expectError(await call('POST', '/groups', '{not json'), 400, 'invalid request body');
    expectError(await call('POST', '/groups', [1]), 400, 'must be a JSON object');
    expectError(await call('POST', '/groups', { metadata: { name: 'green' } }), 400, 'spec is required');
    expectError(await call('GET', '/nothing-here'), 404, 'no route');
    expectError(await call('DELETE', '/groups'), 405, 'allowed: GET, POST');
    expectError(await call('PATCH', '/instanceinfos/x1000c0s0b0n0', { region: 'x' }, 'text/plain'), 415, 'unsupported patch Content-Type');
    expectError(await call('GET', '/groups/group-00000000-0000-0000-0000-000000000000'), 404, 'not found');
  });

  it('leaves the Fabrica /groups route at the root alone', async () => {
    const response = await app.fetch('/groups', '192.0.2.10');
    expect(response.status).toBe(200);
    const groups = (await response.json()) as Array<{ kind: string }>;
    expect(groups.every((g) => g.kind === 'Group')).toBe(true);
    expect(groups.every((g) => !('apiVersion' in g) || (g as { apiVersion: string }).apiVersion !== 'cloud-init.openchami.io/v1')).toBe(
      true,
    );
  });
});

// The Fabrica-style routes of the OpenCHAMI inventory-service (/components, /groups …) on a
// real database: envelopes, uids that never change, PUT/PATCH semantics, the status
// sub-resource, errors as {error, code}, and the same data as the SMD routes and GraphQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createComponent } from '../../src/services/smd/component.js';
import { readRedfishCredentials } from '../../src/services/smd/index.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { installedNode } from '../support/scenarios.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
});
afterAll(() => gw?.close());

interface Envelope {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    uid: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    createdAt: string;
    updatedAt: string;
  };
  id: string;
  spec: Record<string, any>;
  status: Record<string, unknown>;
}

/** A REST call; a body goes as JSON unless `contentType` names another media type. */
const call = (method: string, path: string, body?: unknown, contentType?: string) =>
  gw.rest(method, path, body, contentType ? { headers: { 'content-type': contentType } } : {});

const MERGE_PATCH = 'application/merge-patch+json';
const JSON_PATCH = 'application/json-patch+json';
/** A PATCH whose body is in the patch format `mediaType`. */
const patch = (path: string, body: unknown, mediaType: string) => call('PATCH', path, body, mediaType);

/** A JSON Patch (RFC 6902) that must succeed: expects 200 and answers the reply. */
async function jsonPatched(path: string, operations: unknown[]) {
  const res = await patch(path, operations, JSON_PATCH);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res;
}

/** POSTs a resource with empty metadata and the given spec. */
const postSpec = (path: string, spec: unknown) => call('POST', path, { metadata: {}, spec });

async function create(path: string, spec: unknown, extra: Record<string, unknown> = {}): Promise<Envelope> {
  const res = await call('POST', path, { metadata: {}, spec, ...extra });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as Envelope;
}

function expectError(res: { status: number; body: any }, status: number, ...fragments: string[]) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(Object.keys(res.body).sort()).toEqual(['code', 'error']);
  expect(res.body.code).toBe(status);
  for (const fragment of fragments) expect(res.body.error).toContain(fragment);
  expect(res.body.error).not.toMatch(/prisma|constraint|sqlite|postgres|unique/i);
}

const count = (model: 'component' | 'changeEvent' | 'fabricaResource' | 'group' | 'interface') =>
  (gw.db.prisma[model] as any).count() as Promise<number>;
const UID = (kind: string) => new RegExp(`^${kind.toLowerCase()}-[0-9a-f]{8}$`);

describe('Fabrica /components', () => {
  let node: Envelope;

  it('lists an empty collection as a bare array', async () => {
    const res = await call('GET', '/components');
    expect(res.status).toBe(200);
    expect(res.body).toEqual([]);
  });

  it('creates a component: 201 with the envelope, the SMD spec and a minted uid', async () => {
    const spec = {
      ID: 'x3000c0s19b1n0',
      Type: 'Node',
      State: 'Ready',
      Flag: 'OK',
      Enabled: true,
      NetType: 'Sling',
      Arch: 'X86',
      Class: 'River',
      NID: 7,
      Role: 'Compute',
    };
    const res = await call('POST', '/components', {
      metadata: { name: 'node-a', labels: { rack: 'r1' }, annotations: { note: 'first' } },
      labels: { role: 'compute' },
      spec,
    });
    expect(res.status).toBe(201);
    node = res.body;
    // The spec comes back as it was sent.
    expect(node).toMatchObject({
      apiVersion: 'v1',
      kind: 'Component',
      metadata: { name: 'node-a', labels: { rack: 'r1', role: 'compute' }, annotations: { note: 'first' } },
      id: 'x3000c0s19b1n0',
      spec,
      status: { ready: false },
    });
    expect(node.metadata.uid).toMatch(UID('Component'));
    expect(new Date(node.metadata.createdAt).toISOString()).toBe(node.metadata.createdAt);
    expect(res.headers.get('content-type')).toBe('application/json');
  });

  it('defaults metadata.name to the spec ID and derives Type from the ID', async () => {
    const bmc = await create('/components', { ID: 'X3000C0S19B1', Type: 'Node', State: 'Ready' });
    expect(bmc.metadata.name).toBe('x3000c0s19b1');
    expect(bmc.spec).toMatchObject({ ID: 'x3000c0s19b1', Type: 'NodeBMC', State: 'Ready', Flag: 'OK', Enabled: true });
    expect(bmc.metadata.labels).toBeUndefined();
  });

  it('gets one by uid; an unknown uid or a uid of another kind is 404', async () => {
    const res = await call('GET', `/components/${node.metadata.uid}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual(node);
    expectError(await call('GET', '/components/component-00000000'), 404, 'component-00000000');
    expectError(await call('GET', `/groups/${node.metadata.uid}`), 404);
  });

  it('refuses a duplicate spec.ID with 409 naming the field, and writes nothing', async () => {
    const before = { components: await count('component'), events: await count('changeEvent'), meta: await count('fabricaResource') };
    const dup = await call('POST', '/components', { metadata: { name: 'again' }, spec: { ID: 'x3000c0s19b1n0', State: 'On' } });
    expectError(dup, 409, 'spec.ID', 'x3000c0s19b1n0');
    const nid = await postSpec('/components', { ID: 'x3000c0s19b1n1', State: 'On', NID: 7 });
    expectError(nid, 409, 'spec.NID');
    expect({ components: await count('component'), events: await count('changeEvent'), meta: await count('fabricaResource') }).toEqual(
      before,
    );
  });

  it('answers bad bodies with 400 naming the spec field', async () => {
    expectError(await call('POST', '/components', '{"metadata":'), 400, 'invalid request body');
    expectError(await call('POST', '/components', '[1]'), 400, 'must be a JSON object');
    expectError(await call('POST', '/components', { metadata: {} }), 400, 'spec is required');
    expectError(await postSpec('/components', { ID: 'not-an-xname', State: 'On' }), 400, 'spec.ID');
    expectError(await postSpec('/components', { ID: 'x3000c0s19b1n1', State: 'Sleepy' }), 400, 'spec.State');
    expectError(await postSpec('/components', 'x'), 400, 'spec');
    expectError(
      await call('POST', '/components', { metadata: { labels: { rack: 5 } }, spec: { ID: 'x3000c0s19b1n1' } }),
      400,
      'labels.rack',
    );
  });

  it('PUT replaces the spec, renames, merges labels and keeps the uid', async () => {
    const res = await call('PUT', `/components/${node.metadata.uid}`, {
      metadata: { name: 'node-renamed', labels: { rack: 'r2' } },
      labels: { extra: 'yes' },
      spec: { ID: 'x3000c0s19b1n0', State: 'Off', NID: 8 },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const put = res.body as Envelope;
    expect(put.metadata).toMatchObject({
      uid: node.metadata.uid,
      name: 'node-renamed',
      labels: { rack: 'r2', role: 'compute', extra: 'yes' },
      annotations: { note: 'first' },
    });
    expect(put.metadata.createdAt).toBe(node.metadata.createdAt);
    expect(put.metadata.updatedAt >= node.metadata.updatedAt).toBe(true);
    // Replaced: fields left out take their defaults.
    expect(put.spec).toEqual({ ID: 'x3000c0s19b1n0', Type: 'Node', State: 'Off', Flag: 'OK', Enabled: true, NID: 8 });
    node = put;
  });

  it('PUT without a spec changes only metadata; PUT of another spec.ID is refused', async () => {
    const res = await call('PUT', `/components/${node.metadata.uid}`, { annotations: { owner: 'ops' } });
    expect(res.status).toBe(200);
    expect(res.body.spec).toEqual(node.spec);
    expect(res.body.metadata.annotations).toEqual({ note: 'first', owner: 'ops' });
    const moved = await call('PUT', `/components/${node.metadata.uid}`, { spec: { ID: 'x3000c0s19b1n5', State: 'On' } });
    expectError(moved, 400, 'spec.ID', 'cannot be changed');
    expectError(await call('PUT', '/components/component-00000000', { spec: { ID: 'x3000c0s19b1n0' } }), 404);
    expectError(
      await call('PUT', `/components/${node.metadata.uid}`, { spec: { ID: 'x3000c0s19b1n0', Flag: 'Purple' } }),
      400,
      'spec.Flag',
    );
    expect((await call('GET', `/components/${node.metadata.uid}`)).body.spec.State).toBe('Off');
  });

  it('PATCH with a merge patch (merge-patch+json and plain json) changes and removes fields', async () => {
    const merge = await patch(`/components/${node.metadata.uid}`, { State: 'On', Role: 'Service', NID: null }, MERGE_PATCH);
    expect(merge.status, JSON.stringify(merge.body)).toBe(200);
    expect(merge.body.spec).toMatchObject({ State: 'On', Role: 'Service' });
    expect(merge.body.spec.NID).toBeUndefined();
    expect(merge.body.metadata.uid).toBe(node.metadata.uid);
    const plain = await call('PATCH', `/components/${node.metadata.uid}`, { Role: null, SubRole: 'Worker' });
    expect(plain.status).toBe(200);
    expect(plain.body.spec.Role).toBeUndefined();
    expect(plain.body.spec.SubRole).toBe('Worker');
  });

  it('PATCH with a JSON Patch (RFC 6902) applies operations in order', async () => {
    const res = await jsonPatched(`/components/${node.metadata.uid}`, [
      { op: 'test', path: '/State', value: 'On' },
      { op: 'replace', path: '/State', value: 'Standby' },
      { op: 'add', path: '/NID', value: 42 },
      { op: 'remove', path: '/SubRole' },
    ]);
    expect(res.body.spec).toMatchObject({ State: 'Standby', NID: 42 });
    expect(res.body.spec.SubRole).toBeUndefined();
    expect(res.body.metadata.name).toBe('node-renamed');
  });

  it('PATCH with a shorthand patch sets and deletes dot paths', async () => {
    const res = await call('PATCH', `/components/${node.metadata.uid}`, { Arch: 'ARM', NID: null }, 'application/shorthand-patch+json');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.spec.Arch).toBe('ARM');
    expect(res.body.spec.NID).toBeUndefined();
  });

  it('a patch that fails is 422 and writes nothing; an invalid result is 400; other media types 415', async () => {
    const events = await count('changeEvent');
    const before = (await call('GET', `/components/${node.metadata.uid}`)).body;
    expectError(
      await patch(`/components/${node.metadata.uid}`, [{ op: 'test', path: '/State', value: 'Off' }], JSON_PATCH),
      422,
      'failed to apply patch',
    );
    expectError(await patch(`/components/${node.metadata.uid}`, [{ op: 'remove', path: '/NoSuchField' }], JSON_PATCH), 422);
    expectError(await patch(`/components/${node.metadata.uid}`, [{ op: 'jump', path: '/State' }], JSON_PATCH), 422);
    expectError(await patch(`/components/${node.metadata.uid}`, { op: 'replace' }, JSON_PATCH), 422, 'array');
    expectError(await patch(`/components/${node.metadata.uid}`, '"text"', MERGE_PATCH), 422, 'not a JSON object');
    expectError(await patch(`/components/${node.metadata.uid}`, '{"State":', MERGE_PATCH), 400, 'invalid request body');
    expectError(await patch(`/components/${node.metadata.uid}`, { State: 'Sleepy' }, MERGE_PATCH), 400, 'spec.State');
    expectError(await patch(`/components/${node.metadata.uid}`, { ID: 'x9c0s0b0n0' }, MERGE_PATCH), 400, 'spec.ID');
    expectError(await call('PATCH', `/components/${node.metadata.uid}`, 'State: On', 'text/yaml'), 415);
    expectError(await patch('/components/component-00000000', { State: 'On' }, MERGE_PATCH), 404);
    expect(await count('changeEvent')).toBe(events);
    expect((await call('GET', `/components/${node.metadata.uid}`)).body).toEqual(before);
  });

  it('has a status sub-resource: GET, PUT replaces, PATCH merges but may not remove fields', async () => {
    const got = await call('GET', `/components/${node.metadata.uid}/status`);
    expect(got.status).toBe(200);
    expect(got.body.status).toEqual({ ready: false });
    const put = await call('PUT', `/components/${node.metadata.uid}/status`, {
      phase: 'Running',
      message: 'booted',
      ready: true,
      extra: 1,
    });
    expect(put.status).toBe(200);
    expect(put.body.status).toEqual({ phase: 'Running', message: 'booted', ready: true });
    expect(put.body.spec).toEqual((await call('GET', `/components/${node.metadata.uid}`)).body.spec);
    const patched = await patch(`/components/${node.metadata.uid}/status`, { message: 'rebooting' }, MERGE_PATCH);
    expect(patched.status).toBe(200);
    expect(patched.body.status).toEqual({ phase: 'Running', message: 'rebooting', ready: true });
    const jp = await patch(`/components/${node.metadata.uid}/status`, [{ op: 'replace', path: '/ready', value: false }], JSON_PATCH);
    expect(jp.body.status).toEqual({ phase: 'Running', message: 'rebooting', ready: false });
    expectError(await patch(`/components/${node.metadata.uid}/status`, { phase: null }, MERGE_PATCH), 422, 'phase');
    expectError(await patch(`/components/${node.metadata.uid}/status`, [{ op: 'remove', path: '/message' }], JSON_PATCH), 422);
    expectError(await call('PUT', `/components/${node.metadata.uid}/status`, { ready: 'yes' }), 400, 'status.ready');
    expectError(await call('PUT', '/components/component-00000000/status', { ready: true }), 404);
    expect((await call('GET', `/components/${node.metadata.uid}`)).body.status).toEqual({
      phase: 'Running',
      message: 'rebooting',
      ready: false,
    });
  });

  it('answers a wrong method with 405 and Allow', async () => {
    const res = await call('POST', `/components/${node.metadata.uid}`, {});
    expectError(res, 405);
    expect(res.headers.get('allow')).toContain('GET');
    expect(res.headers.get('allow')).toContain('PATCH');
  });

  it('DELETE answers {message, uid}; the resource is gone afterwards', async () => {
    const tmp = await create('/components', { ID: 'x3000c0s20b0n0', State: 'On' });
    const res = await call('DELETE', `/components/${tmp.metadata.uid}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ message: 'Component deleted successfully', uid: tmp.metadata.uid });
    expectError(await call('GET', `/components/${tmp.metadata.uid}`), 404);
    expectError(await call('DELETE', `/components/${tmp.metadata.uid}`), 404);
    expect((await call('GET', '/components')).body.map((e: Envelope) => e.id)).not.toContain('x3000c0s20b0n0');
    // The ID is free again: a new resource with a new uid.
    const again = await create('/components', { ID: 'x3000c0s20b0n0', State: 'On' });
    expect(again.metadata.uid).not.toBe(tmp.metadata.uid);
  });

  it('records every write in the change log with source fabrica', async () => {
    const events = await gw.db.prisma.changeEvent.findMany({ where: { source: 'fabrica' }, orderBy: { seq: 'asc' } });
    expect(events.some((e) => e.entityType === 'Component' && e.action === 'created')).toBe(true);
    expect(events.some((e) => e.entityType === 'FabricaResource' && e.entityId === node.metadata.uid)).toBe(true);
    expect(events.some((e) => e.entityType === 'Component' && e.action === 'deleted')).toBe(true);
  });
});

describe('one store behind Fabrica, SMD and GraphQL', () => {
  it('mints a uid the first time a component made elsewhere is shown, and keeps it', async () => {
    await createComponent(gw.service, { xname: 'x1000c0s0b0n0', state: 'Ready', nid: 1000 });
    const list = (await call('GET', '/components')).body as Envelope[];
    const shown = list.find((e) => e.id === 'x1000c0s0b0n0') as Envelope;
    expect(shown.metadata.uid).toMatch(UID('Component'));
    expect(shown.metadata.name).toBe('x1000c0s0b0n0');
    expect(shown.spec).toMatchObject({ ID: 'x1000c0s0b0n0', Type: 'Node', State: 'Ready', NID: 1000 });
    const again = (await call('GET', '/components')).body as Envelope[];
    expect(again.find((e) => e.id === 'x1000c0s0b0n0')?.metadata.uid).toBe(shown.metadata.uid);
    expect((await call('GET', `/components/${shown.metadata.uid}`)).body.id).toBe('x1000c0s0b0n0');
    // Changed through GraphQL: same uid, new spec.
    const gql = await gw.gql(`mutation { updateComponent(xname: "x1000c0s0b0n0", input: { state: "Off" }) { state } }`);
    expect(gql.errors).toBeUndefined();
    const after = await call('GET', `/components/${shown.metadata.uid}`);
    expect(after.body.spec.State).toBe('Off');
    expect(after.body.metadata.uid).toBe(shown.metadata.uid);
  });

  it('shows a component POSTed to /components in GraphQL and in /hsm/v2/State/Components', async () => {
    const created = await create('/components', { ID: 'x1000c0s1b0n0', State: 'Ready', Role: 'Compute', NID: 1001 });
    const gql = await gw.gql(`{ component(xname: "x1000c0s1b0n0") { xname state role nid } }`);
    expect(gql.data.component).toEqual({ xname: 'x1000c0s1b0n0', state: 'Ready', role: 'Compute', nid: 1001 });
    const smd = await call('GET', '/hsm/v2/State/Components');
    expect(smd.status).toBe(200);
    const entry = (smd.body.Components as any[]).find((c) => c.ID === 'x1000c0s1b0n0');
    expect(entry).toEqual(created.spec);
  });

  it('shows a component POSTed to /hsm/v2 in /components', async () => {
    const res = await call('POST', '/hsm/v2/State/Components', {
      Components: [{ ID: 'x1000c0s2b0n0', State: 'On', Flag: 'OK', Enabled: true, Arch: 'X86' }],
    });
    expect(res.status).toBeLessThan(300);
    const list = (await call('GET', '/components')).body as Envelope[];
    expect(list.find((e) => e.id === 'x1000c0s2b0n0')?.spec).toMatchObject({ ID: 'x1000c0s2b0n0', Type: 'Node', State: 'On', Arch: 'X86' });
  });

  it('mints each uid once when several requests show new entities at the same time', async () => {
    for (let i = 0; i < 20; i++) await createComponent(gw.service, { xname: `x1001c0s${i}b0n0`, state: 'On' });
    const lists = await Promise.all([1, 2, 3].map(async () => (await call('GET', '/components')).body as Envelope[]));
    const uidsOf = (list: Envelope[]) => Object.fromEntries(list.map((e) => [e.id, e.metadata.uid]));
    expect(uidsOf(lists[1])).toEqual(uidsOf(lists[0]));
    expect(uidsOf(lists[2])).toEqual(uidsOf(lists[0]));
    const uids = lists[0].map((e) => e.metadata.uid);
    expect(new Set(uids).size).toBe(uids.length);
    expect(await gw.db.prisma.fabricaResource.count({ where: { kind: 'Component' } })).toBe(uids.length + 1); // + the one deleted earlier
  });

  it('shows a group made through /hsm/v2/groups in /groups, and one made in /groups in /hsm/v2', async () => {
    const res = await call('POST', '/hsm/v2/groups', { label: 'smd-made', description: 'from SMD', members: { ids: ['x1000c0s0b0n0'] } });
    expect(res.status).toBeLessThan(300);
    const list = (await call('GET', '/groups')).body as Envelope[];
    expect(list.find((e) => e.id === 'smd-made')?.spec).toEqual({
      label: 'smd-made',
      description: 'from SMD',
      members: { ids: ['x1000c0s0b0n0'] },
    });
    const fab = await create('/groups', { label: 'fabrica-made', tags: ['t1'], members: { ids: ['x1000c0s1b0n0'] } });
    const smd = await call('GET', '/hsm/v2/groups/fabrica-made');
    expect(smd.status).toBe(200);
    expect(smd.body).toEqual(fab.spec);
  });
});

describe('the other kinds', () => {
  let endpoint: Envelope;

  it('/redfishendpoints: never shows the password, keeps it on PUT, refuses a duplicate ID', async () => {
    endpoint = await create('/redfishendpoints', {
      ID: 'x3000c0s19b1',
      FQDN: 'x3000c0s19b1.mgmt',
      User: 'root',
      Password: 'secret',
      Enabled: true,
    });
    expect(endpoint.metadata.uid).toMatch(UID('RedfishEndpoint'));
    expect(endpoint.spec).toMatchObject({
      ID: 'x3000c0s19b1',
      Type: 'NodeBMC',
      Hostname: 'x3000c0s19b1',
      Domain: 'mgmt',
      FQDN: 'x3000c0s19b1.mgmt',
      User: 'root',
      Password: '',
    });
    expect((await readRedfishCredentials(gw.db.prisma, 'x3000c0s19b1')).password).toBe('secret');
    const put = await call('PUT', `/redfishendpoints/${endpoint.metadata.uid}`, { spec: { ...endpoint.spec, User: 'admin' } });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect(put.body.spec).toMatchObject({ User: 'admin', Password: '' });
    expect((await readRedfishCredentials(gw.db.prisma, 'x3000c0s19b1')).password).toBe('secret');
    expect(JSON.stringify((await call('GET', '/redfishendpoints')).body)).not.toContain('secret');
    expect((await call('GET', '/hsm/v2/Inventory/RedfishEndpoints/x3000c0s19b1')).body).toEqual(put.body.spec);
    expectError(await postSpec('/redfishendpoints', { ID: 'x3000c0s19b1' }), 409, 'spec.ID');
    expectError(await postSpec('/redfishendpoints', { ID: 'x3000c0s19b1n0' }), 400, 'spec.ID');
  });

  it('/componentendpoints: the info block under its type key; duplicate ID is 409', async () => {
    const spec = {
      ID: 'x3000c0s19b1n0',
      RedfishEndpointID: 'x3000c0s19b1',
      RedfishType: 'ComputerSystem',
      RedfishSubtype: 'Physical',
      OdataID: '/redfish/v1/Systems/Self',
      ComponentEndpointType: 'ComponentEndpointComputerSystem',
      Enabled: true,
      RedfishSystemInfo: { Name: 'System', EthernetNICInfo: [{ RedfishId: '1', '@odata.id': '/x', MACAddress: 'aa:bb:cc:dd:ee:ff' }] },
    };
    const cep = await create('/componentendpoints', spec);
    expect(cep.spec).toMatchObject({
      ...spec,
      Type: 'Node',
      RedfishEndpointFQDN: 'x3000c0s19b1.mgmt',
      RedfishURL: 'x3000c0s19b1.mgmt/redfish/v1/Systems/Self',
    });
    expectError(await postSpec('/componentendpoints', spec), 409, 'spec.ID');
    expectError(
      await postSpec('/componentendpoints', { ...spec, ID: 'x3000c0s19b1n1', RedfishEndpointID: 'x3000c0s18b1' }),
      400,
      'spec.RedfishEndpointID',
    );
    const patched = await jsonPatched(`/componentendpoints/${cep.metadata.uid}`, [
      { op: 'replace', path: '/RedfishSystemInfo/Name', value: 'Node 0' },
    ]);
    expect(patched.body.spec.RedfishSystemInfo.Name).toBe('Node 0');
    expect((await call('GET', '/hsm/v2/Inventory/ComponentEndpoints/x3000c0s19b1n0')).body).toEqual(patched.body.spec);
  });

  it('/serviceendpoints: id is RedfishType-RedfishEndpointID; a duplicate is 409', async () => {
    const spec = {
      RedfishEndpointID: 'x3000c0s19b1',
      RedfishType: 'UpdateService',
      OdataID: '/redfish/v1/UpdateService',
      ServiceInfo: { Name: 'Update Service' },
    };
    const sep = await create('/serviceendpoints', spec);
    expect(sep.id).toBe('UpdateService-x3000c0s19b1');
    expect(sep.metadata.name).toBe('UpdateService-x3000c0s19b1');
    expect(sep.spec).toMatchObject({ ...spec, RedfishEndpointFQDN: 'x3000c0s19b1.mgmt' });
    expectError(await postSpec('/serviceendpoints', spec), 409, 'spec.RedfishType');
    const moved = await call('PUT', `/serviceendpoints/${sep.metadata.uid}`, { spec: { ...spec, RedfishType: 'EventService' } });
    expectError(moved, 400, 'spec.RedfishType', 'cannot be changed');
    const put = await call('PUT', `/serviceendpoints/${sep.metadata.uid}`, { spec: { ...spec, ServiceInfo: { Name: 'Updates' } } });
    expect(put.body.spec.ServiceInfo).toEqual({ Name: 'Updates' });
    expect((await call('GET', '/hsm/v2/Inventory/ServiceEndpoints/UpdateService/RedfishEndpoints/x3000c0s19b1')).body).toEqual(
      put.body.spec,
    );
    expect(put.body.metadata.uid).toBe(sep.metadata.uid);
  });

  it('/ethernetinterfaces: ID is the MAC without separators; duplicate MAC is 409 on spec.ID', async () => {
    const spec = {
      MACAddress: 'A4:BF:01:38:F0:AE',
      Description: 'onboard',
      ComponentID: 'x3000c0s19b1n0',
      IPAddresses: [{ IPAddress: '10.1.0.5', Network: 'NMN' }],
    };
    const eth = await create('/ethernetinterfaces', spec);
    expect(eth.id).toBe('a4bf0138f0ae');
    expect(eth.metadata.uid).toMatch(UID('EthernetInterface'));
    expect(eth.spec).toMatchObject({
      ID: 'a4bf0138f0ae',
      MACAddress: 'a4:bf:01:38:f0:ae',
      Description: 'onboard',
      ComponentID: 'x3000c0s19b1n0',
      Type: 'Node',
      IPAddresses: [{ IPAddress: '10.1.0.5', Network: 'NMN' }],
    });
    expectError(await postSpec('/ethernetinterfaces', { ID: 'a4bf0138f0ae', ComponentID: 'x3000c0s19b1n0' }), 409, 'spec.ID');
    expectError(await postSpec('/ethernetinterfaces', { ...spec, MACAddress: 'zz' }), 400, 'spec.MACAddress');
    expectError(
      await postSpec('/ethernetinterfaces', { ...spec, MACAddress: 'a4:bf:01:38:f0:af', ComponentID: 'not-an-xname' }),
      400,
      'spec.ComponentID',
    );
    expectError(await postSpec('/ethernetinterfaces', { ...spec, ID: 'a4bf0138f0af' }), 400, 'spec.ID');
    // As in SMD, ComponentID may name a position that does not exist (yet).
    const dangling = await create('/ethernetinterfaces', { ID: 'a4bf0138f0b0', ComponentID: 'x9c0s0b0n0' });
    expect(dangling.spec).toMatchObject({
      ID: 'a4bf0138f0b0',
      MACAddress: 'a4:bf:01:38:f0:b0',
      ComponentID: 'x9c0s0b0n0',
      Type: 'Node',
      IPAddresses: [],
    });
    const smd = await call('GET', '/hsm/v2/Inventory/EthernetInterfaces/a4bf0138f0b0');
    expect(smd.status).toBe(200);
    expect(smd.body).toEqual(dangling.spec);
    const patched = await jsonPatched(`/ethernetinterfaces/${eth.metadata.uid}`, [
      { op: 'add', path: '/IPAddresses/-', value: { IPAddress: '10.2.0.5' } },
    ]);
    expect(patched.body.spec.IPAddresses).toEqual([{ IPAddress: '10.1.0.5', Network: 'NMN' }, { IPAddress: '10.2.0.5' }]);
    expectError(
      await patch(`/ethernetinterfaces/${eth.metadata.uid}`, { IPAddresses: [{ IPAddress: 'nope' }] }, MERGE_PATCH),
      400,
      'spec.IPAddresses.0.IPAddress',
    );
    const gql = await gw.gql(`{ interfaces(macAddress: "a4:bf:01:38:f0:ae") { edges { node { description ipAddresses { address } } } } }`);
    expect(gql.data.interfaces.edges[0].node.ipAddresses.map((a: { address: string }) => a.address).sort()).toEqual([
      '10.1.0.5',
      '10.2.0.5',
    ]);
    const del = await call('DELETE', `/ethernetinterfaces/${eth.metadata.uid}`);
    expect(del.body).toEqual({ message: 'EthernetInterface deleted successfully', uid: eth.metadata.uid });
  });

  it('/groups: members follow PUT and PATCH; a duplicate label is 409', async () => {
    const group = await create('/groups', {
      label: 'Compute',
      description: 'all nodes',
      tags: ['hpc'],
      members: { ids: ['x3000c0s19b1n0'] },
    });
    expect(group.id).toBe('compute');
    expect(group.spec).toEqual({ label: 'compute', description: 'all nodes', tags: ['hpc'], members: { ids: ['x3000c0s19b1n0'] } });
    expectError(await postSpec('/groups', { label: 'compute' }), 409, 'spec.label');
    expectError(await postSpec('/groups', { label: 'other', members: { ids: ['x9c0s0b0n0'] } }), 400, 'spec.members.ids.0');
    const patched = await jsonPatched(`/groups/${group.metadata.uid}`, [{ op: 'add', path: '/members/ids/-', value: 'x1000c0s0b0n0' }]);
    expect(patched.body.spec.members.ids).toEqual(['x1000c0s0b0n0', 'x3000c0s19b1n0']);
    const put = await call('PUT', `/groups/${group.metadata.uid}`, { spec: { label: 'compute', members: { ids: ['x1000c0s1b0n0'] } } });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect(put.body.spec).toEqual({ label: 'compute', description: '', members: { ids: ['x1000c0s1b0n0'] } });
    const gql = await gw.gql(`{ group(name: "compute") { description components { xname } } }`);
    expect(gql.errors).toBeUndefined();
    expect(gql.data.group).toEqual({ description: null, components: [{ xname: 'x1000c0s1b0n0' }] });
    expectError(await call('PUT', `/groups/${group.metadata.uid}`, { spec: { label: 'renamed' } }), 400, 'spec.label');
    expect((await call('DELETE', `/groups/${group.metadata.uid}`)).status).toBe(200);
    expect(await gw.db.prisma.group.count({ where: { name: 'compute', deletedAt: null } })).toBe(0);
  });

  it('/hardwares: a position with an installed device is shown as HWInvByLoc, as /hsm/v2 shows it', async () => {
    await installedNode(gw.service, { xname: 'x1000c0s5b0n0', state: 'Ready', serialNumber: 'SN-1', partNumber: 'P-1' });
    const list = (await call('GET', '/hardwares')).body as Envelope[];
    const hw = list.find((e) => e.id === 'x1000c0s5b0n0') as Envelope;
    expect(hw.metadata.uid).toMatch(UID('Hardware'));
    expect(hw.spec).toMatchObject({
      ID: 'x1000c0s5b0n0',
      Type: 'Node',
      Status: 'Populated',
      HWInventoryByLocationType: 'HWInvByLocNode',
      PopulatedFRU: {
        FRUID: 'Node.HPE.P1.SN1',
        Type: 'Node',
        HWInventoryByFRUType: 'HWInvByFRUNode',
        NodeFRUInfo: { Manufacturer: 'HPE', SerialNumber: 'SN-1', PartNumber: 'P-1' },
      },
    });
    expect(list.some((e) => e.id === 'x3000c0s19b1n0')).toBe(false);
    expect((await call('GET', `/hardwares/${hw.metadata.uid}`)).body.id).toBe('x1000c0s5b0n0');
    const smd = await call('GET', '/hsm/v2/Inventory/Hardware/x1000c0s5b0n0');
    expect(smd.status).toBe(200);
    expect(smd.body).toEqual(hw.spec);
    const status = await call('PUT', `/hardwares/${hw.metadata.uid}/status`, { ready: true });
    expect(status.body.status).toEqual({ ready: true });
  });

  it('/hardwares: POST, duplicate ID, PUT and DELETE go through the hardware inventory service', async () => {
    const spec = {
      ID: 'x1000c0s6b0n0',
      Type: 'Node',
      Ordinal: 0,
      NodeLocationInfo: { Id: 'System.Embedded.1', Name: 'node 6' },
      PopulatedFRU: { NodeFRUInfo: { Manufacturer: 'Acme', PartNumber: 'AC-100', SerialNumber: 'S600', Model: 'Rocket' } },
    };
    const hw = await create('/hardwares', spec);
    expect(hw.spec).toMatchObject({
      ID: 'x1000c0s6b0n0',
      Status: 'Populated',
      NodeLocationInfo: { Id: 'System.Embedded.1', Name: 'node 6' },
      PopulatedFRU: { FRUID: 'Node.Acme.AC100.S600', NodeFRUInfo: { Manufacturer: 'Acme', SerialNumber: 'S600' } },
    });
    // The position was created as SMD creates it (Populated), visible as a component too.
    expect((await gw.gql(`{ component(xname: "x1000c0s6b0n0") { state } }`)).data.component).toEqual({ state: 'Populated' });
    expectError(await postSpec('/hardwares', spec), 409, 'spec.ID');
    expectError(await postSpec('/hardwares', { ID: 'x1000c0s6b0n1' }), 400, 'spec.PopulatedFRU');
    expectError(await postSpec('/hardwares', { ...spec, ID: 'not-an-xname' }), 400, 'spec.ID');
    expectError(await postSpec('/hardwares', { ...spec, ID: 'x1000c0s6b0n0i0' }), 400, 'spec.ID', 'NodeNic');
    const put = await call('PUT', `/hardwares/${hw.metadata.uid}`, {
      spec: { ...spec, PopulatedFRU: { NodeFRUInfo: { Manufacturer: 'Acme', PartNumber: 'AC-100', SerialNumber: 'S601' } } },
    });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect(put.body.spec.PopulatedFRU.FRUID).toBe('Node.Acme.AC100.S601');
    expect(put.body.metadata.uid).toBe(hw.metadata.uid);
    const del = await call('DELETE', `/hardwares/${hw.metadata.uid}`);
    expect(del.body).toEqual({ message: 'Hardware deleted successfully', uid: hw.metadata.uid });
    expectError(await call('GET', `/hardwares/${hw.metadata.uid}`), 404);
    expect((await gw.gql(`{ component(xname: "x1000c0s6b0n0") { xname } }`)).data.component).toEqual({ xname: 'x1000c0s6b0n0' });
  });
});

// The RFD 112 Inventory API (/apis/inventory/v1/devices) on a real database: the Device
// document, filters and paging, merge-patch, soft delete and restore, ETag/If-Match, Accept
// negotiation, problem+json errors, and the same store as GraphQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInventoryV1Router } from '../../src/rest-compat/inventory-v1/index.js';
import { openApiPath } from '../../src/rest-compat/openapi/document.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { expectProblem } from '../support/problem.js';

const BASE = '/apis/inventory/v1';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
});
afterAll(() => gw?.close());

/** A call below /apis/inventory/v1; the body goes as JSON unless `headers` name another content-type. */
const call = (method: string, path: string, options: { body?: unknown; headers?: Record<string, string> } = {}) =>
  gw.rest(method, `${BASE}${path}`, options.body, { headers: options.headers });

let serial = 0;
async function create(fields: Record<string, unknown> = {}) {
  const res = await call('POST', '/devices', {
    body: { deviceType: 'Node', manufacturer: 'Vendor Inc.', serialNumber: `SN-${++serial}`, ...fields },
  });
  expect(res.status, res.text).toBe(201);
  return res.body;
}

describe('POST /devices and GET /devices/{id}', () => {
  it('creates a device and answers the RFD document with Location and ETag', async () => {
    const rack = await create({ deviceType: 'Rack', serialNumber: 'RACK-1' });
    const res = await call('POST', '/devices', {
      body: {
        apiVersion: 'inventory/v1',
        kind: 'Device',
        deviceType: 'Node',
        manufacturer: 'Vendor Inc.',
        partNumber: 'VN-123-456',
        serialNumber: 'SN987654321',
        parentID: rack.id,
        properties: { device_type_slug: 'ProLiant-BL460c-Gen10', protocol: ['ipmi', 'redfish'] },
      },
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toBe(`${BASE}/devices/${res.body.id}`);
    expect(res.headers.get('etag')).toBe('"1"');
    expect(res.body).toEqual({
      apiVersion: 'inventory/v1',
      kind: 'Device',
      schemaVersion: 'v1',
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      deviceType: 'Node',
      manufacturer: 'Vendor Inc.',
      model: null,
      partNumber: 'VN-123-456',
      serialNumber: 'SN987654321',
      parentID: rack.id,
      childrenDeviceIds: [],
      properties: { device_type_slug: 'ProLiant-BL460c-Gen10', protocol: ['ipmi', 'redfish'] },
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
      deletedAt: null,
    });
    const parent = await call('GET', `/devices/${rack.id}`);
    expect(parent.status).toBe(200);
    expect(parent.headers.get('etag')).toBe('"1"');
    expect(parent.body.childrenDeviceIds).toEqual([res.body.id]);
  });

  it('refuses bad bodies with precise problems', async () => {
    expectProblem(await call('POST', '/devices', { body: '{"deviceType":' }), 400, 'body');
    expectProblem(await call('POST', '/devices', { body: { manufacturer: 'x' } }), 422, 'deviceType');
    expectProblem(await call('POST', '/devices', { body: [1] }), 422, 'body');
    expectProblem(await call('POST', '/devices', { body: { deviceType: 'Node', parentID: 7 } }), 422, 'parentID');
    expectProblem(
      await call('POST', '/devices', { body: { deviceType: 'Node', parentID: '00000000-0000-0000-0000-000000000000' } }),
      422,
      'parentID',
    );
    expectProblem(
      await call('POST', '/devices', { body: { deviceType: 'Node' }, headers: { 'content-type': 'text/plain' } }),
      415,
      'content-type',
    );
    const members = await call('POST', '/devices', {
      body: { deviceType: 'Node', id: 'x', childrenDeviceIds: [], colour: 'red', kind: 'Rack' },
    });
    expectProblem(members, 422);
    expect(members.body.invalidParams.map((p: { name: string }) => p.name)).toEqual(['id', 'childrenDeviceIds', 'colour', 'kind']);
  });

  it('lists every bad property key', async () => {
    const res = await call('POST', '/devices', {
      body: { deviceType: 'Node', properties: { good_key: 1, biosBootMode: 'UEFI', 'Wake-up Type': 'x', 'bios.Release Date': 'y' } },
    });
    expectProblem(res, 422, 'properties');
    expect(res.body.invalidParams.map((p: { name: string }) => p.name)).toEqual([
      'properties.biosBootMode',
      'properties.Wake-up Type',
      'properties.bios.Release Date',
    ]);
    for (const key of ['biosBootMode', 'Wake-up Type', 'bios.Release Date']) expect(res.body.detail).toContain(JSON.stringify(key));
  });

  it('answers 409 for a duplicate serial number', async () => {
    await create({ manufacturer: 'Dup Corp', serialNumber: 'DUP-1' });
    expectProblem(await call('POST', '/devices', { body: { deviceType: 'Node', manufacturer: 'Dup Corp', serialNumber: 'DUP-1' } }), 409);
  });

  it('answers 404 for an unknown id and for an unknown route', async () => {
    expectProblem(await call('GET', '/devices/00000000-0000-0000-0000-000000000000'), 404, 'id');
    expectProblem(await call('GET', '/nothing'), 404);
    const wrong = await call('PUT', '/devices');
    expectProblem(wrong, 405);
    expect(wrong.headers.get('allow')).toContain('GET');
  });
});

describe('Accept negotiation', () => {
  it('serves v1 for JSON, the vendor type and version=v1', async () => {
    const d = await create();
    for (const accept of [
      'application/json',
      'application/vnd.openchami.inventory.v1+json',
      'application/vnd.openchami.inventory+json;version=v1',
      'application/json; version=v1',
      '*/*',
      'text/html, application/json;q=0.5',
    ]) {
      const res = await call('GET', `/devices/${d.id}`, { headers: { accept } });
      expect(res.status, accept).toBe(200);
      expect(res.body.schemaVersion).toBe('v1');
    }
    const vendor = await call('GET', `/devices/${d.id}`, { headers: { accept: 'application/vnd.openchami.inventory.v1+json' } });
    expect(vendor.headers.get('content-type')).toBe('application/vnd.openchami.inventory.v1+json');
  });

  it('refuses an unknown version with 406 naming the supported ones, before writing', async () => {
    for (const accept of ['application/vnd.openchami.inventory.v2+json', 'application/json;version=v9', 'text/html']) {
      const res = await call('GET', '/devices', { headers: { accept } });
      expectProblem(res, 406);
      expect(res.body.supportedVersions).toEqual(['v1']);
    }
    const before = (await call('GET', '/devices')).body.total;
    expectProblem(
      await call('POST', '/devices', { body: { deviceType: 'Node' }, headers: { accept: 'application/vnd.openchami.inventory.v2+json' } }),
      406,
    );
    expect((await call('GET', '/devices')).body.total).toBe(before);
  });
});

describe('GET /devices', () => {
  let chassis: any;
  let blades: any[];
  beforeAll(async () => {
    chassis = await create({ deviceType: 'Chassis', manufacturer: 'ListCo', serialNumber: 'CH-1', properties: { bios_vendor: 'none' } });
    blades = [];
    for (let i = 0; i < 3; i++) {
      blades.push(
        await create({
          deviceType: 'Blade',
          manufacturer: 'ListCo',
          partNumber: i < 2 ? 'PN-A' : 'PN-B',
          serialNumber: `BL-${i}`,
          parentID: chassis.id,
          properties: { bios_vendor: i === 0 ? 'AMI' : 'Phoenix', 'bios.release_date': `2024-01-0${i}`, rank: i },
        }),
      );
    }
  });

  it('filters by fields, parent and properties', async () => {
    const ids = async (query: string) => {
      const res = await call('GET', `/devices?${query}`);
      expect(res.status, res.text).toBe(200);
      return res.body.items.map((d: { id: string }) => d.id);
    };
    expect(await ids('manufacturer=ListCo&deviceType=Blade')).toEqual(blades.map((b) => b.id));
    expect(await ids('manufacturer=ListCo&deviceType=Blade&deviceType=Chassis')).toEqual([chassis.id, ...blades.map((b) => b.id)]);
    expect(await ids('partNumber=PN-B')).toEqual([blades[2].id]);
    expect(await ids('serialNumber=BL-1')).toEqual([blades[1].id]);
    expect(await ids(`parentID=${chassis.id}`)).toEqual(blades.map((b) => b.id));
    expect(await ids('parentID=null&manufacturer=ListCo')).toEqual([chassis.id]);
    expect(await ids('properties.bios_vendor=AMI')).toEqual([blades[0].id]);
    expect(await ids('properties.bios.release_date=2024-01-02')).toEqual([blades[2].id]);
    expect(await ids('properties.rank=1&properties.bios_vendor=Phoenix')).toEqual([blades[1].id]);
    expect(await ids('properties.bios_vendor=AMI&manufacturer=Other')).toEqual([]);
  });

  it('pages with limit and offset, and computes children for the page in one query', async () => {
    const res = await call('GET', '/devices?manufacturer=ListCo&limit=2&offset=0');
    const page = res.body;
    expect(page).toMatchObject({ total: 4, limit: 2, offset: 0 });
    expect(page.items.map((d: { id: string }) => d.id)).toEqual([chassis.id, blades[0].id]);
    expect(page.items[0].childrenDeviceIds).toEqual(blades.map((b) => b.id));
    // The page, the count and the children of every item: a fixed number, not one per row.
    expect(res.statements).toBeLessThanOrEqual(3);
    const second = await call('GET', '/devices?manufacturer=ListCo&limit=2&offset=2');
    expect(second.body.items.map((d: { id: string }) => d.id)).toEqual([blades[1].id, blades[2].id]);
    const all = await call('GET', '/devices');
    expect(all.body.limit).toBe(100);
    expect(all.body.offset).toBe(0);
  });

  it('refuses bad query parameters with 400 naming them', async () => {
    for (const [query, field] of [
      ['limit=0', 'limit'],
      ['limit=1001', 'limit'],
      ['limit=ten', 'limit'],
      ['offset=-1', 'offset'],
      ['include_deleted=yes', 'include_deleted'],
      ['colour=red', 'colour'],
      ['properties.BadKey=1', 'properties.BadKey'],
      ['manufacturer=a&manufacturer=b', 'manufacturer'],
    ]) {
      expectProblem(await call('GET', `/devices?${query}`), 400, field);
    }
  });
});

describe('PATCH /devices/{id}', () => {
  it('merge-patches fields and properties key by key, bumping the ETag', async () => {
    const d = await create({ model: 'M1', properties: { keep: 1, drop: 2, nested: { a: 1, b: 2 } } });
    const res = await call('PATCH', `/devices/${d.id}`, {
      body: { model: null, partNumber: 'PN-9', properties: { drop: null, added: 'x', nested: { b: null } } },
      headers: { 'content-type': 'application/merge-patch+json', 'if-match': '"1"' },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.headers.get('etag')).toBe('"2"');
    expect(res.body).toMatchObject({
      model: null,
      partNumber: 'PN-9',
      serialNumber: d.serialNumber,
      properties: { keep: 1, added: 'x', nested: { a: 1 } },
    });
    expect(res.body.properties).not.toHaveProperty('drop');
    const cleared = await call('PATCH', `/devices/${d.id}`, { body: { properties: null } });
    expect(cleared.body.properties).toEqual({});
  });

  it('re-parents a device; the old and new parents see it', async () => {
    const a = await create({ deviceType: 'Chassis' });
    const b = await create({ deviceType: 'Chassis' });
    const child = await create({ parentID: a.id });
    expect((await call('PATCH', `/devices/${child.id}`, { body: { parentID: b.id } })).body.parentID).toBe(b.id);
    expect((await call('GET', `/devices/${a.id}`)).body.childrenDeviceIds).toEqual([]);
    expect((await call('GET', `/devices/${b.id}`)).body.childrenDeviceIds).toEqual([child.id]);
  });

  it('answers precise errors', async () => {
    const d = await create();
    const other = await create({ manufacturer: 'Other Corp', serialNumber: 'TAKEN-1' });
    expectProblem(
      await call('PATCH', `/devices/${d.id}`, { body: { model: 'x' }, headers: { 'content-type': 'application/json-patch+json' } }),
      415,
      'content-type',
    );
    expectProblem(await call('PATCH', `/devices/${d.id}`, { body: '{bad' }), 400, 'body');
    expectProblem(await call('PATCH', `/devices/${d.id}`, { body: { deviceType: null } }), 422, 'deviceType');
    expectProblem(await call('PATCH', `/devices/${d.id}`, { body: { parentID: d.id } }), 422, 'parentID');
    const keys = await call('PATCH', `/devices/${d.id}`, { body: { properties: { Bad: 1, 'Also Bad': 2 } } });
    expectProblem(keys, 422, 'properties');
    expect(keys.body.invalidParams).toHaveLength(2);
    expectProblem(
      await call('PATCH', `/devices/${d.id}`, { body: { manufacturer: other.manufacturer, serialNumber: other.serialNumber } }),
      409,
    );
    expectProblem(await call('PATCH', '/devices/00000000-0000-0000-0000-000000000000', { body: { model: 'x' } }), 404, 'id');
    const stale = await call('PATCH', `/devices/${d.id}`, { body: { model: 'x' }, headers: { 'if-match': '"7"' } });
    expectProblem(stale, 412, 'If-Match');
    expect(stale.body.currentETag).toBe('"1"');
    expectProblem(await call('PATCH', `/devices/${d.id}`, { body: { model: 'x' }, headers: { 'if-match': 'W/"1"' } }), 412);
    const any = await call('PATCH', `/devices/${d.id}`, { body: { model: 'x' }, headers: { 'if-match': '*' } });
    expect(any.status).toBe(200);
    expect(any.body.model).toBe('x');
  });

  it('lets exactly one of two concurrent PATCHes with the same If-Match win', async () => {
    const d = await create();
    const patch = (model: string) =>
      call('PATCH', `/devices/${d.id}`, {
        body: { model },
        headers: { 'content-type': 'application/merge-patch+json', 'if-match': '"1"' },
      });
    const results = await Promise.all([patch('first'), patch('second')]);
    const statuses = results.map((r) => r.status).sort();
    expect(statuses, JSON.stringify(results.map((r) => r.body))).toEqual([200, 412]);
    const winner = results.find((r) => r.status === 200)!;
    const loser = results.find((r) => r.status === 412)!;
    expectProblem(loser, 412);
    const now = await call('GET', `/devices/${d.id}`);
    expect(now.body.model).toBe(winner.body.model);
    expect(now.headers.get('etag')).toBe('"2"');
  });

  it('keeps both changes of concurrent unconditional property patches', async () => {
    const d = await create();
    const patch = (key: string) => call('PATCH', `/devices/${d.id}`, { body: { properties: { [key]: true } } });
    const results = await Promise.all([patch('one'), patch('two')]);
    expect(results.map((r) => r.status)).toEqual([200, 200]);
    expect((await call('GET', `/devices/${d.id}`)).body.properties).toEqual({ one: true, two: true });
  });
});

describe('DELETE /devices/{id} and restore', () => {
  it('soft-deletes: hidden from reads, listed with include_deleted, restorable', async () => {
    const parent = await create({ deviceType: 'Chassis', manufacturer: 'GoneCo' });
    const d = await create({ manufacturer: 'GoneCo', parentID: parent.id });
    const res = await call('DELETE', `/devices/${d.id}`, { headers: { 'if-match': '"1"' } });
    expect(res.status).toBe(204);
    expectProblem(await call('GET', `/devices/${d.id}`), 404, 'id');
    expect((await call('GET', `/devices/${parent.id}`)).body.childrenDeviceIds).toEqual([]);
    expect((await call('GET', '/devices?manufacturer=GoneCo')).body.total).toBe(1);
    const withDeleted = await call('GET', '/devices?manufacturer=GoneCo&include_deleted=true');
    expect(withDeleted.body.total).toBe(2);
    expect(withDeleted.body.items.find((i: { id: string }) => i.id === d.id).deletedAt).toEqual(expect.any(String));
    const one = await call('GET', `/devices/${d.id}?include_deleted=true`);
    expect(one.status).toBe(200);
    expect(one.body.deletedAt).not.toBeNull();
    expectProblem(await call('DELETE', `/devices/${d.id}`), 404, 'id');
    expectProblem(await call('PATCH', `/devices/${d.id}`, { body: { model: 'x' } }), 404, 'id');

    const restored = await call('POST', `/devices/${d.id}/restore`);
    expect(restored.status).toBe(200);
    expect(restored.body.deletedAt).toBeNull();
    expect(restored.headers.get('etag')).toBe('"3"');
    expect((await call('GET', `/devices/${parent.id}`)).body.childrenDeviceIds).toEqual([d.id]);
  });

  it('answers precise errors', async () => {
    const parent = await create({ deviceType: 'Chassis' });
    const child = await create({ parentID: parent.id });
    expectProblem(await call('DELETE', `/devices/${parent.id}`), 409, 'id');
    expectProblem(await call('DELETE', `/devices/${child.id}`, { headers: { 'if-match': '"5"' } }), 412, 'If-Match');
    expect((await call('GET', `/devices/${child.id}`)).status).toBe(200);
    expectProblem(await call('DELETE', '/devices/00000000-0000-0000-0000-000000000000'), 404, 'id');
    expectProblem(await call('POST', '/devices/00000000-0000-0000-0000-000000000000/restore'), 404, 'id');
    // A device whose parent is gone cannot come back until the parent does.
    expect((await call('DELETE', `/devices/${child.id}`)).status).toBe(204);
    expect((await call('DELETE', `/devices/${parent.id}`)).status).toBe(204);
    expectProblem(await call('POST', `/devices/${child.id}/restore`), 422, 'parentID');
  });
});

describe('one store with GraphQL', () => {
  it('shows a device created here in GraphQL, and one created in GraphQL here', async () => {
    const d = await create({ model: 'XL225n', properties: { bios_vendor: 'AMI' } });
    const viaGql = await gw.gql(`query($id: ID!) { device(id: $id) { uuid deviceType serialNumber model properties revision } }`, {
      id: d.id,
    });
    expect(viaGql.errors).toBeUndefined();
    expect(viaGql.data.device).toEqual({
      uuid: d.id,
      deviceType: 'Node',
      serialNumber: d.serialNumber,
      model: 'XL225n',
      properties: { bios_vendor: 'AMI' },
      revision: 1,
    });

    const created = await gw.gql(`mutation($input: DeviceCreateInput!) { createDevice(input: $input) { uuid } }`, {
      input: { deviceType: 'GPU', manufacturer: 'GqlCo', serialNumber: 'GPU-1', parentId: d.id, properties: { slot: 3 } },
    });
    expect(created.errors).toBeUndefined();
    const gpu = await call('GET', `/devices/${created.data.createDevice.uuid}`);
    expect(gpu.body).toMatchObject({
      deviceType: 'GPU',
      manufacturer: 'GqlCo',
      serialNumber: 'GPU-1',
      parentID: d.id,
      properties: { slot: 3 },
    });
    expect((await call('GET', `/devices/${d.id}`)).body.childrenDeviceIds).toEqual([gpu.body.id]);
  });

  it('records writes with source "rfd"', async () => {
    const d = await create();
    const history = await gw.gql(`query($id: ID!) { device(id: $id) { history { action source } } }`, { id: d.id });
    expect(history.data.device.history).toEqual([{ action: 'created', source: 'rfd' }]);
  });
});

describe('/openapi.json', () => {
  it('describes every route the inventory/v1 router registers', async () => {
    const doc = (await gw.rest('GET', '/openapi.json')).body;
    const routes = createInventoryV1Router().routes();
    expect(routes.length).toBe(6);
    const missing = routes
      .filter((r) => !doc.paths[openApiPath(r.pattern)]?.[r.method.toLowerCase()]?.responses)
      .map((r) => `${r.method} ${r.pattern}`);
    expect(missing).toEqual([]);
    expect(doc.paths[`${BASE}/devices/{id}`].patch.responses['412']).toBeDefined();
    expect(doc.components.schemas.InventoryDevice).toBeDefined();
  });
});

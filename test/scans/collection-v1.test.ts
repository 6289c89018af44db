import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDevice, updateDevice } from '../../src/services/inventory/device.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { expectProblem } from '../support/problem.js';
import { createNodeWithDimms, replacedDimmAndNewGpu } from '../support/scan-fixture.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
});
afterAll(() => gw.close());

const BASE = '/apis/collection/v1';

async function scan(payload: unknown): Promise<string> {
  const reply = await gw.rest('POST', `${BASE}/scans`, payload);
  expect(reply.status, reply.text).toBe(201);
  expect(reply.body).toMatchObject({
    done: true,
    metadata: { '@type': 'type.googleapis.com/openchami.collection.v1.ScanMetadata', progressPercent: 100 },
  });
  const scanId = reply.body.result.response.scanId as string;
  expect(reply.body.name).toBe(`operations/scan-${scanId}`);
  return scanId;
}

async function diffOf(scanId: string) {
  const reply = await gw.rest('GET', `${BASE}/scans/${scanId}/diff`);
  expect(reply.status, reply.text).toBe(200);
  return reply.body;
}

async function liveChildren(parentId: string) {
  const children = await gw.db.prisma.device.findMany({ where: { parentId, deletedAt: null } });
  return children.map((d) => `${d.deviceType}:${d.serialNumber}`).sort();
}

describe('Collection API scan life cycle', () => {
  it('proposes the replaced DIMM and new GPU, applies them once, then proposes nothing', async () => {
    const { node, dimms } = await createNodeWithDimms(gw.service, 'LC');
    const payload = replacedDimmAndNewGpu('LC');

    const scanId = await scan(payload);
    const diff = await diffOf(scanId);
    expect(diff.status).toBe('proposed');
    expect(diff.updates).toEqual([]);
    expect(diff.moves).toEqual([]);
    expect(diff.creates.map((c: any) => [c.deviceType, c.serialNumber, c.parent])).toEqual([
      ['Memory', 'LC-DIMM-NEW', { deviceId: node.id, serialNumber: 'LC-NODE', deviceType: 'Node' }],
      ['GPU', 'LC-GPU-0', { deviceId: node.id, serialNumber: 'LC-NODE', deviceType: 'Node' }],
    ]);
    expect(diff.removals).toEqual([
      {
        deviceId: dimms[2].id,
        revision: dimms[2].revision,
        serialNumber: 'LC-DIMM-2',
        deviceType: 'Memory',
        parent: { deviceId: node.id, serialNumber: 'LC-NODE', deviceType: 'Node' },
      },
    ]);

    const approved = await gw.rest('POST', `${BASE}/scans/${scanId}/approve`);
    expect(approved.status, approved.text).toBe(200);
    expect(approved.body).toMatchObject({
      name: `operations/approve-${scanId}`,
      done: true,
      result: { response: { scanId, created: 2, updated: 0, moved: 0, removed: 1 } },
    });
    expect(await liveChildren(node.id)).toEqual([
      'GPU:LC-GPU-0',
      'Memory:LC-DIMM-0',
      'Memory:LC-DIMM-1',
      'Memory:LC-DIMM-3',
      'Memory:LC-DIMM-NEW',
    ]);
    expect((await diffOf(scanId)).status).toBe('applied');
    const events = await gw.db.prisma.changeEvent.findMany({ where: { source: 'scan', entityType: 'Device' } });
    expect(events.map((e) => e.action).sort()).toEqual(['created', 'created', 'deleted']);

    expectProblem(await gw.rest('POST', `${BASE}/scans/${scanId}/approve`), 409);

    const rescanId = await scan(payload.rawData);
    expect(await diffOf(rescanId)).toMatchObject({ creates: [], updates: [], moves: [], removals: [] });
    const before = await gw.db.prisma.changeEvent.count({ where: { entityType: 'Device' } });
    const reapplied = await gw.rest('POST', `${BASE}/scans/${rescanId}/approve`);
    expect(reapplied.body.result.response).toMatchObject({ created: 0, updated: 0, moved: 0, removed: 0 });
    expect(await gw.db.prisma.changeEvent.count({ where: { entityType: 'Device' } })).toBe(before);
  });

  it('proposes field changes and moves of matched devices, merging properties key by key', async () => {
    const { node, dimms } = await createNodeWithDimms(gw.service, 'MV');
    const { node: other } = await createNodeWithDimms(gw.service, 'MV2');
    const scanId = await scan([
      {
        deviceType: 'Memory',
        manufacturer: 'Micron',
        serialNumber: 'MV-DIMM-0',
        partNumber: 'MTA72',
        parentSerialNumber: 'MV2-NODE',
        properties: { speed_mhz: 4800 },
      },
    ]);
    const diff = await diffOf(scanId);
    expect(diff.creates).toEqual([]);
    expect(diff.removals).toEqual([]);
    expect(diff.updates).toEqual([
      expect.objectContaining({
        deviceId: dimms[0].id,
        changes: [
          { field: 'partNumber', from: 'MTA36', to: 'MTA72' },
          { field: 'properties.speed_mhz', from: null, to: 4800 },
        ],
      }),
    ]);
    expect(diff.moves).toEqual([
      expect.objectContaining({
        deviceId: dimms[0].id,
        from: expect.objectContaining({ deviceId: node.id }),
        to: expect.objectContaining({ deviceId: other.id }),
      }),
    ]);
    expect((await gw.rest('POST', `${BASE}/scans/${scanId}/approve`)).status).toBe(200);
    const moved = await gw.db.prisma.device.findUniqueOrThrow({ where: { id: dimms[0].id } });
    expect(moved).toMatchObject({ parentId: other.id, partNumber: 'MTA72', revision: dimms[0].revision + 1 });
    expect(moved.properties).toEqual({
      redfish_uri: '/redfish/v1/Systems/n0/Memory/0',
      redfish_parent_uri: '/redfish/v1/Systems/n0',
      speed_mhz: 4800,
    });
  });

  it('creates a new subtree parents first and skips a parent cycle', async () => {
    const scanId = await scan([
      { deviceType: 'Memory', serialNumber: 'NT-DIMM', parentSerialNumber: 'NT-NODE' },
      { deviceType: 'Node', serialNumber: 'NT-NODE', parentSerialNumber: 'NT-DIMM' },
    ]);
    const diff = await diffOf(scanId);
    expect(diff.creates.map((c: any) => [c.serialNumber, c.parent?.ref ?? null])).toEqual([
      ['NT-DIMM', 1],
      ['NT-NODE', null],
    ]);
    expect((await gw.rest('POST', `${BASE}/scans/${scanId}/approve`)).status).toBe(200);
    const nodeRow = await gw.db.prisma.device.findFirstOrThrow({ where: { serialNumber: 'NT-NODE', deletedAt: null } });
    expect(await liveChildren(nodeRow.id)).toEqual(['Memory:NT-DIMM']);
  });

  it('matches by Redfish URI when a serial is missing, never across two serials', async () => {
    const bmc = await createDevice(gw.service, { deviceType: 'BMC', externalIds: { redfish: '/redfish/v1/Managers/URI1' } });
    const scanId = await scan([
      { deviceType: 'BMC', serialNumber: 'URI-BMC', properties: { redfish_uri: '/redfish/v1/Managers/URI1' } },
      { deviceType: 'Memory', serialNumber: 'URI-DIMM-NEW', properties: { redfish_uri: '/redfish/v1/Systems/n0/Memory/0' } },
    ]);
    const diff = await diffOf(scanId);
    expect(diff.updates).toEqual([
      expect.objectContaining({
        deviceId: bmc.id,
        changes: expect.arrayContaining([{ field: 'serialNumber', from: null, to: 'URI-BMC' }]),
      }),
    ]);
    expect(diff.creates.map((c: any) => c.serialNumber)).toEqual(['URI-DIMM-NEW']);
  });

  it('refuses an approval when a device changed since the scan', async () => {
    const { dimms } = await createNodeWithDimms(gw.service, 'RV');
    const scanId = await scan([{ deviceType: 'Memory', serialNumber: 'RV-DIMM-1', partNumber: 'X1' }]);
    await updateDevice(gw.service, dimms[1].id, { description: 'changed by hand after the scan' });
    const reply = await gw.rest('POST', `${BASE}/scans/${scanId}/approve`);
    expect(reply.status).toBe(409);
    expect((await diffOf(scanId)).status).toBe('proposed');
  });
});

describe('Collection API errors', () => {
  it.each([
    ['not JSON', '{', 400, 'body'],
    ['no rawData', { items: [] }, 422, 'rawData'],
    ['a missing deviceType', { rawData: [{ deviceType: 'Node' }, {}, {}, { serialNumber: 'x' }] }, 422, 'rawData.1.deviceType'],
    ['a bad property key', [{ deviceType: 'Node', properties: { RedfishURI: '/x' } }], 422, 'rawData.0.properties.RedfishURI'],
    ['a non-string serial', [{ deviceType: 'Node', serialNumber: 7 }], 422, 'rawData.0.serialNumber'],
    [
      'a serial given twice',
      [
        { deviceType: 'Node', serialNumber: 'S' },
        { deviceType: 'Node', serialNumber: 'S' },
      ],
      409,
      'rawData.1.serialNumber',
    ],
  ])('answers %s with problem+json naming the field', async (_label, payload, status, field) => {
    const reply = await gw.rest('POST', `${BASE}/scans`, payload);
    expectProblem(reply, status, field);
    if (status === 422) expect(reply.body.detail).toContain(field);
  });

  it('answers unknown scans, operations and paths with 404', async () => {
    for (const path of ['/scans/nope/diff', '/operations/scan-nope', '/operations/operations/scan-nope', '/nothing']) {
      expectProblem(await gw.rest('GET', `${BASE}${path}`), 404);
    }
    expect((await gw.rest('POST', `${BASE}/scans/nope/approve`)).status).toBe(404);
    expect((await gw.rest('DELETE', `${BASE}/scans`)).status).toBe(405);
  });

  it('serves operations by name with or without the operations/ prefix', async () => {
    const reply = await gw.rest('POST', `${BASE}/scans`, [{ deviceType: 'Switch', serialNumber: 'OP-1' }]);
    const name = reply.body.name as string;
    for (const id of [name, name.slice('operations/'.length)]) {
      const got = await gw.rest('GET', `${BASE}/operations/${id}`);
      expect(got.status).toBe(200);
      expect(got.body).toEqual(reply.body);
    }
  });
});

// RFD 112's three APIs together, over real HTTP against the real app: a node with four DIMMs
// is created through /apis/inventory/v1; a fru-tracker scan finds DIMM slot 2 replaced and a
// new GPU; the scan's diff says exactly that; approval applies it; the node's history, the
// diff of snapshots taken before and after, and GraphQL's history, inventoryDiff and
// devicesAsOf all tell the same story, and the old tree can still be read. Then concurrent
// conditional PATCHes of the node: exactly one wins.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { type RunningServer, serveOnLoopback } from '../support/http-server.js';
import { replacedDimmAndNewGpu } from '../support/scan-fixture.js';

const INVENTORY = '/apis/inventory/v1';
const HISTORY = '/apis/history/v1';
const COLLECTION = '/apis/collection/v1';
const PREFIX = 'LIFE';

let gw: TestGateway;
let server: RunningServer;

interface Reply {
  status: number;
  headers: Headers;
  body: any;
}

async function http(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

async function expectOk(method: string, path: string, body?: unknown, status = 200): Promise<any> {
  const reply = await http(method, path, body);
  expect(reply.status, `${method} ${path}: ${JSON.stringify(reply.body)}`).toBe(status);
  return reply.body;
}

async function gql(query: string, variables: Record<string, unknown> = {}): Promise<any> {
  const reply = await http('POST', '/graphql', { query, variables });
  expect(reply.body.errors, JSON.stringify(reply.body.errors)).toBeUndefined();
  return reply.body.data;
}

/** What the scan reports, and the hardware as it was before: DIMM slot 2 held LIFE-DIMM-2 and there was no GPU. */
const scan = replacedDimmAndNewGpu(PREFIX);
const [nodeItem, ...frus] = scan.rawData;
const NEW_DIMM = `${PREFIX}-DIMM-NEW`;
const OLD_DIMM = `${PREFIX}-DIMM-2`;
const GPU = `${PREFIX}-GPU-0`;
const originalDimms = frus
  .filter((item) => item.deviceType === 'Memory')
  .map((item) => (item.serialNumber === NEW_DIMM ? { ...item, serialNumber: OLD_DIMM } : item));

const ids: Record<string, string> = {};
let before: { id: string; seq: number };
let after: { id: string; seq: number };
let beforeTime: string;
let scanDiff: any;

const sortedSerials = (devices: Array<{ serialNumber: string | null }>) => devices.map((d) => d.serialNumber).sort();

beforeAll(async () => {
  gw = await startTestGateway();
  server = await serveOnLoopback(gw.app);
}, 60_000);
afterAll(async () => {
  await server?.close();
  await gw?.close();
});

describe('a node through create, scan, approval and history', () => {
  it('creates the node and its DIMMs through the inventory API, then snapshots', async () => {
    ids.node = (await expectOk('POST', `${INVENTORY}/devices`, nodeItem, 201)).id;
    for (const { deviceType, manufacturer, partNumber, serialNumber, properties } of originalDimms) {
      const body = { deviceType, manufacturer, partNumber, serialNumber, properties, parentID: ids.node };
      ids[serialNumber] = (await expectOk('POST', `${INVENTORY}/devices`, body, 201)).id;
    }
    const node = await expectOk('GET', `${INVENTORY}/devices/${ids.node}`);
    expect(node.childrenDeviceIds.sort()).toEqual(originalDimms.map((d) => ids[d.serialNumber]).sort());

    before = await expectOk('POST', `${HISTORY}/snapshots`, { name: 'before the scan' }, 201);
    beforeTime = new Date().toISOString();
    // The scan's events must fall after beforeTime, which has millisecond precision.
    await new Promise((resolve) => setTimeout(resolve, 5));
  });

  it('scans: the diff is exactly one replaced DIMM and one new GPU', async () => {
    const operation = await expectOk('POST', `${COLLECTION}/scans`, scan, 201);
    expect(operation).toMatchObject({ done: true, result: { response: { scanId: expect.any(String) } } });
    scanDiff = await expectOk('GET', `${COLLECTION}/scans/${operation.result.response.scanId}/diff`);
    expect(scanDiff).toMatchObject({ status: 'proposed', updates: [], moves: [] });

    const nodeRef = { deviceId: ids.node, serialNumber: `${PREFIX}-NODE`, deviceType: 'Node' };
    const slot2 = frus.find((item) => item.serialNumber === NEW_DIMM)?.properties;
    expect(scanDiff.creates).toEqual([
      expect.objectContaining({ deviceType: 'Memory', serialNumber: NEW_DIMM, parent: nodeRef, properties: slot2 }),
      expect.objectContaining({ deviceType: 'GPU', serialNumber: GPU, parent: nodeRef }),
    ]);
    expect(scanDiff.removals).toEqual([
      { deviceId: ids[OLD_DIMM], revision: 1, serialNumber: OLD_DIMM, deviceType: 'Memory', parent: nodeRef },
    ]);

    const approved = await expectOk('POST', `${COLLECTION}/scans/${scanDiff.scanId}/approve`);
    expect(approved.result.response).toEqual({ scanId: scanDiff.scanId, created: 2, updated: 0, moved: 0, removed: 1 });
    expect((await expectOk('GET', `${COLLECTION}/scans/${scanDiff.scanId}/diff`)).status).toBe('applied');

    const live = await expectOk('GET', `${INVENTORY}/devices?parentID=${ids.node}`);
    expect(sortedSerials(live.items)).toEqual([`${PREFIX}-DIMM-0`, `${PREFIX}-DIMM-1`, `${PREFIX}-DIMM-3`, NEW_DIMM, GPU].sort());
    for (const device of live.items) ids[device.serialNumber] = device.id;
    expect((await http('GET', `${INVENTORY}/devices/${ids[OLD_DIMM]}`)).status).toBe(404);
  });

  it("shows both changes in the node's history; the node's own events stay its own", async () => {
    const own = await expectOk('GET', `${HISTORY}/events?subject=${ids.node}`);
    expect(own.items.map((e: any) => [e.type, e.subject])).toEqual([['org.openchami.inventory.device.created', ids.node]]);

    const treeReply = await http('GET', `${HISTORY}/events?subject=${ids.node}&subtree=true`);
    // The subtree's ids, then its events.
    expect(Number(treeReply.headers.get('x-sql-statements'))).toBe(2);
    const tree = treeReply.body;
    const byScan = tree.items.filter((e: any) => e.source === '/inventory-gateway/scan');
    expect(byScan.map((e: any) => [e.type, e.subject, (e.data.after ?? e.data.before).serialNumber])).toEqual([
      ['org.openchami.inventory.device.created', ids[NEW_DIMM], NEW_DIMM],
      ['org.openchami.inventory.device.created', ids[GPU], GPU],
      ['org.openchami.inventory.device.deleted', ids[OLD_DIMM], OLD_DIMM],
    ]);
    expect(byScan.every((e: any) => (e.data.after ?? e.data.before).parentId === ids.node)).toBe(true);
    // Before the scan: the node and its four DIMMs being created through the inventory API.
    expect(tree.items.filter((e: any) => e.source === '/inventory-gateway/rfd')).toHaveLength(5);

    expect((await http('GET', `${HISTORY}/events?subtree=true`)).status).toBe(400);
    expect((await http('GET', `${HISTORY}/events?subject=${ids.node}&subtree=yes`)).body).toMatchObject({ status: 400, field: 'subtree' });
  });

  it('diffs the snapshots before and after the same way the scan did', async () => {
    after = await expectOk('POST', `${HISTORY}/snapshots`, { name: 'after the scan' }, 201);
    const diffReply = await http('GET', `${HISTORY}/snapshots/diff?from=${before.id}&to=${after.id}`);
    // Two snapshot rows, then the states of only the devices with events in between.
    expect(Number(diffReply.headers.get('x-sql-statements'))).toBe(3);
    const diff = diffReply.body;
    expect(sortedSerials(diff.added)).toEqual(sortedSerials(scanDiff.creates));
    expect(diff.added.every((d: any) => d.parentId === ids.node)).toBe(true);
    expect(diff.removed.map((d: any) => d.id)).toEqual(scanDiff.removals.map((r: any) => r.deviceId));
    expect(diff.changed).toEqual([]);

    const old = await expectOk('GET', `${HISTORY}/snapshots/${before.id}`);
    expect(sortedSerials(old.devices)).toEqual([`${PREFIX}-NODE`, ...originalDimms.map((d) => d.serialNumber)].sort());
  });

  it('answers the same in GraphQL: device history, inventoryDiff and the tree as of before', async () => {
    const data = await gql(
      `query($gpu: ID!, $old: ID!, $from: String!, $to: String!, $then: DateTime!) {
        gpu: device(id: $gpu) { serialNumber parent { uuid } history { action source } }
        old: device(id: $old) { deletedAt history { action source } }
        inventoryDiff(from: $from, to: $to) { added removed changed { id } }
        devicesAsOf(time: $then)
      }`,
      // biome-ignore lint/suspicious/noThenProperty: a GraphQL variable named $then, not a thenable
      { gpu: ids[GPU], old: ids[OLD_DIMM], from: before.id, to: after.id, then: beforeTime },
    );
    expect(data.gpu).toEqual({ serialNumber: GPU, parent: { uuid: ids.node }, history: [{ action: 'created', source: 'scan' }] });
    expect(data.old.deletedAt).not.toBeNull();
    expect(data.old.history).toEqual([
      { action: 'deleted', source: 'scan' },
      { action: 'created', source: 'rfd' },
    ]);
    expect(sortedSerials(data.inventoryDiff.added)).toEqual([GPU, NEW_DIMM].sort());
    expect(data.inventoryDiff.removed.map((d: any) => d.serialNumber)).toEqual([OLD_DIMM]);
    expect(data.inventoryDiff.changed).toEqual([]);

    // The old tree: the node with its four original DIMMs, no GPU.
    const then = data.devicesAsOf as Array<{ id: string; parentId: string | null; serialNumber: string }>;
    expect(then.find((d) => d.id === ids.node)?.parentId).toBeNull();
    const children = then.filter((d) => d.parentId === ids.node);
    expect(sortedSerials(children)).toEqual(originalDimms.map((d) => d.serialNumber).sort());
    expect(then).toHaveLength(5);
  });
});

describe('approving a large scan', () => {
  /** `nodes` new nodes with two DIMMs each: approve and return its SQL statement count (≥ 64 nodes: the bulk path on both levels). */
  async function approveNewNodes(prefix: string, nodes: number): Promise<number> {
    const rawData = Array.from({ length: nodes }, (_, n) => [
      { deviceType: 'Node', manufacturer: 'HPE', serialNumber: `${prefix}-N${n}` },
      ...[0, 1].map((d) => ({
        deviceType: 'Memory',
        manufacturer: 'Micron',
        serialNumber: `${prefix}-N${n}-D${d}`,
        parentSerialNumber: `${prefix}-N${n}`,
      })),
    ]).flat();
    const scanId = (await expectOk('POST', `${COLLECTION}/scans`, { rawData }, 201)).result.response.scanId;
    const approved = await http('POST', `${COLLECTION}/scans/${scanId}/approve`);
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    expect(approved.body.result.response.created).toBe(nodes * 3);
    const live = await expectOk('GET', `${INVENTORY}/devices?serialNumber=${prefix}-N${nodes - 1}`);
    expect((await expectOk('GET', `${INVENTORY}/devices/${live.items[0].id}`)).childrenDeviceIds).toHaveLength(2);
    return Number(approved.headers.get('x-sql-statements'));
  }

  it('creates the new devices in as many statements for 210 as for 840', async () => {
    const small = await approveNewNodes('BULK-S', 70);
    const large = await approveNewNodes('BULK-L', 280);
    expect(large).toBe(small);
    expect(small).toBeLessThan(30);
  });

  it('refuses a new device whose serial was taken since the scan, changing nothing', async () => {
    const rawData = [{ deviceType: 'GPU', manufacturer: 'NVIDIA', serialNumber: 'RACE-GPU', parentSerialNumber: `${PREFIX}-NODE` }];
    const scanId = (await expectOk('POST', `${COLLECTION}/scans`, { rawData }, 201)).result.response.scanId;
    await expectOk('POST', `${INVENTORY}/devices`, { deviceType: 'GPU', manufacturer: 'NVIDIA', serialNumber: 'RACE-GPU' }, 201);
    const refused = await http('POST', `${COLLECTION}/scans/${scanId}/approve`);
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ field: 'manufacturer.serialNumber' });
    expect((await expectOk('GET', `${COLLECTION}/scans/${scanId}/diff`)).status).toBe('proposed');
    expect((await expectOk('GET', `${INVENTORY}/devices?serialNumber=RACE-GPU`)).items).toHaveLength(1);
  });
});

describe('concurrent conditional PATCHes', () => {
  it('lets exactly one of eight PATCHes with the same If-Match win; the others get 412', async () => {
    const current = await http('GET', `${INVENTORY}/devices/${ids.node}`);
    const etag = current.headers.get('etag') as string;
    expect(etag).toMatch(/^"\d+"$/);
    const patch = (i: number) =>
      http(
        'PATCH',
        `${INVENTORY}/devices/${ids.node}`,
        { model: `writer ${i}` },
        { 'content-type': 'application/merge-patch+json', 'if-match': etag },
      );
    const replies = await Promise.all(Array.from({ length: 8 }, (_, i) => patch(i)));
    const statuses = replies.map((r) => r.status).sort();
    expect(statuses, JSON.stringify(replies.map((r) => r.body))).toEqual([200, 412, 412, 412, 412, 412, 412, 412]);
    for (const loser of replies.filter((r) => r.status === 412)) {
      expect(loser.headers.get('content-type')).toBe('application/problem+json');
      expect(loser.body).toMatchObject({ status: 412 });
    }
    const winner = replies.find((r) => r.status === 200) as Reply;
    const now = await http('GET', `${INVENTORY}/devices/${ids.node}`);
    expect(now.body.model).toBe(winner.body.model);
    expect(now.headers.get('etag')).toBe(`"${Number(etag.slice(1, -1)) + 1}"`);
    const updates = await expectOk('GET', `${HISTORY}/events?subject=${ids.node}&type=org.openchami.inventory.device.updated`);
    expect(updates.items.map((e: any) => e.data.after.model)).toEqual([winner.body.model]);
  });
});

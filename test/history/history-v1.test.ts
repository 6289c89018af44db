// The History API (/apis/history/v1 and its GraphQL fields): a node's DIMMs replaced, a GPU
// added and a DIMM moved between two snapshots; the diff, the old tree, the node's events as
// CloudEvents, and retention that prunes old events but keeps a pinned snapshot rebuildable.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDevice, deleteDevice, moveDevice, updateDevice } from '../../src/services/inventory/device.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { expectError } from '../support/graphql-errors.js';
import { expectProblem } from '../support/problem.js';

const API = '/apis/history/v1';
let gw: TestGateway;
const ids: Record<string, string> = {};
let snapshotA: any;
let snapshotB: any;
let treeA: any;

const byId = (devices: Array<{ id: string }>) => devices.map((d) => d.id).sort();
const sorted = (...names: string[]) => names.map((n) => ids[n]).sort();
const maxSeq = async () => (await gw.db.prisma.changeEvent.aggregate({ _max: { seq: true } }))._max.seq;

beforeAll(async () => {
  gw = await startTestGateway();
  const device = async (name: string, deviceType: string, parent?: string) => {
    ids[name] = (await createDevice(gw.service, { name, deviceType, parentId: parent ? ids[parent] : undefined })).id;
  };
  await device('node1', 'node');
  await device('node2', 'node');
  await device('dimm0', 'dimm', 'node1');
  await device('dimm1', 'dimm', 'node1');

  const seq = await maxSeq();
  const a = await gw.rest('POST', `${API}/snapshots`, { name: 'A', description: 'before the repair' });
  expect(a.status).toBe(201);
  snapshotA = a.body;
  // The snapshot's own "created" event comes after the seq it names.
  expect(snapshotA).toMatchObject({ name: 'A', description: 'before the repair', seq, pinned: false });

  await deleteDevice(gw.service, ids.dimm1);
  await device('dimm2', 'dimm', 'node1');
  await device('gpu0', 'gpu', 'node1');
  await moveDevice(gw.service, ids.dimm0, { parentId: ids.node2 });

  snapshotB = (await gw.rest('POST', `${API}/snapshots`, { name: 'B' })).body;
}, 60_000);
afterAll(() => gw?.close());

const EXPECTED_CHANGES = () => ({
  added: [expect.objectContaining({ id: expect.any(String) }), expect.objectContaining({ id: expect.any(String) })],
  removed: [expect.objectContaining({ id: ids.dimm1, name: 'dimm1' })],
  changed: [{ id: ids.dimm0, changes: [{ field: 'parentId', from: ids.node1, to: ids.node2 }] }],
});

describe('snapshots and diffs', () => {
  it('lists the snapshots oldest first', async () => {
    const list = await gw.rest('GET', `${API}/snapshots`);
    expect(list.body.items.map((s: any) => s.name)).toEqual(['A', 'B']);
  });

  it('diffs A..B: the new DIMM and GPU, the removed DIMM, the moved DIMM', async () => {
    const diff = await gw.rest('GET', `${API}/snapshots/diff?from=${snapshotA.id}&to=${snapshotB.id}`);
    expect(diff.status).toBe(200);
    expect(diff.body).toMatchObject(EXPECTED_CHANGES());
    expect(byId(diff.body.added)).toEqual(sorted('dimm2', 'gpu0'));
    expect(diff.body.from).toMatchObject({ seq: snapshotA.seq, snapshot: { id: snapshotA.id } });
  });

  it('diffs against a time: A..now is A..B, and the empty past..B adds every device', async () => {
    const now = new Date().toISOString();
    const toNow = await gw.rest('GET', `${API}/snapshots/diff?from=${snapshotA.id}&to=${now}`);
    expect(toNow.body).toMatchObject(EXPECTED_CHANGES());
    expect(toNow.body.to).toMatchObject({ seq: await maxSeq(), snapshot: null, time: now });
    const fromPast = await gw.rest('GET', `${API}/snapshots/diff?from=2000-01-01T00:00:00Z&to=${snapshotB.id}`);
    expect(byId(fromPast.body.added)).toEqual(sorted('node1', 'node2', 'dimm0', 'dimm2', 'gpu0'));
    expect(fromPast.body).toMatchObject({ removed: [], changed: [] });
  });

  it('GET /snapshots/{id} rebuilds the old tree from the log', async () => {
    const a = await gw.rest('GET', `${API}/snapshots/${snapshotA.id}`);
    expect(a.status).toBe(200);
    expect(a.body.snapshot).toEqual(snapshotA);
    expect(byId(a.body.devices)).toEqual(sorted('node1', 'node2', 'dimm0', 'dimm1'));
    const parents = Object.fromEntries(a.body.devices.map((d: any) => [d.name, d.parentId]));
    expect(parents).toEqual({ node1: null, node2: null, dimm0: ids.node1, dimm1: ids.node1 });
    treeA = a.body;
    // The snapshot row, then one statement for every device's latest event.
    expect(Number(a.headers.get('x-sql-statements'))).toBe(2);
    const b = await gw.rest('GET', `${API}/snapshots/${snapshotB.id}`);
    expect(byId(b.body.devices)).toEqual(sorted('node1', 'node2', 'dimm0', 'dimm2', 'gpu0'));
  });

  it('answers the same in GraphQL: snapshots, inventoryDiff and devicesAsOf', async () => {
    const result = await gw.gql(
      `query($a: String!, $b: String!, $now: DateTime!) {
        snapshots { id name seq pinned }
        inventoryDiff(from: $a, to: $b) { from { seq snapshot { name } time } added removed changed { id changes { field from to } } }
        devicesAsOf(time: $now)
      }`,
      { a: snapshotA.id, b: snapshotB.id, now: new Date().toISOString() },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data.snapshots.map((s: any) => s.name)).toEqual(['A', 'B']);
    expect(result.data.inventoryDiff).toMatchObject({
      from: { seq: snapshotA.seq, snapshot: { name: 'A' }, time: null },
      ...EXPECTED_CHANGES(),
    });
    expect(byId(result.data.devicesAsOf)).toEqual(sorted('node1', 'node2', 'dimm0', 'dimm2', 'gpu0'));
    const past = await gw.gql('{ devicesAsOf(time: "2000-01-01T00:00:00Z") }');
    expect(past.data.devicesAsOf).toEqual([]);
  });
});

describe('GET /events', () => {
  beforeAll(async () => {
    await updateDevice(gw.service, ids.node1, { description: 'first' });
    await updateDevice(gw.service, ids.node1, { description: 'second' });
  });

  it("lists one device's events oldest first as CloudEvents 1.0", async () => {
    const events = await gw.rest('GET', `${API}/events?subject=${ids.node1}`);
    expect(events.status).toBe(200);
    expect(events.body.next).toBeNull();
    expect(events.body.items.map((e: any) => e.type)).toEqual([
      'org.openchami.inventory.device.created',
      'org.openchami.inventory.device.updated',
      'org.openchami.inventory.device.updated',
    ]);
    const [created, update] = events.body.items;
    expect(created).toEqual({
      specversion: '1.0',
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      source: '/inventory-gateway/system',
      type: 'org.openchami.inventory.device.created',
      subject: ids.node1,
      time: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
      datacontenttype: 'application/json',
      data: { before: null, after: expect.objectContaining({ id: ids.node1, name: 'node1' }), actor: 'test', requestId: null },
    });
    expect(update.data).toMatchObject({ before: { description: null }, after: { description: 'first' } });
  });

  it('filters by type, time and pages by seq', async () => {
    const moved = await gw.rest('GET', `${API}/events?type=org.openchami.inventory.device.moved`);
    expect(moved.body.items.map((e: any) => e.subject)).toEqual([ids.dimm0]);
    const snapshots = await gw.rest('GET', `${API}/events?type=org.openchami.inventory.snapshot`);
    expect(snapshots.body.items.map((e: any) => e.data.after.name)).toEqual(['A', 'B']);
    const future = await gw.rest('GET', `${API}/events?since=2100-01-01T00:00:00Z`);
    expect(future.body).toEqual({ items: [], next: null });
    const past = await gw.rest('GET', `${API}/events?until=2000-01-01T00:00:00%2B02:00`);
    expect(past.body.items).toEqual([]);

    const first = await gw.rest('GET', `${API}/events?subject=${ids.node1}&limit=2`);
    expect(first.body.items).toHaveLength(2);
    expect(first.body.next).toEqual(expect.any(Number));
    const rest = await gw.rest('GET', `${API}/events?subject=${ids.node1}&limit=2&after=${first.body.next}`);
    expect(rest.body.items.map((e: any) => e.data.after.description)).toEqual(['second']);
    expect(rest.body.next).toBeNull();
  });

  it.each([
    ['since', 'since=yesterday'],
    ['until', 'until=2026-02-30T00:00:00'],
    ['type', 'type=device.created'],
    ['type', 'type=org.openchami.inventory.gizmo.created'],
    ['limit', 'limit=0'],
    ['limit', 'limit=5000'],
    ['after', 'after=-1'],
  ])('refuses a bad %s with a 400 naming it (%s)', async (field, query) => {
    const reply = await gw.rest('GET', `${API}/events?${query}`);
    expectProblem(reply, 400, field);
    expect(reply.body.detail).toContain(field);
  });
});

describe('retention', () => {
  it('starts with no limits and validates a new policy field by field', async () => {
    expect((await gw.rest('GET', `${API}/policy`)).body).toEqual({ maxAgeDays: null, maxEvents: null, updatedAt: null });
    for (const [body, field] of [
      [{ maxAgeDays: 0 }, 'maxAgeDays'],
      [{ maxEvents: 'ten' }, 'maxEvents'],
      [{ maxEvents: 1.5 }, 'maxEvents'],
      [{ keepForever: true }, 'keepForever'],
      [[1], 'body'],
      ['{not json', 'body'],
    ] as const) {
      expectProblem(await gw.rest('PUT', `${API}/policy`, body), 400, field);
    }
  });

  it('applying a policy with no limits prunes nothing', async () => {
    const applied = await gw.rest('POST', `${API}/policy:apply`);
    expect(applied.body).toEqual({ throughSeq: 0, prunedEvents: 0, deletedSnapshots: [] });
  });

  it('prunes past maxEvents but keeps what pinned snapshot A and the present need', async () => {
    const pinned = await gw.rest('POST', `${API}/snapshots/${snapshotA.id}/pin`);
    expect(pinned.body).toMatchObject({ id: snapshotA.id, pinned: true });
    const policy = await gw.rest('PUT', `${API}/policy`, { maxEvents: 1 });
    expect(policy.body).toMatchObject({ maxAgeDays: null, maxEvents: 1, updatedAt: expect.any(String) });
    const before = await gw.db.prisma.changeEvent.count();

    const applied = await gw.rest('POST', `${API}/policy:apply`);
    expect(applied.status).toBe(200);
    expect(applied.body.deletedSnapshots).toEqual([snapshotB.id]);
    expect(applied.body.prunedEvents).toBeGreaterThan(0);
    // The prune's own events: B's deletion and the prune record.
    expect(await gw.db.prisma.changeEvent.count()).toBe(before - applied.body.prunedEvents + 2);

    expect((await gw.rest('GET', `${API}/snapshots/${snapshotA.id}`)).body).toEqual({ ...treeA, snapshot: { ...snapshotA, pinned: true } });
    expect((await gw.rest('GET', `${API}/snapshots/${snapshotB.id}`)).status).toBe(404);
    // node1's first update was needed by neither A nor the present.
    const events = await gw.rest('GET', `${API}/events?subject=${ids.node1}`);
    expect(events.body.items.map((e: any) => e.data.after.description)).toEqual([null, 'second']);
    const now = await gw.gql('query($t: DateTime!) { devicesAsOf(time: $t) }', { t: new Date().toISOString() });
    expect(byId(now.data.devicesAsOf)).toEqual(sorted('node1', 'node2', 'dimm0', 'dimm2', 'gpu0'));
  });

  it('expires unpinned snapshots older than maxAgeDays, never pinned ones', async () => {
    const old = (await gw.rest('POST', `${API}/snapshots`, { name: 'old' })).body;
    const longAgo = new Date(Date.now() - 40 * 24 * 3600 * 1000);
    await gw.db.prisma.snapshot.updateMany({ data: { takenAt: longAgo } });
    await gw.rest('PUT', `${API}/policy`, { maxAgeDays: 30 });
    const applied = await gw.rest('POST', `${API}/policy:apply`);
    expect(applied.body.deletedSnapshots).toEqual([old.id]);
    expect((await gw.rest('GET', `${API}/snapshots`)).body.items.map((s: any) => s.id)).toEqual([snapshotA.id]);
    expect((await gw.rest('GET', `${API}/snapshots/${snapshotA.id}`)).body.devices).toEqual(treeA.devices);
  });

  it('unpins', async () => {
    const unpinned = await gw.rest('DELETE', `${API}/snapshots/${snapshotA.id}/pin`);
    expect(unpinned.body).toMatchObject({ id: snapshotA.id, pinned: false });
  });
});

describe('errors', () => {
  it.each([
    ['GET', '/snapshots/no-such-snapshot'],
    ['POST', '/snapshots/no-such-snapshot/pin'],
    ['DELETE', '/snapshots/no-such-snapshot/pin'],
  ])('%s %s is a 404 problem', async (method, path) => {
    const reply = await gw.rest(method, `${API}${path}`);
    expectProblem(reply, 404);
    expect(reply.body.detail).toContain('no-such-snapshot');
  });

  it.each([
    ['from=no-such-snapshot&to=2026-01-01T00:00:00Z', 404, 'from'],
    ['from=2026-01-01T00:00:00Z&to=2026-13-45T00:00:00Z', 400, 'to'],
    ['from=2026-01-01&to=2026-01-01T00:00:00Z', 400, 'from'],
    ['to=2026-01-01T00:00:00Z', 400, 'from'],
    ['from=2026-01-01T00:00:00Z', 400, 'to'],
  ])('diff ?%s answers %i naming %s', async (query, status, field) => {
    expectProblem(await gw.rest('GET', `${API}/snapshots/diff?${query}`), status, field);
  });

  it('refuses a snapshot without a name, an unknown route and a wrong method', async () => {
    expectProblem(await gw.rest('POST', `${API}/snapshots`, { description: 'x' }), 400, 'name');
    expect((await gw.rest('GET', `${API}/nothing`)).status).toBe(404);
    const wrong = await gw.rest('DELETE', `${API}/policy`);
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('GET, PUT');
  });

  it('GraphQL names the bad argument', async () => {
    expectError(
      await gw.gql('{ inventoryDiff(from: "2026-99-01T00:00:00Z", to: "2026-01-01T00:00:00Z") { added } }'),
      'BAD_USER_INPUT',
      'from',
    );
    expectError(await gw.gql('{ inventoryDiff(from: "2026-01-01T00:00:00Z", to: "nope") { added } }'), 'NOT_FOUND', 'to');
  });
});

// Large writes append their change-log events with a multi-row INSERT; the rows must be the
// same as the ones createMany writes for small writes.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { recordChanges } from '../../src/services/core/change-log.js';
import { write } from '../../src/services/core/transaction.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.destroy());

const changes = (n: number, prefix: string) =>
  Array.from({ length: n }, (_, i) => ({
    entityType: 'Component',
    entityId: `${prefix}-${i}`,
    action: 'updated' as const,
    before: { state: 'Off', at: new Date('2026-01-02T03:04:05.000Z') },
    after: { state: 'On', password: 'never-stored' },
  }));

it.each([
  ['createMany', 3],
  ['multi-row INSERT', 100],
])('appends events via %s with every field', async (_how, n) => {
  const prefix = `n${n}`;
  const ctx = { db: db.prisma, source: 'smd' as const, actor: 'tester', requestId: `req-${n}` };
  await write(ctx, async (tx) => {
    await recordChanges(tx, ctx, changes(n, prefix));
    return { result: null, changes: [] };
  });
  const rows = await db.prisma.changeEvent.findMany({ where: { entityId: { startsWith: `${prefix}-` } }, orderBy: { seq: 'asc' } });
  expect(rows).toHaveLength(n);
  expect(new Set(rows.map((r) => r.eventId)).size).toBe(n);
  expect(rows[0]).toMatchObject({
    source: 'smd',
    actor: 'tester',
    requestId: `req-${n}`,
    entityType: 'Component',
    action: 'updated',
    before: { state: 'Off', at: '2026-01-02T03:04:05.000Z' },
    after: { state: 'On' },
  });
  expect(rows[0].occurredAt.getTime()).toBeGreaterThan(Date.now() - 60_000);
  expect(JSON.stringify(rows)).not.toContain('never-stored');
});

it.each([
  ['createMany', 1],
  ['multi-row INSERT', 100],
])('records a row as its JSON text reads back, without secrets, bigints as numbers (%s)', async (_how, n) => {
  const row = {
    id: 'd1',
    nid: 4_000_000_001n,
    createdAt: new Date('2026-01-02T03:04:05.678Z'),
    deletedAt: null,
    missing: undefined,
    ratio: Number.NaN,
    properties: { nested: { at: new Date(0), list: [1, undefined, 'x', null, { deep: true }] }, empty: {} },
    tags: ['a', 'b'],
    password: 'never-stored',
    live: true,
  };
  const prefix = `snapshot${n}`;
  const ctx = { db: db.prisma, source: 'smd' as const, actor: 'tester' };
  const created = Array.from({ length: n }, (_, i) => ({
    entityType: 'Device',
    entityId: `${prefix}-${i}`,
    action: 'created' as const,
    after: row,
  }));
  await write(ctx, async (tx) => {
    await recordChanges(tx, ctx, created);
    return { result: null, changes: [] };
  });
  const events = await db.prisma.changeEvent.findMany({ where: { entityId: { startsWith: `${prefix}-` } } });
  const { password: _p, live: _l, ...rest } = row;
  const viaText = JSON.parse(JSON.stringify(rest, (_k, v) => (typeof v === 'bigint' ? Number(v) : v)));
  expect(events).toHaveLength(n);
  for (const event of events) expect(event.after).toStrictEqual(viaText);
  expect(events[0]?.after).toMatchObject({ nid: 4_000_000_001, createdAt: '2026-01-02T03:04:05.678Z', ratio: null });
  expect(events[0]?.before).toBeNull();
});

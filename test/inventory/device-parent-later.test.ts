// createDevicesIn's `parentLater`: a device written before its parent (a cani import reads
// devices in UUID order). Its parent key is checked when the transaction commits, not dropped:
// a parent that never comes fails the commit and nothing is written; checkLaterParents checks
// the link once the parent is written; and every other transaction checks the key at once.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tx } from '../../src/db/client.js';
import { type InventoryError, NotFoundError } from '../../src/domain/errors.js';
import { type WriteResult, write } from '../../src/services/core/transaction.js';
import { checkLaterParents, createDevicesIn } from '../../src/services/inventory/index.js';
import { createTestDatabase, TEST_ENGINE, type TestDatabase } from '../support/database.js';

let db: TestDatabase;
const ctx = () => ({ db: db.prisma, source: 'graphql' as const, actor: 'device-parent-later.test' });
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db?.destroy());

const node = (name: string, parentId?: string) => ({ deviceType: 'Node', name, ...(parentId ? { parentId } : {}) });
const later = (...ids: string[]) => ({ parentLater: (id: string) => ids.includes(id) });
const failed = (work: (tx: Tx) => Promise<WriteResult<unknown>>) =>
  write(ctx(), work).then(
    () => undefined,
    (e: unknown) => e,
  );

describe(`devices written before their parent (${TEST_ENGINE})`, () => {
  it('writes the child at once, linked, and checks it once the parent is written', async () => {
    const [child, parent] = [randomUUID(), randomUUID()];
    await write(ctx(), async (tx) => {
      const first = await createDevicesIn(tx, [{ id: child, input: node('child', parent) }], later(parent));
      const second = await createDevicesIn(tx, [{ id: parent, input: node('parent') }]);
      await checkLaterParents(tx, [{ id: child, parentId: parent }]);
      return { result: null, changes: [...first.changes, ...second.changes] };
    });
    expect(await db.prisma.device.findUniqueOrThrow({ where: { id: child } })).toMatchObject({ parentId: parent, revision: 1 });
  });

  it('a parent that never comes fails the commit, and nothing is written', async () => {
    const [child, lost] = [randomUUID(), randomUUID()];
    const error = await failed(async (tx) => createDevicesIn(tx, [{ id: child, input: node('orphan', lost) }], later(lost)));
    expect(error).toBeDefined();
    expect(await db.prisma.device.findUnique({ where: { id: child } })).toBeNull();
  });

  it('checkLaterParents refuses a cycle closed by the parent', async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    const error = (await failed(async (tx) => {
      await createDevicesIn(tx, [{ id: a, input: node('a', b) }], later(b));
      await createDevicesIn(tx, [{ id: b, input: node('b', a) }]);
      await checkLaterParents(tx, [{ id: a, parentId: b }]);
      return { result: null, changes: [] };
    })) as InventoryError;
    expect(error.message).toMatch(/cycle/);
    expect(await db.prisma.device.count({ where: { id: { in: [a, b] } } })).toBe(0);
  });

  it('without parentLater a parent not written yet is refused at once, as before', async () => {
    const error = await failed(async (tx) => createDevicesIn(tx, [{ input: node('early', randomUUID()) }]));
    expect(error).toBeInstanceOf(NotFoundError);
  });

  it('any key the transaction deferred is checked before it commits, and the connection stays usable', async () => {
    const [parent, ghost] = [randomUUID(), randomUUID()];
    const error = (await failed(async (tx) => {
      const created = await createDevicesIn(tx, [{ input: node('ahead', parent) }, { id: parent, input: node('behind') }], later(parent));
      // Past the services: an interface of a device that does not exist (SQLite deferred this key too).
      await tx.interface.create({ data: { name: 'eth0', deviceId: ghost, properties: {} } });
      return { result: null, changes: created.changes };
    })) as InventoryError;
    expect(error).toBeDefined();
    if (TEST_ENGINE === 'sqlite') expect(error).toMatchObject({ code: 'NOT_FOUND', field: 'deviceId' });
    expect(await db.prisma.device.count({ where: { id: parent } })).toBe(0);
    // The failed transaction is gone: the next one writes and commits.
    await write(ctx(), async (tx) => createDevicesIn(tx, [{ id: parent, input: node('after') }]));
    expect(await db.prisma.device.count({ where: { id: parent } })).toBe(1);
  });

  it('the key is checked at once again in the next transaction', async () => {
    const parent = randomUUID();
    await write(ctx(), async (tx) =>
      createDevicesIn(tx, [{ input: node('ahead', parent) }, { id: parent, input: node('behind') }], later(parent)),
    );
    // A row naming a parent that does not exist, written past the services: refused by the statement itself.
    const insert = (parentId: string) =>
      db.prisma
        .$transaction(async (tx) =>
          tx.device
            .create({ data: { name: 'dangling', deviceType: 'Node', parentId, properties: {}, providerMetadata: {}, externalIds: {} } })
            .then(
              () => 'statement passed',
              () => 'statement refused',
            ),
        )
        .catch(() => 'commit refused');
    expect(await insert(randomUUID())).toBe('statement refused');
    // The same statement under a parent that exists passes: only the key refused the other.
    expect(await insert(parent)).toBe('statement passed');
  });
});

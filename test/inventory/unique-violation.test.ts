// isUniqueViolation (src/services/core/transaction.ts) tells a unique-index refusal from any other
// failure, whether Prisma wrote the row (P2002) or a multi-row INSERT did (P2010 carrying the
// driver's violation): group member rows are written both ways and a refusal must become a 409.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertRows } from '../../src/db/bulk-insert.js';
import { engineOf } from '../../src/db/client.js';
import { isUniqueViolation } from '../../src/services/core/transaction.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { inTransaction } from '../support/transaction.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
  await db.prisma.group.create({ data: { id: 'uv-group', name: 'uv', kind: 'group', tags: [], properties: {} } });
  await db.prisma.component.create({ data: { id: 'uv-comp', xname: 'x3000c0s1b0n0', type: 'Node' } });
  await db.prisma.groupMember.create({ data: { id: 'uv-member', groupId: 'uv-group', componentId: 'uv-comp' } });
});
afterAll(async () => db?.destroy());

/** The error `write` fails with (the test fails if it succeeds). */
async function failure(write: () => Promise<unknown>): Promise<unknown> {
  try {
    await write();
  } catch (error) {
    return error;
  }
  throw new Error('the write succeeded');
}

const member = (id: string, groupId: string) => ({ id, groupId, componentId: 'uv-comp', live: true });

describe('isUniqueViolation', () => {
  it('a duplicate written by a multi-row INSERT (P2010)', async () => {
    const error = await failure(() =>
      inTransaction(db, (tx) => insertRows(tx, engineOf(tx), 'GroupMember', [member('uv-2', 'uv-group')], new Date())),
    );
    expect((error as { code?: string }).code).toBe('P2010');
    expect(isUniqueViolation(error)).toBe(true);
  });

  it('a duplicate written by Prisma (P2002)', async () => {
    const error = await failure(() => db.prisma.groupMember.create({ data: member('uv-3', 'uv-group') }));
    expect((error as { code?: string }).code).toBe('P2002');
    expect(isUniqueViolation(error)).toBe(true);
  });

  it('not a missing reference, nor any other error', async () => {
    const error = await failure(() =>
      inTransaction(db, (tx) => insertRows(tx, engineOf(tx), 'GroupMember', [member('uv-4', 'no-such-group')], new Date())),
    );
    expect((error as { code?: string }).code).toBe('P2010');
    expect(isUniqueViolation(error)).toBe(false);
    expect(isUniqueViolation(new Error('boom'))).toBe(false);
    expect(isUniqueViolation(null)).toBe(false);
  });
});

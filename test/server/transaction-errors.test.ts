// A unique violation that only the database catches (two writers racing past the services'
// checks) must still come back as a conflict naming the field, on both engines.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ConflictError } from '../../src/domain/errors.js';
import { write } from '../../src/services/core/transaction.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.destroy());

it('turns a database unique violation into ConflictError naming the columns', async () => {
  const ctx = { db: db.prisma, source: 'system' as const };
  const row = {
    deviceType: 'Memory',
    manufacturer: 'Micron',
    serialNumber: 'RACE-1',
    properties: {},
    providerMetadata: {},
    externalIds: {},
  };
  await write(ctx, async (tx) => ({ result: await tx.device.create({ data: row }), changes: [] }));
  const second = write(ctx, async (tx) => ({ result: await tx.device.create({ data: row }), changes: [] }));
  await expect(second).rejects.toBeInstanceOf(ConflictError);
  await expect(second).rejects.toMatchObject({ code: 'CONFLICT', field: 'manufacturer.serialNumber' });
  expect(await db.prisma.device.count({ where: { serialNumber: 'RACE-1' } })).toBe(1);
});

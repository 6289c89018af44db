// The engine settings an import runs with, and gets rid of when it ends (committed, refused or
// dry-run): on SQLite a wider page cache (src/db/sqlite-page-cache.ts). (On PostgreSQL an import
// runs as any transaction; its key-list reads are planned for their lists: test/server/pg-sessions.test.ts.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IMPORT_PAGE_CACHE_KIB } from '../../src/db/sqlite-page-cache.js';
import { ValidationError } from '../../src/domain/errors.js';
import { runImport } from '../../src/services/core/import-session.js';
import { createTestDatabase, TEST_ENGINE, type TestDatabase } from '../support/database.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => db?.destroy());

type Client = { $queryRawUnsafe: TestDatabase['prisma']['$queryRawUnsafe'] };

const cacheSize = async (client: Client) =>
  Number((await client.$queryRawUnsafe<Array<{ cache_size: number | bigint }>>('PRAGMA cache_size'))[0]?.cache_size);

/** The ways an import ends: [name, dry run, the reader's failure]. */
const ENDINGS = [
  ['committed', false, undefined],
  ['dry run', true, undefined],
  ['refused', false, new ValidationError('field', 'refused by the reader')],
] as const;

/** Runs an import that ends as `dryRun` and `failure` say; answers what `read` saw inside its transaction. */
async function seenDuringImport<T>(dryRun: boolean, failure: Error | undefined, read: (client: Client) => Promise<T>): Promise<T> {
  let during: T | undefined;
  const run = runImport({ db: db.prisma, source: 'import', actor: 'import-session-settings.test' }, { dryRun }, async (session) => {
    during = await read(session.tx);
    if (failure) throw failure;
  });
  if (failure) await expect(run).rejects.toThrow(/refused by the reader/);
  else await run;
  return during as T;
}

describe.skipIf(TEST_ENGINE !== 'sqlite')('SQLite page cache during an import', () => {
  it.each(ENDINGS)('is widened while the import runs and back to its usual size after (%s)', async (_name, dryRun, failure) => {
    const usual = await cacheSize(db.prisma);
    expect(usual).not.toBe(-IMPORT_PAGE_CACHE_KIB);
    expect(await seenDuringImport(dryRun, failure, cacheSize)).toBe(-IMPORT_PAGE_CACHE_KIB);
    expect(await cacheSize(db.prisma)).toBe(usual);
  });
});

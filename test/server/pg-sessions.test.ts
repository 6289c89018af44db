// The settings of the gateway's own PostgreSQL sessions (src/db/pg-adapter.ts): JIT off unless
// the URL's `options` turns it back on, and repeated statements prepared once per connection,
// with a bound on how many texts ever are; statements with a list parameter only when registered.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../../src/db/client.js';
import { parseDatabaseUrl } from '../../src/db/database-url.js';
import { preparedWithLists } from '../../src/db/prepared-with-lists.js';
import { createTestDatabase, TEST_ENGINE, type TestDatabase } from '../support/database.js';

const show = async (db: Database, setting: string) =>
  (await db.prisma.$queryRawUnsafe<Array<Record<string, string>>>(`SHOW ${setting}`))[0]?.[setting];

describe.skipIf(TEST_ENGINE !== 'postgresql')('PostgreSQL sessions', () => {
  let created: TestDatabase;
  const opened: Database[] = [];
  /** The test database again through its own pool of `poolSize` connections, `extra` added to its URL. */
  const reopen = async (extra = '', poolSize = 1) => {
    const db = await openDatabase(parseDatabaseUrl(`${created.url}${extra}`), { poolSize, migrate: false });
    opened.push(db);
    return db;
  };

  beforeAll(async () => {
    created = await createTestDatabase();
  });
  afterAll(async () => {
    for (const db of opened) await db.close();
    await created?.destroy();
  });

  it('runs without JIT, and in the URL schema', async () => {
    const db = await reopen();
    expect(await show(db, 'jit')).toBe('off');
    expect(await show(db, 'search_path')).toBe(`"${new URL(created.url).searchParams.get('schema')}"`);
  });

  it("lets the URL's own options turn JIT back on", async () => {
    const db = await reopen(`&options=${encodeURIComponent('-c jit=on')}`);
    expect(await show(db, 'jit')).toBe('on');
    expect(await db.prisma.device.count()).toBe(0); // the schema is still the URL's
  });

  it('prepares a statement the second time its text runs, on that connection', async () => {
    const db = await reopen();
    const prepared = async (text: string) =>
      Number(
        (
          await db.prisma.$queryRawUnsafe<Array<{ n: bigint }>>(
            'SELECT count(*) AS n FROM pg_prepared_statements WHERE statement = $1',
            text,
          )
        )[0]?.n,
      );
    const text = 'SELECT $1::int + 1 AS "next"';
    expect(await db.prisma.$queryRawUnsafe(text, 1)).toEqual([{ next: 2 }]);
    expect(await prepared(text)).toBe(0);
    expect(await db.prisma.$queryRawUnsafe(text, 2)).toEqual([{ next: 3 }]);
    expect(await prepared(text)).toBe(1);
    expect(await db.prisma.$queryRawUnsafe(text, 3)).toEqual([{ next: 4 }]);
    expect(await prepared(text)).toBe(1);
  });

  it('never prepares a statement with more than 100 parameters (a generic plan cannot hash their list)', async () => {
    const db = await reopen();
    const list = Array.from({ length: 101 }, (_, i) => `$${i + 1}::int`).join(', ');
    const text = `SELECT count(*) AS n FROM generate_series(1, 200) g WHERE g IN (${list})`;
    const values = Array.from({ length: 101 }, (_, i) => i * 2);
    for (let run = 0; run < 3; run++) expect(await db.prisma.$queryRawUnsafe(text, ...values)).toEqual([{ n: 100n }]);
    const [{ n }] = await db.prisma.$queryRawUnsafe<Array<{ n: bigint }>>(
      'SELECT count(*) AS n FROM pg_prepared_statements WHERE statement = $1',
      text,
    );
    expect(Number(n)).toBe(0);
  });

  it('never prepares a statement that takes a list as one array parameter (its plan depends on the list)', async () => {
    const db = await reopen();
    const text = 'SELECT count(*) AS n FROM generate_series(1, 200) g WHERE g = ANY($1::int[])';
    for (let run = 0; run < 7; run++) expect(await db.prisma.$queryRawUnsafe(text, [2, 4, 6])).toEqual([{ n: 3n }]);
    const [{ n }] = await db.prisma.$queryRawUnsafe<Array<{ n: bigint }>>(
      'SELECT count(*) AS n FROM pg_prepared_statements WHERE statement = $1',
      text,
    );
    expect(Number(n)).toBe(0);
  });

  it('prepares a statement registered with preparedWithLists from its first run, its list parameter notwithstanding', async () => {
    const db = await reopen();
    const text = preparedWithLists('SELECT count(*) AS n FROM generate_series(1, 300) g WHERE g = ANY($1::int[])');
    expect(await db.prisma.$queryRawUnsafe(text, [2, 4, 6])).toEqual([{ n: 3n }]);
    const [{ n }] = await db.prisma.$queryRawUnsafe<Array<{ n: bigint }>>(
      'SELECT count(*) AS n FROM pg_prepared_statements WHERE statement = $1',
      text,
    );
    expect(Number(n)).toBe(1);
  });

  it('prepares at most 256 statement texts however many repeat', async () => {
    const db = await reopen();
    for (let round = 0; round < 2; round++)
      for (let i = 0; i < 300; i++) await db.prisma.$queryRawUnsafe(`SELECT ${i}::int + $1::int AS "n${i}"`, round);
    const [{ n }] = await db.prisma.$queryRawUnsafe<Array<{ n: bigint }>>(
      `SELECT count(*) AS n FROM pg_prepared_statements WHERE statement LIKE 'SELECT %::int + $1::int AS "n%'`,
    );
    expect(Number(n)).toBeGreaterThan(200);
    expect(Number(n)).toBeLessThanOrEqual(256);
  });
});

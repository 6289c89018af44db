// A fresh, migrated database per test file: a temporary SQLite file by default, or its own
// schema in PostgreSQL when TEST_DATABASE_URL is a postgresql:// URL.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { type Database, openDatabase } from '../../src/db/client.js';
import { parseDatabaseUrl } from '../../src/db/database-url.js';
import { openDatabases } from './open-databases.js';
import { attachTestKeys } from './secrets.js';

export interface TestDatabase extends Database {
  url: string;
  /** Closes the client and removes the file or schema. */
  destroy(): Promise<void>;
}

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? '';
export const TEST_ENGINE = TEST_DATABASE_URL.startsWith('postgres') ? 'postgresql' : 'sqlite';

export async function createTestDatabase(): Promise<TestDatabase> {
  if (TEST_ENGINE === 'postgresql') {
    const schema = `t_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    await admin.query(`CREATE SCHEMA "${schema}"`);
    await admin.end();
    const url = `${TEST_DATABASE_URL}${TEST_DATABASE_URL.includes('?') ? '&' : '?'}schema=${schema}`;
    const db = await openDatabase(parseDatabaseUrl(url), { poolSize: 4 });
    attachTestKeys(db, url);
    openDatabases.add(schema);
    return {
      ...db,
      url,
      async destroy() {
        await db.close();
        openDatabases.delete(schema);
        const cleanup = new pg.Client({ connectionString: TEST_DATABASE_URL });
        await cleanup.connect();
        await cleanup.query(`DROP SCHEMA "${schema}" CASCADE`);
        await cleanup.end();
      },
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'inventory-test-'));
  const url = `file:${join(dir, 'inventory.db')}`;
  const db = await openDatabase(parseDatabaseUrl(url));
  attachTestKeys(db, url);
  openDatabases.add(dir);
  return {
    ...db,
    url,
    async destroy() {
      await db.close();
      openDatabases.delete(dir);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

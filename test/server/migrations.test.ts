// Start-up migrations: an up-to-date database is recognised from `_prisma_migrations` without
// the schema engine, and anything else (a new migration on disk, a failed one) still goes
// through the engine, which applies or refuses as before.
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdapterFactory } from '../../src/db/adapter.js';
import { PROJECT_ROOT } from '../../src/db/client.js';
import { parseDatabaseUrl } from '../../src/db/database-url.js';
import { engineSchemaPath, migrationsDir } from '../../src/db/engine-schema.js';
import { applyMigrations } from '../../src/db/migrations.js';
import { createTestDatabase, TEST_ENGINE, type TestDatabase } from '../support/database.js';

const PROBE = '99999999999999_migration_probe';

describe('applying migrations at start-up', () => {
  let db: TestDatabase;
  let root: string;
  const factory = () => createAdapterFactory(parseDatabaseUrl(db.url));

  beforeAll(async () => {
    db = await createTestDatabase();
    // A copy of prisma/<engine> with one more migration than the database has had.
    root = mkdtempSync(join(tmpdir(), 'migrations-root-'));
    mkdirSync(join(root, 'prisma', TEST_ENGINE), { recursive: true });
    cpSync(engineSchemaPath(PROJECT_ROOT, TEST_ENGINE), engineSchemaPath(root, TEST_ENGINE));
    cpSync(migrationsDir(PROJECT_ROOT, TEST_ENGINE), migrationsDir(root, TEST_ENGINE), { recursive: true });
    mkdirSync(join(migrationsDir(root, TEST_ENGINE), PROBE));
    writeFileSync(
      join(migrationsDir(root, TEST_ENGINE), PROBE, 'migration.sql'),
      'CREATE TABLE "MigrationProbe" ("id" INTEGER PRIMARY KEY);\n',
    );
  });
  afterAll(async () => {
    await db?.destroy();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('applies nothing to a database that has every migration', async () => {
    expect(await applyMigrations(PROJECT_ROOT, TEST_ENGINE, factory())).toEqual([]);
  });

  it('applies a migration that is on disk but not recorded, once', async () => {
    expect(await applyMigrations(root, TEST_ENGINE, factory())).toEqual([PROBE]);
    await db.prisma.$queryRawUnsafe('SELECT COUNT(*) FROM "MigrationProbe"');
    expect(await applyMigrations(root, TEST_ENGINE, factory())).toEqual([]);
  });

  it('leaves a failed migration to the schema engine, which refuses to start', async () => {
    await db.prisma.$executeRawUnsafe(`UPDATE _prisma_migrations SET finished_at = NULL WHERE migration_name = '${PROBE}'`);
    await expect(applyMigrations(root, TEST_ENGINE, factory())).rejects.toThrow(/failed/i);
  });
});

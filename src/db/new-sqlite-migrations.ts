// A brand-new SQLite database gets its migrations without the schema engine. On an empty file
// the engine only runs each script and keeps its books in `_prisma_migrations`; loading its
// WebAssembly for that costs about half a second and tens of MiB at every first start. Here the
// same scripts run in one transaction and the table is written as the engine writes it through
// our driver adapter — its DDL, a random UUID, the script's SHA-256, ISO-8601 timestamps with
// milliseconds and "+00:00", one applied step — so the engine (`prisma migrate status` and
// `deploy`, and the start-ups after this one) reads the history as its own
// (test/server/new-database-migrations.test.ts compares the two, row for row and table for table).
import { createHash, randomUUID } from 'node:crypto';
import type { ArgType, SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';

export interface MigrationScript {
  /** The migration's folder name, e.g. 20261121142444_init. */
  name: string;
  /** Its migration.sql, as read from disk. */
  sql: string;
}

/** The engine's own DDL for SQLite, character for character. */
export const SQLITE_MIGRATIONS_TABLE = `CREATE TABLE "_prisma_migrations" (
    "id"                    TEXT PRIMARY KEY NOT NULL,
    "checksum"              TEXT NOT NULL,
    "finished_at"           DATETIME,
    "migration_name"        TEXT NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        DATETIME,
    "started_at"            DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count"   INTEGER UNSIGNED NOT NULL DEFAULT 0
)`;

const TEXT: ArgType = { scalarType: 'string', arity: 'scalar' };

/** A timestamp as the engine stores one through the adapter: 2026-12-05T00:23:24.562+00:00. */
const now = () => new Date().toISOString().replace(/Z$/, '+00:00');

/** The engine's checksum of a migration: SHA-256 of the script, in hex. */
export const migrationChecksum = (sql: string) => createHash('sha256').update(sql).digest('hex');

async function isEmpty(adapter: SqlDriverAdapter): Promise<boolean> {
  const result = await adapter.queryRaw({ sql: 'SELECT COUNT(*) FROM sqlite_master', args: [], argTypes: [] });
  return Number(result.rows[0]?.[0]) === 0;
}

async function applyAll(adapter: SqlDriverAdapter, migrations: MigrationScript[]): Promise<void> {
  await adapter.executeScript(SQLITE_MIGRATIONS_TABLE);
  for (const migration of migrations) {
    const id = randomUUID();
    // The engine's order: the row first (started, no step applied), then the script, then done.
    await adapter.executeRaw({
      sql: 'INSERT INTO "_prisma_migrations" ("id", "checksum", "started_at", "migration_name", "applied_steps_count") VALUES (?, ?, ?, ?, 0)',
      args: [id, migrationChecksum(migration.sql), now(), migration.name],
      argTypes: [TEXT, TEXT, TEXT, TEXT],
    });
    await adapter.executeScript(migration.sql);
    await adapter.executeRaw({
      sql: 'UPDATE "_prisma_migrations" SET "applied_steps_count" = 1, "finished_at" = ? WHERE "id" = ?',
      args: [now(), id],
      argTypes: [TEXT, TEXT],
    });
  }
}

/**
 * Applies every migration to a SQLite database that holds nothing at all (no table, index or
 * view), atomically, and returns their names. Answers undefined, having changed nothing, for
 * anything else — a database with any object in it, another engine, no migrations, a script
 * that fails — so that the schema engine decides and reports exactly as it always has.
 */
export async function applyToNewSqliteDatabase(
  factory: SqlMigrationAwareDriverAdapterFactory,
  migrations: MigrationScript[],
): Promise<string[] | undefined> {
  if (factory.provider !== 'sqlite' || migrations.length === 0) return undefined;
  const adapter = await factory.connect();
  try {
    // A plain read first: an existing database is not made to wait for the write lock.
    if (!(await isEmpty(adapter))) return undefined;
    await adapter.executeScript('BEGIN IMMEDIATE');
    try {
      // Under the write lock: another process starting on the same new file may have won.
      if (!(await isEmpty(adapter))) {
        await adapter.executeScript('ROLLBACK');
        return undefined;
      }
      await applyAll(adapter, migrations);
      await adapter.executeScript('COMMIT');
      return migrations.map((m) => m.name);
    } catch {
      // The engine will run the same script and report (and record) the failure its own way.
      await adapter.executeScript('ROLLBACK').catch(() => undefined);
      return undefined;
    }
  } finally {
    await adapter.dispose();
  }
}

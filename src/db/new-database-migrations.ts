// A brand-new database gets its migrations without the schema engine. On an empty database the
// engine only runs each script and keeps its books in `_prisma_migrations`; loading its
// WebAssembly for that costs 0.5–1.5 s and tens of MiB at every first start. Here the same
// scripts run in one transaction, under the lock the engine takes, and the table is written as
// the engine writes it through our driver adapters — its DDL, a random UUID, the script's
// SHA-256, millisecond timestamps (SQLite: ISO 8601 text with "+00:00"), one applied step — so
// the engine (`prisma migrate status` and `deploy`, and the start-ups after this one) reads the
// history as its own. test/server/new-database-migrations.test.ts compares the two, row for row
// and table for table, on each engine.
import { createHash, randomUUID } from 'node:crypto';
import type {
  ArgType,
  SqlDriverAdapter,
  SqlMigrationAwareDriverAdapterFactory,
  SqlQuery,
  SqlQueryable,
  Transaction,
} from '@prisma/driver-adapter-utils';
import type { Engine } from './engine-schema.js';

export interface MigrationScript {
  /** The migration's folder name, e.g. 20261121142444_init. */
  name: string;
  /** Its migration.sql, as read from disk. */
  sql: string;
}

/** The engine's checksum of a migration: SHA-256 of the script, in hex. */
export const migrationChecksum = (sql: string) => createHash('sha256').update(sql).digest('hex');

const TEXT: ArgType = { scalarType: 'string', arity: 'scalar' };
const query = (sql: string, args: string[] = []): SqlQuery => ({ sql, args, argTypes: args.map(() => TEXT) });

/** A timestamp as the engine stores one through the adapters: 2026-12-05T00:23:24.562+00:00. */
const now = () => new Date().toISOString().replace(/Z$/, '+00:00');

/** One connection in a transaction that holds the engine's migration lock. */
interface Session {
  queryable: SqlQueryable;
  script(sql: string): Promise<void>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
}

interface Dialect {
  /** The engine's own DDL for `_prisma_migrations`. */
  table: string;
  insert: string;
  finish: string;
  /** One row, one column: true when the database holds anything, or is not where the engine would write. */
  occupied(adapter: SqlDriverAdapter): SqlQuery;
  begin(adapter: SqlDriverAdapter): Promise<Session>;
}

const DIALECTS: Record<Engine, Dialect> = {
  sqlite: {
    table: `CREATE TABLE "_prisma_migrations" (
    "id"                    TEXT PRIMARY KEY NOT NULL,
    "checksum"              TEXT NOT NULL,
    "finished_at"           DATETIME,
    "migration_name"        TEXT NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        DATETIME,
    "started_at"            DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count"   INTEGER UNSIGNED NOT NULL DEFAULT 0
)`,
    insert:
      'INSERT INTO "_prisma_migrations" ("id", "checksum", "started_at", "migration_name", "applied_steps_count") VALUES (?, ?, ?, ?, 0)',
    finish: 'UPDATE "_prisma_migrations" SET "applied_steps_count" = 1, "finished_at" = ? WHERE "id" = ?',
    occupied: () => query('SELECT COUNT(*) > 0 FROM sqlite_master'),
    // The adapter is one connection. IMMEDIATE takes the write lock at once: two processes
    // starting on the same new file queue here instead of both reading "empty".
    async begin(adapter) {
      await adapter.executeScript('BEGIN IMMEDIATE');
      return {
        queryable: adapter,
        script: (sql) => adapter.executeScript(sql),
        commit: () => adapter.executeScript('COMMIT'),
        rollback: () => adapter.executeScript('ROLLBACK'),
      };
    },
  },
  postgresql: {
    table: `CREATE TABLE "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`,
    insert:
      'INSERT INTO "_prisma_migrations" ("id", "checksum", "started_at", "migration_name", "applied_steps_count") VALUES ($1, $2, $3::timestamptz, $4, 0)',
    finish: 'UPDATE "_prisma_migrations" SET "applied_steps_count" = 1, "finished_at" = $1::timestamptz WHERE "id" = $2',
    // The engine writes to the adapter's schema (public when none is set); the scripts, being
    // unqualified, land in current_schema(). Anything in that schema, a type or a function
    // included, and the engine must judge it.
    occupied: (adapter) =>
      query(
        `SELECT current_schema() IS DISTINCT FROM $1
            OR EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema())
            OR EXISTS (SELECT 1 FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = current_schema())
            OR EXISTS (SELECT 1 FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = current_schema())`,
        [adapter.getConnectionInfo?.().schemaName ?? 'public'],
      ),
    // The adapter is a pool: a transaction has a connection of its own. The engine's advisory
    // lock (72707369, held by `migrate deploy` for its whole run) serialises replicas starting
    // together, and this with any engine run elsewhere.
    async begin(adapter) {
      const tx: Transaction = await adapter.startTransaction();
      const end = async (sql: 'COMMIT' | 'ROLLBACK') => {
        try {
          await tx.executeRaw(query(sql));
        } finally {
          await (sql === 'COMMIT' ? tx.commit() : tx.rollback());
        }
      };
      try {
        await tx.executeRaw(query('SELECT pg_advisory_xact_lock(72707369)'));
      } catch (error) {
        await end('ROLLBACK').catch(() => undefined);
        throw error;
      }
      return {
        queryable: tx,
        // No parameters: node-postgres sends the script as one simple query, every statement in it.
        script: async (sql) => void (await tx.executeRaw(query(sql))),
        commit: () => end('COMMIT'),
        rollback: () => end('ROLLBACK'),
      };
    },
  },
};

async function isOccupied(queryable: SqlQueryable, statement: SqlQuery): Promise<boolean> {
  const value = (await queryable.queryRaw(statement)).rows[0]?.[0];
  return value === true || Number(value) !== 0;
}

async function applyAll(session: Session, dialect: Dialect, migrations: MigrationScript[]): Promise<void> {
  await session.script(dialect.table);
  for (const migration of migrations) {
    const id = randomUUID();
    // The engine's order: the row first (started, no step applied), then the script, then done.
    await session.queryable.executeRaw(query(dialect.insert, [id, migrationChecksum(migration.sql), now(), migration.name]));
    await session.script(migration.sql);
    await session.queryable.executeRaw(query(dialect.finish, [now(), id]));
  }
}

/**
 * Applies every migration to a database that holds nothing at all (no table, index, view, type
 * or function), atomically, and returns their names. Answers undefined, having changed nothing,
 * for anything else — a database with any object in it, no migrations, a script that fails (or
 * cannot run inside a transaction) — so that the schema engine decides and reports exactly as it
 * always has.
 */
export async function applyToNewDatabase(
  engine: Engine,
  factory: SqlMigrationAwareDriverAdapterFactory,
  migrations: MigrationScript[],
): Promise<string[] | undefined> {
  if (migrations.length === 0) return undefined;
  const dialect = DIALECTS[engine];
  const adapter = await factory.connect();
  try {
    const occupied = dialect.occupied(adapter);
    // A plain read first: an existing database is not made to wait for the lock.
    if (await isOccupied(adapter, occupied)) return undefined;
    const session = await dialect.begin(adapter);
    try {
      // Under the lock: another process starting on the same new database may have won.
      if (await isOccupied(session.queryable, occupied)) {
        await session.rollback();
        return undefined;
      }
      await applyAll(session, dialect, migrations);
      await session.commit();
      return migrations.map((m) => m.name);
    } catch {
      // The engine will run the same script and report (and record) the failure its own way.
      await session.rollback().catch(() => undefined);
      return undefined;
    }
  } finally {
    await adapter.dispose();
  }
}

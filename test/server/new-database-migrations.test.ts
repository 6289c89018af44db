// A brand-new database is migrated without the schema engine: the same tables, columns, indexes
// and constraints, and the `_prisma_migrations` rows the engine writes, which the engine then
// reads as its own (`prisma migrate status` and `deploy` agree); anything but an empty database
// is left to the engine. On the engine under test: a SQLite file, or a PostgreSQL schema.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAdapterFactory } from '../../src/db/adapter.js';
import { PROJECT_ROOT } from '../../src/db/client.js';
import { parseDatabaseUrl } from '../../src/db/database-url.js';
import { engineSchemaPath } from '../../src/db/engine-schema.js';
import { applyMigrations, readMigrationList } from '../../src/db/migrations.js';
import { applyToNewDatabase, migrationChecksum } from '../../src/db/new-database-migrations.js';
import { withSchemaEngine } from '../../src/db/schema-engine.js';
import { TEST_DATABASE_URL, TEST_ENGINE } from '../support/database.js';

// Counts the schema engine's start-ups, still running the real engine.
const engineStarts = vi.hoisted(() => ({ count: 0 }));
vi.mock('../../src/db/schema-engine.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/db/schema-engine.js')>();
  return {
    ...original,
    withSchemaEngine: ((...args: Parameters<typeof original.withSchemaEngine>) => {
      engineStarts.count++;
      return original.withSchemaEngine(...args);
    }) as typeof original.withSchemaEngine,
  };
});

const NO_FILTER = { externalTables: [], externalEnums: [] };
const MIGRATIONS = readMigrationList(PROJECT_ROOT, TEST_ENGINE);
const NAMES = MIGRATIONS.migrationDirectories.map((d) => d.path);
const SCRIPTS = MIGRATIONS.migrationDirectories.map((d) => {
  const content = d.migrationFile.content;
  if (content.tag !== 'ok') throw new Error(content.value);
  return { name: d.path, sql: content.value };
});
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

interface HistoryRow {
  id: string;
  checksum: string;
  migration_name: string;
  logs: string | null;
  rolled_back_at: unknown;
  applied_steps_count: number;
  /** The timestamps as stored: SQLite's text, PostgreSQL's at millisecond precision. */
  started: string;
  finished: string;
  /** SQLite: each column's storage class; PostgreSQL: fixed by the column types. */
  types: string;
}

/** A new, empty database of the engine under test, and what the tests read from it. */
interface NewDatabase {
  url: string;
  /** Its objects, comparable between two databases (names of their own removed). */
  schema(): Promise<unknown[]>;
  history(): Promise<HistoryRow[]>;
  exec(sql: string): Promise<void>;
  drop(): Promise<void>;
}

let dir: string;
let serial = 0;

async function pgQuery<T>(sql: string, args: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    return (await client.query(sql, args)).rows as T[];
  } finally {
    await client.end();
  }
}

async function newDatabase(): Promise<NewDatabase> {
  serial++;
  if (TEST_ENGINE === 'sqlite') {
    const file = join(dir, `db-${serial}.db`);
    const read = <T>(sql: string) => {
      const db = new Database(file, { readonly: true });
      try {
        return db.prepare(sql).all() as T[];
      } finally {
        db.close();
      }
    };
    return {
      url: `file:${file}`,
      schema: async () => read('SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name'),
      history: async () =>
        read<HistoryRow>(
          `SELECT *, started_at AS started, finished_at AS finished,
             typeof(id) || ' ' || typeof(checksum) || ' ' || typeof(finished_at) || ' ' || typeof(migration_name) || ' ' ||
             typeof(logs) || ' ' || typeof(rolled_back_at) || ' ' || typeof(started_at) || ' ' || typeof(applied_steps_count) AS types
           FROM _prisma_migrations ORDER BY started_at, migration_name`,
        ),
      exec: async (sql) => {
        const db = new Database(file);
        db.exec(sql);
        db.close();
      },
      drop: async () => undefined,
    };
  }
  const schema = `new_db_${process.pid}_${serial}_${Date.now().toString(36)}`;
  await pgQuery(`CREATE SCHEMA "${schema}"`);
  const inSchema = (sql: string) => `SET search_path TO "${schema}"; ${sql}`;
  const anonymise = (rows: unknown[]) => JSON.parse(JSON.stringify(rows).replaceAll(schema, 'S'));
  return {
    url: `${TEST_DATABASE_URL}${TEST_DATABASE_URL.includes('?') ? '&' : '?'}schema=${schema}`,
    schema: async () =>
      anonymise([
        ...(await pgQuery(
          `SELECT table_name, column_name, data_type, character_maximum_length, numeric_precision, is_nullable, column_default
           FROM information_schema.columns WHERE table_schema = $1 ORDER BY table_name, ordinal_position`,
          [schema],
        )),
        ...(await pgQuery('SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = $1 ORDER BY indexname', [schema])),
        ...(await pgQuery(
          `SELECT c.relname, con.conname, con.contype, pg_get_constraintdef(con.oid) AS definition
           FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE n.nspname = $1 ORDER BY c.relname, con.conname`,
          [schema],
        )),
        ...(await pgQuery(
          `SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 ORDER BY c.relname`,
          [schema],
        )),
        ...(await pgQuery(
          `SELECT t.typname, t.typtype FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = $1 ORDER BY t.typname`,
          [schema],
        )),
      ]),
    history: async () =>
      (
        await pgQuery<HistoryRow & { started_ms: boolean; finished_ms: boolean }>(
          `SELECT *, to_char(started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS') AS started,
             to_char(finished_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS') AS finished,
             started_at = date_trunc('milliseconds', started_at) AS started_ms,
             finished_at = date_trunc('milliseconds', finished_at) AS finished_ms,
             '' AS types
           FROM "${schema}"._prisma_migrations ORDER BY started_at, migration_name`,
        )
      ).map((row) => {
        // The engine stores milliseconds (what a JavaScript Date carries), never microseconds.
        expect([row.started_ms, row.finished_ms]).toEqual([true, true]);
        return row;
      }),
    exec: async (sql) => void (await pgQuery(inSchema(sql))),
    drop: async () => void (await pgQuery(`DROP SCHEMA "${schema}" CASCADE`)),
  };
}

const factoryFor = (db: NewDatabase) => createAdapterFactory(parseDatabaseUrl(db.url));
const datamodel = () => {
  const path = engineSchemaPath(PROJECT_ROOT, TEST_ENGINE);
  return { path, content: readFileSync(path, 'utf8') };
};

/** What `prisma migrate deploy` does, through the engine alone (no fast path). */
const engineDeploy = (db: NewDatabase) =>
  withSchemaEngine(factoryFor(db), datamodel(), async (engine) => {
    const result = await engine.applyMigrations({ migrationsList: MIGRATIONS, filters: NO_FILTER });
    return result.appliedMigrationNames;
  });

/** What `prisma migrate status` asks the engine. */
const engineStatus = (db: NewDatabase) =>
  withSchemaEngine(factoryFor(db), datamodel(), (engine) =>
    engine.diagnoseMigrationHistory({ migrationsList: MIGRATIONS, optInToShadowDatabase: false, filters: NO_FILTER }),
  );

describe(`migrating a brand-new ${TEST_ENGINE} database`, () => {
  const made: NewDatabase[] = [];
  const fresh = async () => {
    const db = await newDatabase();
    made.push(db);
    return db;
  };
  let byEngine: NewDatabase;
  let direct: NewDatabase;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'new-db-migrations-'));
    byEngine = await fresh();
    expect(await engineDeploy(byEngine)).toEqual(NAMES);
    direct = await fresh();
    expect(await applyToNewDatabase(TEST_ENGINE, factoryFor(direct), SCRIPTS)).toEqual(NAMES);
  });
  afterAll(async () => {
    for (const db of made) await db.drop();
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    engineStarts.count = 0;
  });

  it('makes the very tables, columns, indexes and constraints the engine makes', async () => {
    expect(NAMES.length).toBeGreaterThan(1);
    const schema = await direct.schema();
    expect(schema.length).toBeGreaterThan(NAMES.length);
    expect(schema).toEqual(await byEngine.schema());
  });

  it('writes _prisma_migrations as the engine does: one finished row per migration, same checksums, types and formats', async () => {
    const ours = await direct.history();
    const theirs = await byEngine.history();
    expect(ours.map((r) => r.migration_name)).toEqual(NAMES);
    const shape = (r: HistoryRow) => ({
      migration_name: r.migration_name,
      checksum: r.checksum,
      logs: r.logs,
      rolled_back_at: r.rolled_back_at,
      applied_steps_count: r.applied_steps_count,
      types: r.types,
      // The timestamps' form, digits aside.
      started: r.started.replace(/\d/g, '0'),
      finished: r.finished.replace(/\d/g, '0'),
    });
    expect(ours.map(shape)).toEqual(theirs.map(shape));
    for (const row of ours) {
      expect(row.id).toMatch(UUID);
      expect(row.finished >= row.started).toBe(true);
    }
    expect(ours.map((r) => r.checksum)).toEqual(SCRIPTS.map((s) => migrationChecksum(s.sql)));
    expect(new Set(ours.map((r) => r.id)).size).toBe(ours.length);
  });

  it('`prisma migrate status` (the engine) finds the history complete, nothing edited or failed', async () => {
    expect(await engineStatus(direct)).toEqual({
      editedMigrationNames: [],
      failedMigrationNames: [],
      hasMigrationsTable: true,
      history: null,
    });
  });

  it('`prisma migrate deploy` (the engine) has nothing left to apply', async () => {
    expect(await engineDeploy(direct)).toEqual([]);
  });

  it('applyMigrations takes this path for a new database and never starts the engine', async () => {
    const db = await fresh();
    expect(await applyMigrations(PROJECT_ROOT, TEST_ENGINE, factoryFor(db))).toEqual(NAMES);
    expect(engineStarts.count).toBe(0);
    expect(await db.schema()).toEqual(await byEngine.schema());
    expect(await applyMigrations(PROJECT_ROOT, TEST_ENGINE, factoryFor(db))).toEqual([]);
    expect(engineStarts.count).toBe(0);
  });

  it('leaves a database holding anything at all to the engine, untouched', async () => {
    const db = await fresh();
    await db.exec('CREATE TABLE "Stranger" ("id" INTEGER PRIMARY KEY)');
    const before = await db.schema();
    expect(await applyToNewDatabase(TEST_ENGINE, factoryFor(db), SCRIPTS)).toBeUndefined();
    expect(await db.schema()).toEqual(before);
    // …which refuses a non-empty database without a history, as it always has.
    await expect(applyMigrations(PROJECT_ROOT, TEST_ENGINE, factoryFor(db))).rejects.toThrow(/not empty/i);
    expect(engineStarts.count).toBe(1);
  });

  it('rolls back entirely when a script fails, so the engine meets the database as it was', async () => {
    const db = await fresh();
    const scripts = [
      { name: '1_good', sql: 'CREATE TABLE "A" ("id" INTEGER PRIMARY KEY);' },
      { name: '2_bad', sql: 'CREATE TABLE "A" ("id" INTEGER PRIMARY KEY);' },
    ];
    expect(await applyToNewDatabase(TEST_ENGINE, factoryFor(db), scripts)).toBeUndefined();
    expect(await db.schema()).toEqual([]);
  });

  it('two processes starting on the same new database: the migrations are applied once, both start', async () => {
    const db = await fresh();
    const script = `
      const { applyMigrations } = await import(${JSON.stringify(join(PROJECT_ROOT, 'dist/db/migrations.js'))});
      const { createAdapterFactory } = await import(${JSON.stringify(join(PROJECT_ROOT, 'dist/db/adapter.js'))});
      const { parseDatabaseUrl } = await import(${JSON.stringify(join(PROJECT_ROOT, 'dist/db/database-url.js'))});
      const names = await applyMigrations(${JSON.stringify(PROJECT_ROOT)}, ${JSON.stringify(TEST_ENGINE)}, createAdapterFactory(parseDatabaseUrl(${JSON.stringify(db.url)})));
      process.stdout.write(JSON.stringify(names));
      process.exit(0);`;
    const run = () => promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], { cwd: PROJECT_ROOT });
    const results = await Promise.all([run(), run()]);
    const applied = results.map((r) => JSON.parse(r.stdout) as string[]).sort((a, b) => b.length - a.length);
    expect(applied).toEqual([NAMES, []]);
    expect((await db.history()).map((r) => r.migration_name)).toEqual(NAMES);
  });
});

// A brand-new SQLite file is migrated without the schema engine: the same tables, indexes and
// `_prisma_migrations` rows the engine writes, which the engine then reads as its own
// (`prisma migrate status` and `deploy` agree); anything but an empty file is left to the engine.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAdapterFactory } from '../../src/db/adapter.js';
import { PROJECT_ROOT } from '../../src/db/client.js';
import { engineSchemaPath } from '../../src/db/engine-schema.js';
import { applyMigrations, readMigrationList } from '../../src/db/migrations.js';
import { applyToNewSqliteDatabase, migrationChecksum } from '../../src/db/new-sqlite-migrations.js';
import { withSchemaEngine } from '../../src/db/schema-engine.js';

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
const MIGRATIONS = readMigrationList(PROJECT_ROOT, 'sqlite');
const NAMES = MIGRATIONS.migrationDirectories.map((d) => d.path);
const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let dir: string;
let serial = 0;
const newFile = () => join(dir, `db-${++serial}.db`);
const factoryFor = (file: string) => createAdapterFactory({ engine: 'sqlite', url: file });
const datamodel = () => {
  const path = engineSchemaPath(PROJECT_ROOT, 'sqlite');
  return { path, content: readFileSync(path, 'utf8') };
};

/** What `prisma migrate deploy` does, through the engine alone (no fast path). */
const engineDeploy = (file: string) =>
  withSchemaEngine(factoryFor(file), datamodel(), async (engine) => {
    const result = await engine.applyMigrations({ migrationsList: MIGRATIONS, filters: NO_FILTER });
    return result.appliedMigrationNames;
  });

/** What `prisma migrate status` asks the engine. */
const engineStatus = (file: string) =>
  withSchemaEngine(factoryFor(file), datamodel(), (engine) =>
    engine.diagnoseMigrationHistory({ migrationsList: MIGRATIONS, optInToShadowDatabase: false, filters: NO_FILTER }),
  );

function read<T>(file: string, sql: string): T[] {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare(sql).all() as T[];
  } finally {
    db.close();
  }
}

const schemaOf = (file: string) => read(file, 'SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name');

interface HistoryRow {
  id: string;
  checksum: string;
  finished_at: string;
  migration_name: string;
  logs: null;
  rolled_back_at: null;
  started_at: string;
  applied_steps_count: number;
  types: string;
}
const historyOf = (file: string) =>
  read<HistoryRow>(
    file,
    `SELECT *, typeof(id) || ' ' || typeof(checksum) || ' ' || typeof(finished_at) || ' ' || typeof(migration_name) || ' ' ||
       typeof(logs) || ' ' || typeof(rolled_back_at) || ' ' || typeof(started_at) || ' ' || typeof(applied_steps_count) AS types
     FROM _prisma_migrations ORDER BY started_at, migration_name`,
  );

describe('migrating a brand-new SQLite file', () => {
  let byEngine: string;
  let direct: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'new-db-migrations-'));
    byEngine = newFile();
    expect(await engineDeploy(byEngine)).toEqual(NAMES);
    direct = newFile();
    expect(await applyToNewSqliteDatabase(factoryFor(direct), scriptsOnDisk())).toEqual(NAMES);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  beforeEach(() => {
    engineStarts.count = 0;
  });

  it('makes the very tables, columns, indexes and constraints the engine makes', () => {
    expect(NAMES.length).toBeGreaterThan(1);
    expect(schemaOf(direct)).toEqual(schemaOf(byEngine));
  });

  it('writes _prisma_migrations as the engine does: one finished row per migration, same checksums, types and formats', () => {
    const ours = historyOf(direct);
    const theirs = historyOf(byEngine);
    expect(ours.map((r) => r.migration_name)).toEqual(NAMES);
    const shape = (r: HistoryRow) => ({
      migration_name: r.migration_name,
      checksum: r.checksum,
      logs: r.logs,
      rolled_back_at: r.rolled_back_at,
      applied_steps_count: r.applied_steps_count,
      types: r.types,
    });
    expect(ours.map(shape)).toEqual(theirs.map(shape));
    for (const row of [...ours, ...theirs]) {
      expect(row.id).toMatch(UUID);
      expect(row.started_at).toMatch(TIMESTAMP);
      expect(row.finished_at).toMatch(TIMESTAMP);
      expect(row.finished_at >= row.started_at).toBe(true);
    }
    expect(ours[0]?.checksum).toBe(migrationChecksum(scriptsOnDisk()[0]?.sql ?? ''));
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

  it('applyMigrations takes this path for a new file and never starts the engine', async () => {
    const file = newFile();
    expect(await applyMigrations(PROJECT_ROOT, 'sqlite', factoryFor(file))).toEqual(NAMES);
    expect(engineStarts.count).toBe(0);
    expect(schemaOf(file)).toEqual(schemaOf(byEngine));
    expect(await applyMigrations(PROJECT_ROOT, 'sqlite', factoryFor(file))).toEqual([]);
    expect(engineStarts.count).toBe(0);
  });

  it('leaves a file holding anything at all to the engine, untouched', async () => {
    const file = newFile();
    const db = new Database(file);
    db.exec('CREATE TABLE "Stranger" ("id" INTEGER PRIMARY KEY)');
    db.close();
    expect(await applyToNewSqliteDatabase(factoryFor(file), scriptsOnDisk())).toBeUndefined();
    expect(schemaOf(file).map((o) => (o as { name: string }).name)).toEqual(['Stranger']);
    // …which refuses a non-empty database without a history, as it always has.
    await expect(applyMigrations(PROJECT_ROOT, 'sqlite', factoryFor(file))).rejects.toThrow(/not empty/i);
    expect(engineStarts.count).toBe(1);
  });

  it('rolls back entirely when a script fails, so the engine meets the file as it was', async () => {
    const file = newFile();
    const scripts = [
      { name: '1_good', sql: 'CREATE TABLE "A" ("id" INTEGER PRIMARY KEY);' },
      { name: '2_bad', sql: 'CREATE TABLE "A" ("id" INTEGER PRIMARY KEY);' },
    ];
    expect(await applyToNewSqliteDatabase(factoryFor(file), scripts)).toBeUndefined();
    expect(schemaOf(file)).toEqual([]);
  });

  it('two processes starting on the same new file: the migrations are applied once, both start', async () => {
    const file = newFile();
    const script = `
      const { applyMigrations } = await import(${JSON.stringify(join(PROJECT_ROOT, 'dist/db/migrations.js'))});
      const { createAdapterFactory } = await import(${JSON.stringify(join(PROJECT_ROOT, 'dist/db/adapter.js'))});
      const names = await applyMigrations(${JSON.stringify(PROJECT_ROOT)}, 'sqlite', createAdapterFactory({ engine: 'sqlite', url: ${JSON.stringify(file)} }));
      process.stdout.write(JSON.stringify(names));`;
    const run = () => promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], { cwd: PROJECT_ROOT });
    const results = await Promise.all([run(), run()]);
    const applied = results.map((r) => JSON.parse(r.stdout) as string[]).sort((a, b) => b.length - a.length);
    expect(applied).toEqual([NAMES, []]);
    expect(historyOf(file).map((r) => r.migration_name)).toEqual(NAMES);
  });
});

function scriptsOnDisk() {
  return MIGRATIONS.migrationDirectories.map((d) => {
    const content = d.migrationFile.content;
    if (content.tag !== 'ok') throw new Error(content.value);
    return { name: d.path, sql: content.value };
  });
}

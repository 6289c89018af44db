// Applies, checks and creates migrations in Prisma's layout (prisma/<engine>/migrations),
// through the WebAssembly schema engine — except where the engine would only do bookkeeping:
// an up-to-date database (nothing to apply) and a brand-new one (every script, in order).
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import type { MigrationList } from '@prisma/schema-engine-wasm';
import { type Engine, engineSchemaPath, migrationsDir } from './engine-schema.js';
import { applyToNewDatabase, type MigrationScript } from './new-database-migrations.js';
import { withSchemaEngine } from './schema-engine.js';

const NO_FILTER = { externalTables: [], externalEnums: [] };

export function readMigrationList(root: string, engine: Engine): MigrationList {
  const baseDir = migrationsDir(root, engine);
  const lockPath = join(baseDir, 'migration_lock.toml');
  const names = existsSync(baseDir)
    ? readdirSync(baseDir, { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => d.name)
        .sort()
    : [];
  return {
    baseDir,
    lockfile: { path: 'migration_lock.toml', content: existsSync(lockPath) ? readFileSync(lockPath, 'utf8') : null },
    shadowDbInitScript: '',
    migrationDirectories: names.map((name) => {
      const file = join(baseDir, name, 'migration.sql');
      return {
        path: name,
        migrationFile: {
          path: 'migration.sql',
          content: existsSync(file)
            ? { tag: 'ok' as const, value: readFileSync(file, 'utf8') }
            : { tag: 'error' as const, value: `${file} is missing` },
        },
      };
    }),
  };
}

function datamodel(root: string, engine: Engine) {
  const path = engineSchemaPath(root, engine);
  return { path, content: readFileSync(path, 'utf8') };
}

/**
 * True when `_prisma_migrations` records every migration on disk as finished and none as
 * failed: a start-up against an up-to-date database then skips loading the WebAssembly schema
 * engine (0.6–1.6 s). Any doubt (no table, an error, a failed or unknown row) answers false and
 * the engine decides, under its lock, as before.
 */
async function allMigrationsApplied(root: string, engine: Engine, factory: SqlMigrationAwareDriverAdapterFactory): Promise<boolean> {
  const onDisk = readMigrationList(root, engine).migrationDirectories.map((d) => d.path);
  let adapter: Awaited<ReturnType<typeof factory.connect>> | undefined;
  try {
    adapter = await factory.connect();
    const result = await adapter.queryRaw({
      sql: 'SELECT migration_name, finished_at IS NOT NULL AND rolled_back_at IS NULL AS done FROM _prisma_migrations',
      args: [],
      argTypes: [],
    });
    const done = new Set<string>();
    for (const [name, finished] of result.rows) {
      if (!finished) return false; // a failed or rolled-back migration: the engine reports it
      done.add(String(name));
    }
    return onDisk.every((name) => done.has(name));
  } catch {
    return false;
  } finally {
    await adapter?.dispose().catch(() => undefined);
  }
}

/**
 * The scripts on disk, in order; undefined when one is missing or the lock file names another
 * provider (the engine reports either).
 */
function migrationScripts(list: MigrationList, engine: Engine): MigrationScript[] | undefined {
  const lock = list.lockfile.content;
  if (lock !== null && lock !== undefined && !new RegExp(`^provider\\s*=\\s*"${engine}"\\s*$`, 'm').test(lock)) return undefined;
  const scripts: MigrationScript[] = [];
  for (const directory of list.migrationDirectories) {
    const content = directory.migrationFile.content;
    if (content.tag !== 'ok') return undefined;
    scripts.push({ name: directory.path, sql: content.value });
  }
  return scripts;
}

/** Applies the migrations the database has not had yet; returns their names. */
export async function applyMigrations(root: string, engine: Engine, factory: SqlMigrationAwareDriverAdapterFactory): Promise<string[]> {
  if (await allMigrationsApplied(root, engine, factory)) return [];
  const scripts = migrationScripts(readMigrationList(root, engine), engine);
  const appliedToNew = scripts && (await applyToNewDatabase(engine, factory, scripts));
  if (appliedToNew) return appliedToNew;
  return withSchemaEngine(factory, datamodel(root, engine), async (schemaEngine) => {
    const result = await schemaEngine.applyMigrations({
      migrationsList: readMigrationList(root, engine),
      filters: NO_FILTER,
    });
    return result.appliedMigrationNames;
  });
}

/** The SQL that would take the migrations to the schema: empty when they agree. */
export async function diffMigrationsToSchema(
  root: string,
  engine: Engine,
  factory: SqlMigrationAwareDriverAdapterFactory,
): Promise<string> {
  const model = datamodel(root, engine);
  return withSchemaEngine(factory, model, async (schemaEngine) => {
    const migrations = readMigrationList(root, engine);
    const from = migrations.migrationDirectories.length ? { tag: 'migrations' as const, ...migrations } : { tag: 'empty' as const };
    const result = await schemaEngine.diff({
      from,
      to: { tag: 'schemaDatamodel', files: [model] },
      script: true,
      exitCode: null,
      filters: NO_FILTER,
    });
    return (result.stdout ?? '').replace(/^-- This is an empty migration\.\s*$/m, '').trim();
  });
}

/**
 * The SQL that takes one datamodel to another, with no database involved. Used for
 * PostgreSQL, whose shadow database the WebAssembly engine cannot describe.
 */
export async function diffDatamodels(
  _engine: Engine,
  factory: SqlMigrationAwareDriverAdapterFactory,
  from: { path: string; content: string },
  to: { path: string; content: string },
): Promise<string> {
  return withSchemaEngine(factory, to, async (schemaEngine) => {
    const result = await schemaEngine.diff({
      from: { tag: 'schemaDatamodel', files: [from] },
      to: { tag: 'schemaDatamodel', files: [to] },
      script: true,
      exitCode: null,
      filters: NO_FILTER,
    });
    return (result.stdout ?? '').replace(/^-- This is an empty migration\.\s*$/m, '').trim();
  });
}

/** Writes prisma/<engine>/migrations/<stamp>_<name>/migration.sql with the pending diff. */
export function writeMigration(root: string, engine: Engine, name: string, sql: string, stamp: string): string {
  const baseDir = migrationsDir(root, engine);
  mkdirSync(baseDir, { recursive: true });
  const lockPath = join(baseDir, 'migration_lock.toml');
  if (!existsSync(lockPath)) {
    writeFileSync(
      lockPath,
      `# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\nprovider = "${engine}"\n`,
    );
  }
  const dir = join(baseDir, `${stamp}_${name}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'migration.sql'), `${sql}\n`);
  return dir;
}

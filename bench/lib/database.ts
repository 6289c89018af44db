// A throw-away database per bench case: a temporary SQLite file, or its own PostgreSQL schema
// (dropped afterwards). Also the direct driver connection the floor queries use.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import pg from 'pg';
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { createAdapterFactory } from '../../src/db/adapter.js';
import { type Database, type Db, PROJECT_ROOT, openDatabase } from '../../src/db/client.js';
import { parseDatabaseUrl } from '../../src/db/database-url.js';
import type { Engine } from '../../src/db/engine-schema.js';
import { applyMigrations } from '../../src/db/migrations.js';
import { PrismaClient as SqliteClient } from '../../src/generated/sqlite/client.js';

/** Runs one SQL statement directly on the driver and returns its rows. */
export type RawQuery = (sql: string, params?: unknown[]) => Promise<Array<Record<string, unknown>>>;

export interface BenchDatabase {
  engine: Engine;
  database: Database;
  /** The same database through better-sqlite3 / pg directly, no Prisma. */
  raw: RawQuery;
  dispose(): Promise<void>;
}

export interface BenchDatabaseOptions {
  pgUrl: string;
  /**
   * Experiment, SQLite only: make the driver adapter report this maxBindValues to Prisma
   * (it reports none, so Prisma assumes 999). Not what the app does; shows what the fix buys.
   */
  sqliteBindLimit?: number;
  /**
   * Experiment, PostgreSQL only: every read uses this relationLoadStrategy (the app sets none,
   * and with the relationJoins preview on, Prisma's default is 'join').
   */
  pgRelationStrategy?: 'join' | 'query';
}

const READS = new Set(['findMany', 'findFirst', 'findFirstOrThrow', 'findUnique', 'findUniqueOrThrow']);

/** The client with `relationLoadStrategy` set on every read that doesn't set its own. */
function withRelationStrategy(prisma: Db, strategy: 'join' | 'query'): Db {
  return prisma.$extends({
    query: {
      $allModels: {
        $allOperations({ operation, args, query }) {
          const a = args as { relationLoadStrategy?: string };
          if (READS.has(operation) && a.relationLoadStrategy === undefined) a.relationLoadStrategy = strategy;
          return query(args);
        },
      },
    },
  }) as unknown as Db;
}

/** The adapter factory with getConnectionInfo() reporting `maxBindValues`. */
function withMaxBindValues(factory: SqlMigrationAwareDriverAdapterFactory, maxBindValues: number): SqlMigrationAwareDriverAdapterFactory {
  const forward = (target: object, prop: string | symbol) => {
    const value = Reflect.get(target, prop);
    return typeof value === 'function' ? value.bind(target) : value;
  };
  return new Proxy(factory, {
    get(obj, prop) {
      if (prop !== 'connect') return forward(obj, prop);
      return async () => {
        const adapter = await obj.connect();
        return new Proxy(adapter, {
          get(a, p) {
            if (p !== 'getConnectionInfo') return forward(a, p);
            return () => ({ ...(a as SqlDriverAdapter).getConnectionInfo?.(), supportsRelationJoins: false, maxBindValues });
          },
        });
      };
    },
  });
}

async function openSqlite(file: string, bindLimit: number | undefined): Promise<Database> {
  const target = parseDatabaseUrl(`file:${file}`);
  if (!bindLimit) return openDatabase(target);
  const factory = createAdapterFactory(target);
  const appliedMigrations = await applyMigrations(PROJECT_ROOT, 'sqlite', factory);
  const prisma = new SqliteClient({ adapter: withMaxBindValues(factory, bindLimit) }) as Db;
  return { engine: 'sqlite', prisma, appliedMigrations, close: () => prisma.$disconnect() };
}

export async function createBenchDatabase(engine: Engine, options: BenchDatabaseOptions): Promise<BenchDatabase> {
  const { pgUrl } = options;
  if (engine === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'inventory-bench-'));
    const file = join(dir, 'inventory.db');
    const database = await openSqlite(file, options.sqliteBindLimit);
    let direct: Sqlite.Database | undefined;
    const statements = new Map<string, Sqlite.Statement>();
    return {
      engine,
      database,
      async raw(sql, params = []) {
        direct ??= new Sqlite(file, { readonly: true });
        let statement = statements.get(sql);
        if (!statement) {
          statement = direct.prepare(sql);
          statements.set(sql, statement);
        }
        return statement.all(...params) as Array<Record<string, unknown>>;
      },
      async dispose() {
        direct?.close();
        await database.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }

  const schema = `bench_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: pgUrl });
  await admin.connect();
  await admin.query(`CREATE SCHEMA "${schema}"`);
  const url = `${pgUrl}${pgUrl.includes('?') ? '&' : '?'}schema=${schema}`;
  let database: Database;
  try {
    database = await openDatabase(parseDatabaseUrl(url), { poolSize: 4 });
    if (options.pgRelationStrategy) database = { ...database, prisma: withRelationStrategy(database.prisma, options.pgRelationStrategy) };
  } catch (error) {
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin.end();
    throw error;
  }
  const direct = new pg.Client({ connectionString: pgUrl, options: `-c search_path="${schema}"` });
  await direct.connect();
  return {
    engine,
    database,
    async raw(sql, params = []) {
      return (await direct.query({ text: sql, values: params })).rows;
    },
    async dispose() {
      await direct.end();
      await database.close();
      await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await admin.end();
    },
  };
}

// A throw-away database per bench case: a temporary SQLite file, or its own PostgreSQL schema
// (dropped afterwards). Also the direct driver connection the floor queries use.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import pg from 'pg';
import { type Database, openDatabase } from '../../src/db/client.js';
import { parseDatabaseUrl } from '../../src/db/database-url.js';
import type { Engine } from '../../src/db/engine-schema.js';

/** Runs one SQL statement directly on the driver and returns its rows. */
export type RawQuery = (sql: string, params?: unknown[]) => Promise<Array<Record<string, unknown>>>;

export interface BenchDatabase {
  engine: Engine;
  database: Database;
  /** Its URL, for a gateway started as a separate process. */
  url: string;
  /** The same database through better-sqlite3 / pg directly, no Prisma. */
  raw: RawQuery;
  /** Writes through the driver directly, in one transaction. */
  exec(work: (run: (sql: string, params: unknown[]) => Promise<void>) => Promise<void>): Promise<void>;
  dispose(): Promise<void>;
}

export interface BenchDatabaseOptions {
  pgUrl: string;
}

export async function createBenchDatabase(engine: Engine, options: BenchDatabaseOptions): Promise<BenchDatabase> {
  const { pgUrl } = options;
  if (engine === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'inventory-bench-'));
    const file = join(dir, 'inventory.db');
    const database = await openDatabase(parseDatabaseUrl(`file:${file}`));
    let direct: Sqlite.Database | undefined;
    let writer: Sqlite.Database | undefined;
    const statements = new Map<string, Sqlite.Statement>();
    return {
      engine,
      database,
      url: `file:${file}`,
      async raw(sql, params = []) {
        direct ??= new Sqlite(file, { readonly: true });
        let statement = statements.get(sql);
        if (!statement) {
          statement = direct.prepare(sql);
          statements.set(sql, statement);
        }
        return statement.all(...params) as Array<Record<string, unknown>>;
      },
      async exec(work) {
        writer ??= new Sqlite(file, { timeout: 5000 });
        const connection = writer;
        connection.exec('BEGIN');
        try {
          await work(async (sql, params) => {
            connection.prepare(sql).run(...params);
          });
          connection.exec('COMMIT');
        } catch (error) {
          connection.exec('ROLLBACK');
          throw error;
        }
      },
      async dispose() {
        direct?.close();
        writer?.close();
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
    url,
    async raw(sql, params = []) {
      return (await direct.query({ text: sql, values: params })).rows;
    },
    async exec(work) {
      await direct.query('BEGIN');
      try {
        await work(async (sql, params) => {
          await direct.query({ text: sql, values: params });
        });
        await direct.query('COMMIT');
      } catch (error) {
        await direct.query('ROLLBACK');
        throw error;
      }
    },
    async dispose() {
      await direct.end();
      await database.close();
      await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await admin.end();
    },
  };
}

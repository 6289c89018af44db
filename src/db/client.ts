// Opens the configured database: applies pending migrations, then returns a Prisma client
// for its engine. Both engines' clients have the same generated types; the SQLite one's
// types stand for both. Only the target engine's driver and client are imported.
import { fileURLToPath } from 'node:url';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import type { PrismaClient as SqliteClient } from '../generated/sqlite/client.js';
import type { AdapterOptions } from './adapter.js';
import { type DatabaseTarget, ensureSqliteFolder } from './database-url.js';
import type { Engine } from './engine-schema.js';
import { applyMigrations } from './migrations.js';
import { closeListeners, registerNotifications } from './notifications.js';

export type Db = SqliteClient;
export type { Prisma } from '../generated/sqlite/client.js';

/** A transaction client: what services receive inside `db.$transaction`. */
export type Tx = Parameters<Parameters<Db['$transaction']>[0]>[0];

export const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface Database {
  engine: Engine;
  prisma: Db;
  /** The migrations this open applied (empty when the database was current). */
  appliedMigrations: string[];
  close(): Promise<void>;
}

export interface OpenOptions {
  migrate?: boolean;
  poolSize?: number;
}

const engines = new WeakMap<object, Engine>();

/** The engine of a client made by openDatabase, or of a transaction on one (raw SQL differs). */
export function engineOf(db: Db | Tx): Engine {
  const engine = engines.get(db);
  if (!engine) throw new Error('engineOf: this client was not opened by openDatabase');
  return engine;
}

const parents = new WeakMap<object, Db>();

/** Lets engineOf (and clientOf) answer for a transaction client of `db`. */
export function bindEngine(tx: Tx, db: Db): void {
  engines.set(tx, engineOf(db));
  parents.set(tx, db);
}

/** The client a transaction was opened on (by write() or an import), or `db` itself. */
export function clientOf(db: Db | Tx): Db {
  return parents.get(db) ?? (db as Db);
}

/** createAdapterFactory (./adapter.ts) importing only the target engine's driver. */
async function loadAdapterFactory(target: DatabaseTarget, options: AdapterOptions): Promise<SqlMigrationAwareDriverAdapterFactory> {
  return target.engine === 'sqlite'
    ? (await import('./sqlite-adapter.js')).createSqliteAdapterFactory(target)
    : (await import('./pg-adapter.js')).createPgAdapterFactory(target, options);
}

async function createClient(engine: Engine, adapter: SqlMigrationAwareDriverAdapterFactory): Promise<Db> {
  if (engine === 'sqlite') return new (await import('../generated/sqlite/client.js')).PrismaClient({ adapter });
  return new (await import('../generated/postgresql/client.js')).PrismaClient({ adapter }) as unknown as Db;
}

export async function openDatabase(target: DatabaseTarget, options: OpenOptions = {}): Promise<Database> {
  ensureSqliteFolder(target);
  const factory = await loadAdapterFactory(target, { poolSize: options.poolSize });
  const appliedMigrations = options.migrate === false ? [] : await applyMigrations(PROJECT_ROOT, target.engine, factory);
  const prisma = await createClient(target.engine, factory);
  engines.set(prisma, target.engine);
  if (target.engine === 'postgresql') registerNotifications(prisma, target.url);
  return {
    engine: target.engine,
    prisma,
    appliedMigrations,
    close: async () => {
      await closeListeners(prisma);
      await prisma.$disconnect();
    },
  };
}

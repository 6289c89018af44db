// One driver-adapter factory per engine; both count their statements.
import { randomUUID } from 'node:crypto';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import type { PoolConfig } from 'pg';
import { parseIntoClientConfig } from 'pg-connection-string';
import type { DatabaseTarget } from './database-url.js';
import { countingAdapterFactory } from './sql-counter.js';

export interface AdapterOptions {
  /** PostgreSQL pool size per process. */
  poolSize?: number;
}

export function createAdapterFactory(
  target: DatabaseTarget,
  options: AdapterOptions = {},
): SqlMigrationAwareDriverAdapterFactory {
  if (target.engine === 'sqlite') {
    // `timeout` is SQLite's busy timeout: writers from several processes wait instead of failing.
    const factory = new PrismaBetterSqlite3({ url: target.url, timeout: 5000 });
    return countingAdapterFactory(factory, async (adapter) => {
      await adapter.executeScript('PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;');
    });
  }
  // A parsed config, not `connectionString`, so that `database` can be overridden below.
  const url = new URL(target.url);
  const schema = url.searchParams.get('schema') ?? undefined;
  url.searchParams.delete('schema');
  const config: PoolConfig = {
    ...parseIntoClientConfig(url.toString()),
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: 5000,
    // Prisma qualifies its own queries with the schema; raw SQL finds tables by search_path.
    ...(schema ? { options: `-c search_path="${schema.replace(/"/g, '')}"` } : {}),
  };
  const factory = new PrismaPg(config, schema ? { schema } : undefined);
  return countingAdapterFactory(
    Object.assign(Object.create(factory), { connectToShadowDb: () => connectPgShadow(factory, config) }),
  );
}

// The schema engine replays migrations in a throw-away database. The adapter's own version
// drops that database while its pool is still connected, so it is done here in order.
async function connectPgShadow(admin: PrismaPg, config: PoolConfig): Promise<SqlDriverAdapter> {
  const adminConnection = await admin.connect();
  const database = `prisma_shadow_${randomUUID().replaceAll('-', '')}`;
  await adminConnection.executeScript(`CREATE DATABASE "${database}"`);
  const shadow = await new PrismaPg({ ...config, database }).connect();
  return new Proxy(shadow, {
    get(obj, prop, receiver) {
      if (prop === 'dispose') {
        return async () => {
          await obj.dispose();
          await adminConnection.executeScript(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
          await adminConnection.dispose();
        };
      }
      const value = Reflect.get(obj, prop, receiver);
      return typeof value === 'function' ? value.bind(obj) : value;
    },
  });
}

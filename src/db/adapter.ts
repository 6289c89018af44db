// One driver-adapter factory per engine; both count their statements.
import { randomUUID } from 'node:crypto';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import type { ConnectionInfo, SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import type { PoolConfig } from 'pg';
import { parseIntoClientConfig } from 'pg-connection-string';
import type { DatabaseTarget } from './database-url.js';
import { countingAdapterFactory } from './sql-counter.js';

export interface AdapterOptions {
  /** PostgreSQL pool size per process. */
  poolSize?: number;
}

export function createAdapterFactory(target: DatabaseTarget, options: AdapterOptions = {}): SqlMigrationAwareDriverAdapterFactory {
  if (target.engine === 'sqlite') {
    // `timeout` is SQLite's busy timeout: writers from several processes wait instead of failing.
    const factory = new PrismaBetterSqlite3({ url: target.url, timeout: 5000 });
    return countingAdapterFactory(withSqliteBindLimit(factory), async (adapter) => {
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
  return countingAdapterFactory(Object.assign(Object.create(factory), { connectToShadowDb: () => connectPgShadow(factory, config) }));
}

/** SQLite's limit on bound variables in one statement (SQLITE_MAX_VARIABLE_NUMBER since 3.32). */
export const SQLITE_MAX_BIND_VALUES = 32_766;

// The better-sqlite3 adapter does not report its connection info, so Prisma assumes SQLite's
// old limit of 999 bound values and fails (P2029) or splits IN-lists on large nested levels.
function withSqliteBindLimit(factory: PrismaBetterSqlite3): SqlMigrationAwareDriverAdapterFactory {
  const info: ConnectionInfo = { maxBindValues: SQLITE_MAX_BIND_VALUES, supportsRelationJoins: false };
  return new Proxy(factory, {
    get(obj, prop, receiver) {
      if (prop === 'connect') {
        return async () => {
          const adapter = await obj.connect();
          return new Proxy(adapter, {
            get(target, name, r) {
              if (name === 'getConnectionInfo') return () => info;
              const member = Reflect.get(target, name, r);
              return typeof member === 'function' ? member.bind(target) : member;
            },
          });
        };
      }
      const value = Reflect.get(obj, prop, receiver);
      return typeof value === 'function' ? value.bind(obj) : value;
    },
  });
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

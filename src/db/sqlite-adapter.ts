// The SQLite driver-adapter factory (better-sqlite3), counting its statements.
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import type { ConnectionInfo, SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import type { DatabaseTarget } from './database-url.js';
import { countingAdapterFactory } from './sql-counter.js';

/** SQLite's limit on bound variables in one statement (SQLITE_MAX_VARIABLE_NUMBER since 3.32). */
export const SQLITE_MAX_BIND_VALUES = 32_766;

export function createSqliteAdapterFactory(target: DatabaseTarget): SqlMigrationAwareDriverAdapterFactory {
  // `timeout` is SQLite's busy timeout: writers from several processes wait instead of failing.
  const factory = new PrismaBetterSqlite3({ url: target.url, timeout: 5000 });
  return countingAdapterFactory(withSqliteBindLimit(factory), async (adapter) => {
    await adapter.executeScript('PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;');
  });
}

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

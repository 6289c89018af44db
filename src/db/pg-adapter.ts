// The PostgreSQL driver-adapter factory (pg), counting its statements.
import { randomUUID } from 'node:crypto';
import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import type { PoolConfig } from 'pg';
import { parseIntoClientConfig } from 'pg-connection-string';
import type { AdapterOptions } from './adapter.js';
import type { DatabaseTarget } from './database-url.js';
import { countingAdapterFactory } from './sql-counter.js';

export function createPgAdapterFactory(target: DatabaseTarget, options: AdapterOptions = {}): SqlMigrationAwareDriverAdapterFactory {
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

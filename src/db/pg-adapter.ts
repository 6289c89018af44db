// The PostgreSQL driver-adapter factory (pg), counting its statements.
import { createHash, randomUUID } from 'node:crypto';
import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import type { PoolConfig } from 'pg';
import { parseIntoClientConfig } from 'pg-connection-string';
import type { AdapterOptions } from './adapter.js';
import type { DatabaseTarget } from './database-url.js';
import { isPreparedWithLists } from './prepared-with-lists.js';
import { countingAdapterFactory } from './sql-counter.js';

export function createPgAdapterFactory(target: DatabaseTarget, options: AdapterOptions = {}): SqlMigrationAwareDriverAdapterFactory {
  // A parsed config, not `connectionString`, so that `database` can be overridden below.
  const url = new URL(target.url);
  const schema = url.searchParams.get('schema') ?? undefined;
  url.searchParams.delete('schema');
  const parsed = parseIntoClientConfig(url.toString());
  const config: PoolConfig = {
    ...parsed,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: 5000,
    options: sessionOptions(schema, parsed.options),
  };
  const factory = new PrismaPg(config, { ...(schema ? { schema } : {}), statementNameGenerator: preparedStatementName() });
  return countingAdapterFactory(Object.assign(Object.create(factory), { connectToShadowDb: () => connectPgShadow(factory, config) }));
}

/**
 * Settings for every session of ours, before the URL's own `options` (a later `-c` wins, so an
 * operator can turn any of them back).
 * - search_path: Prisma qualifies its own queries with the schema; raw SQL finds tables by it.
 * - jit=off: a compiled read is one statement of many correlated subplans whose estimated cost
 *   crosses jit_above_cost (100,000) at a few thousand devices though it runs in milliseconds, and
 *   PostgreSQL JIT-compiles it anew on every execution: 44 ms of a 95 ms dashboard tree at 10,000
 *   devices (EXPLAIN ANALYZE, bench/suites/postgraphile.ts's tree). Nothing we run is the long
 *   analytic query JIT pays off for.
 */
function sessionOptions(schema: string | undefined, fromUrl: string | undefined): string {
  const ours = ['-c jit=off', ...(schema ? [`-c search_path="${schema.replace(/"/g, '')}"`] : [])];
  return [...ours, ...(fromUrl ? [fromUrl] : [])].join(' ');
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

/**
 * Names (and so prepares, once per connection) statements that repeat: a named statement skips
 * PostgreSQL's parse on every later execution. A statement gets a name the second time its text is
 * seen, and at most MAX_PREPARED texts ever get one, so neither our map nor a backend's
 * prepared-statement memory grows with the variety of SQL a long-running server sees.
 *
 * Two kinds of statement are never named, because after five runs of a named statement PostgreSQL
 * may switch to one generic plan, and theirs must be made for the values at hand:
 * - more than MAX_PREPARED_PARAMETERS parameters (an IN list of an import's batch, a multi-row
 *   INSERT): a generic plan cannot hash a list of parameters. `id IN ($1 … $2000)` then compared
 *   every row of the table with every parameter: 2–4 s a statement on a 130,000-device table,
 *   where the plan for the values takes milliseconds. Their parse is a small part of their cost;
 * - a list bound as one array parameter (`= ANY($1::text[])`, the bulk key reads of where-in.ts):
 *   an import grows its tables from nothing in one transaction, and a generic plan chosen while a
 *   table was small (a sequential scan comparing every row with the array) stayed in use once it
 *   was large: reading 2,000 components by xname took 1–2.6 s a statement by the end of a
 *   10,000-node cani import. (Forcing custom plans for the whole import instead had PostgreSQL
 *   re-plan every foreign-key check of every row inserted: the import's INSERTs ran at half speed.)
 * A statement registered with preparedWithLists (prepared-with-lists.ts) is named from its first run.
 */
const MAX_PREPARED = 256;
const MAX_PREPARED_PARAMETERS = 100;
function preparedStatementName(): (query: { sql: string; args?: readonly unknown[] }) => string {
  const names = new Map<string, string>();
  const seenOnce = new Set<string>();
  return ({ sql, args }) => {
    const registered = isPreparedWithLists(sql);
    if (!registered && ((args?.length ?? 0) > MAX_PREPARED_PARAMETERS || args?.some(Array.isArray))) return undefined as unknown as string;
    const known = names.get(sql);
    if (known !== undefined) return known;
    if (!registered && (names.size >= MAX_PREPARED || !seenOnce.has(sql))) {
      if (seenOnce.size < MAX_PREPARED * 16) seenOnce.add(sql);
      return undefined as unknown as string;
    }
    const name = `g${createHash('sha1').update(sql).digest('base64url')}`;
    names.set(sql, name);
    return name;
  };
}

// One driver-adapter factory per engine; both count their statements. Each engine's lives in
// its own file so that openDatabase imports only the driver it uses (src/db/client.ts: pg and
// its adapter cost a SQLite gateway ~0.2 s and ~3 MiB at start-up); this synchronous form,
// which loads both, is for tools and tests.
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import type { DatabaseTarget } from './database-url.js';
import { createPgAdapterFactory } from './pg-adapter.js';
import { createSqliteAdapterFactory } from './sqlite-adapter.js';

export interface AdapterOptions {
  /** PostgreSQL pool size per process. */
  poolSize?: number;
}

export function createAdapterFactory(target: DatabaseTarget, options: AdapterOptions = {}): SqlMigrationAwareDriverAdapterFactory {
  return target.engine === 'sqlite' ? createSqliteAdapterFactory(target) : createPgAdapterFactory(target, options);
}

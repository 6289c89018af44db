// Creates a new migration for every engine from the change to prisma/models.prisma.
//   npm run db:migration -- <name>
// PostgreSQL's diff replays the migrations in a throw-away database, so it needs a server:
// MIGRATION_DATABASE_URL (default postgresql://postgres@127.0.0.1:5432/postgres).
import { fileURLToPath } from 'node:url';
import { createAdapterFactory } from '../src/db/adapter.js';
import { ENGINES, type Engine } from '../src/db/engine-schema.js';
import { diffMigrationsToSchema, writeMigration } from '../src/db/migrations.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error('usage: npm run db:migration -- <name>   (name: lowercase letters, digits and _)');
  process.exit(2);
}
const pgUrl = process.env.MIGRATION_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);

function factoryFor(engine: Engine) {
  const target = engine === 'sqlite' ? { engine, url: ':memory:' } : { engine, url: pgUrl };
  return createAdapterFactory(target);
}

for (const engine of ENGINES) {
  const sql = await diffMigrationsToSchema(root, engine, factoryFor(engine));
  if (!sql) {
    console.log(`${engine}: the migrations already match the schema`);
    continue;
  }
  console.log(`${engine}: wrote ${writeMigration(root, engine, name, sql, stamp).slice(root.length)}`);
}

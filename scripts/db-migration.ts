// Creates a new migration for every engine from the change to prisma/models.prisma.
//   npm run db:migration -- <name> [--from-git REV]
// SQLite: the schema engine replays the migrations in memory and diffs them with the schema.
// PostgreSQL: the WebAssembly engine cannot describe a PostgreSQL database, so the diff runs
// from the schema as committed at REV (default HEAD; the drift tests keep committed schema
// and migrations in step) to the schema in the working tree. No database is needed.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createAdapterFactory } from '../src/db/adapter.js';
import { engineSchemaPath } from '../src/db/engine-schema.js';
import { diffDatamodels, diffMigrationsToSchema, writeMigration } from '../src/db/migrations.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { 'from-git': { type: 'string', default: 'HEAD' }, help: { type: 'boolean' } },
});
const name = positionals[0];
if (values.help || !name || !/^[a-z0-9_]+$/.test(name)) {
  console.error('usage: npm run db:migration -- <name> [--from-git REV]   (name: lowercase letters, digits and _)');
  process.exit(values.help ? 0 : 2);
}
const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
// Neither diff touches a real database: SQLite replays into memory, PostgreSQL compares models.
const sqliteFactory = createAdapterFactory({ engine: 'sqlite', url: ':memory:' });

const sqliteSql = await diffMigrationsToSchema(root, 'sqlite', sqliteFactory);
report('sqlite', sqliteSql);

const pgPath = engineSchemaPath(root, 'postgresql');
const committed = execFileSync('git', ['show', `${values['from-git']}:${relative(root, pgPath)}`], { cwd: root, encoding: 'utf8' });
const pgSql = await diffDatamodels(
  'postgresql',
  sqliteFactory,
  { path: pgPath, content: committed },
  { path: pgPath, content: readFileSync(pgPath, 'utf8') },
);
report('postgresql', pgSql);

function report(engine: 'sqlite' | 'postgresql', sql: string) {
  if (!sql) console.log(`${engine}: the migrations already match the schema`);
  else console.log(`${engine}: wrote ${relative(root, writeMigration(root, engine, name, sql, stamp))}`);
}

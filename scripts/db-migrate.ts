// Applies pending migrations to the configured database (what start-up does), then exits.
//   npm run db:migrate [-- --database-url URL]     (default: DATABASE_URL, then file:./data/inventory.db)
import { parseArgs } from 'node:util';
import { openDatabase } from '../src/db/client.js';
import { DEFAULT_DATABASE_URL, parseDatabaseUrl, redactUrl } from '../src/db/database-url.js';

const { values } = parseArgs({ options: { 'database-url': { type: 'string' }, help: { type: 'boolean' } } });
if (values.help) {
  console.log(
    'usage: npm run db:migrate [-- --database-url <file:path | postgresql://…>]\nApplies the migrations the database has not had yet.',
  );
  process.exit(0);
}
const url = values['database-url'] ?? process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
try {
  const database = await openDatabase(parseDatabaseUrl(url));
  await database.close();
  const applied = database.appliedMigrations;
  console.log(`${redactUrl(url)}: ${applied.length ? `applied ${applied.join(', ')}` : 'already up to date'}`);
} catch (error) {
  console.error(`${redactUrl(url)}: ${(error as Error).message}`);
  process.exit(1);
}

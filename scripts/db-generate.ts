// Writes one Prisma schema per engine from prisma/models.prisma and generates a client for
// each (plus the Pothos types from the SQLite one; the two clients have the same types).
// Runs with no network: `prisma generate` never executes the schema engine, so it is pointed
// at an existing file instead of letting the CLI download one.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ENGINES, engineSchemaPath, renderEngineSchema } from '../src/db/engine-schema.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const onlyWrite = process.argv.includes('--schemas-only');

for (const engine of ENGINES) {
  const path = engineSchemaPath(root, engine);
  writeFileSync(path, renderEngineSchema(root, engine));
  if (onlyWrite) continue;
  execFileSync(process.execPath, ['node_modules/prisma/build/index.js', 'generate', '--schema', path], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.execPath, PRISMA_HIDE_UPDATE_MESSAGE: '1' },
  });
  console.log(`generated the ${engine} client from ${path.slice(root.length)}`);
}

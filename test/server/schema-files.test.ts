// The committed artefacts made from sources must match them: the per-engine Prisma schemas,
// the migrations, and the printed GraphQL SDL.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdapterFactory } from '../../src/db/adapter.js';
import { PROJECT_ROOT } from '../../src/db/client.js';
import { ENGINES, engineSchemaPath, renderEngineSchema } from '../../src/db/engine-schema.js';
import { diffMigrationsToSchema } from '../../src/db/migrations.js';
import { getDatamodel } from '../../src/generated/pothos-types.js';
import { createTestDatabase, TEST_ENGINE, type TestDatabase } from '../support/database.js';

describe('generated files are current', () => {
  it.each(ENGINES)('prisma/%s/schema.prisma is what prisma/models.prisma makes', (engine) => {
    const onDisk = readFileSync(engineSchemaPath(PROJECT_ROOT, engine), 'utf8');
    expect(onDisk, 'run `npm run db:generate` and commit the result').toBe(renderEngineSchema(PROJECT_ROOT, engine));
  });

  it('schema.graphql is what the Pothos schema prints', () => {
    try {
      execFileSync(
        process.execPath,
        ['--import', 'tsx', 'node_modules/@graphql-codegen/cli/cjs/bin.js', '--config', 'codegen.ts', '--check'],
        {
          cwd: PROJECT_ROOT,
          stdio: 'pipe',
        },
      );
    } catch (error) {
      const output = `${(error as { stdout?: Buffer }).stdout ?? ''}${(error as { stderr?: Buffer }).stderr ?? ''}`;
      expect.fail(`schema.graphql is stale: run \`npm run schema:print\` and commit it.\n${output}`);
    }
  });
});

describe('migrations match the schema', () => {
  it('SQLite: the schema engine finds nothing left to migrate', async () => {
    const factory = createAdapterFactory({ engine: 'sqlite', url: ':memory:' });
    const pending = await diffMigrationsToSchema(PROJECT_ROOT, 'sqlite', factory);
    expect(pending, 'run `npm run db:migration -- <name>` and commit the new migrations').toBe('');
  });

  // The WebAssembly schema engine cannot describe a PostgreSQL database through the pg
  // adapter, so the applied migrations are compared with the datamodel column by column.
  describe.runIf(TEST_ENGINE === 'postgresql')('PostgreSQL', () => {
    let db: TestDatabase;
    beforeAll(async () => {
      db = await createTestDatabase();
    });
    afterAll(() => db.destroy());

    it('every model has its table and every scalar field its column, with the same nullability', async () => {
      const columns = await db.prisma.$queryRaw<Array<{ table_name: string; column_name: string; is_nullable: string }>>`
        SELECT table_name, column_name, is_nullable FROM information_schema.columns WHERE table_schema = current_schema()`;
      const actual = new Set(columns.map((c) => `${c.table_name}.${c.column_name}:${c.is_nullable === 'NO' ? 'required' : 'optional'}`));
      const expected = Object.entries(getDatamodel().datamodel.models).flatMap(([model, { fields }]) =>
        fields
          .filter((f) => f.kind === 'scalar' || f.kind === 'enum')
          .map((f) => `${model}.${f.name}:${f.isRequired ? 'required' : 'optional'}`),
      );
      expect(expected.filter((e) => !actual.has(e))).toEqual([]);
      const modelTables = new Set(Object.keys(getDatamodel().datamodel.models));
      const extra = [...actual].filter((a) => !a.startsWith('_prisma_migrations') && !modelTables.has(a.split('.')[0]));
      expect(extra).toEqual([]);
    });
  });
});

// Builds each engine's Prisma schema from the single source, prisma/models.prisma.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const ENGINES = ['sqlite', 'postgresql'] as const;
export type Engine = (typeof ENGINES)[number];

const generators: Record<Engine, string> = {
  sqlite: `generator client {
  provider               = "prisma-client"
  output                 = "../../src/generated/sqlite"
  moduleFormat           = "esm"
  importFileExtension    = "js"
}

generator pothos {
  provider          = "prisma-pothos-types"
  output            = "../../src/generated/pothos-types.ts"
  clientOutput      = "./sqlite/client.js"
  generateDatamodel = "true"
}`,
  postgresql: `generator client {
  provider               = "prisma-client"
  output                 = "../../src/generated/postgresql"
  moduleFormat           = "esm"
  importFileExtension    = "js"
}`,
};

export function engineSchemaPath(root: string, engine: Engine): string {
  return join(root, 'prisma', engine, 'schema.prisma');
}

export function migrationsDir(root: string, engine: Engine): string {
  return join(root, 'prisma', engine, 'migrations');
}

export function renderEngineSchema(root: string, engine: Engine): string {
  const models = readFileSync(join(root, 'prisma', 'models.prisma'), 'utf8');
  return `// Generated from prisma/models.prisma by \`npm run db:generate\`: edit that file, not this one.

datasource db {
  provider = "${engine}"
}

${generators[engine]}

${models}`;
}

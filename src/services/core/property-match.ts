// Finds rows whose `properties` has a key with a value, on either engine. Keys may contain
// dots (`bios.release_date` is one key), so they are quoted as one JSON path member.

import type { Db } from '../../db/client.js';
import type { Engine } from '../../db/engine-schema.js';
import { Prisma } from '../../generated/sqlite/client.js';

const TABLES = { Device: Prisma.sql`"Device"`, Location: Prisma.sql`"Location"`, Rack: Prisma.sql`"Rack"` } as const;

export async function propertyMatchIds(db: Db, engine: Engine, table: keyof typeof TABLES, key: string, value: string): Promise<string[]> {
  const from = TABLES[table];
  const rows =
    engine === 'postgresql'
      ? await db.$queryRaw<Array<{ id: string }>>`SELECT "id" FROM ${from} WHERE ("properties" ->> ${key}) = ${value}`
      : await db.$queryRaw<Array<{ id: string }>>`
          SELECT "id" FROM ${from}
          WHERE (CASE json_type("properties", ${`$."${key.replace(/"/g, '')}"`})
                   WHEN 'true' THEN 'true' WHEN 'false' THEN 'false'
                   ELSE CAST(json_extract("properties", ${`$."${key.replace(/"/g, '')}"`}) AS TEXT) END) = ${value}`;
  return rows.map((r) => r.id);
}

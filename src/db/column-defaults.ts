// The column defaults each table declares, read from the database's own catalog (what the
// migrations made, not a copy of the schema), once per client, by the first bulk write that needs
// them: written-rows.ts fills the columns an INSERT left out with them instead of reading the
// rows back. The read is not counted in the write's statements (sql-counter.ts), so a write's
// count does not depend on whether it came first.
import { clientOf, engineOf, type Tx } from './client.js';
import { withStatementScope } from './sql-counter.js';

/** The current timestamp (a default insertRows always fills itself). */
export const NOW = Symbol('now');
/** A default not evaluable here (a sequence, a function): the table's rows are read back. */
export const UNKNOWN = Symbol('unknown');
export type Default = string | number | boolean | null | typeof NOW | typeof UNKNOWN;

/** A catalog default expression (SQLite's dflt_value, PostgreSQL's column_default) as a value. */
export function parseDefault(expression: string | null): Default {
  if (expression === null) return null;
  // PostgreSQL writes a literal's type after it: 'active'::text.
  const text = expression.trim().replace(/::[a-z ]+(\(\d+\))?$/i, '');
  const quoted = /^'((?:[^']|'')*)'$/.exec(text);
  if (quoted) return quoted[1].replaceAll("''", "'");
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  if (/^(true|false)$/i.test(text)) return text.toLowerCase() === 'true';
  if (/^null$/i.test(text)) return null;
  if (/^(current_timestamp|now\(\))$/i.test(text)) return NOW;
  return UNKNOWN;
}

type Defaults = ReadonlyMap<string, ReadonlyMap<string, Default>>;
const byClient = new WeakMap<object, Promise<Defaults>>();

const CATALOG = {
  sqlite: `SELECT m.name AS "table", p.name AS "column", p.dflt_value AS "expression"
           FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table'`,
  postgresql: `SELECT table_name AS "table", column_name AS "column", column_default AS "expression"
               FROM information_schema.columns WHERE table_schema = current_schema()`,
};

async function readCatalog(tx: Tx): Promise<Defaults> {
  // Awaited inside the scope: Prisma sends a query when it is awaited, not when it is made.
  const columns = await withStatementScope(
    { statements: 0 },
    async () => await tx.$queryRawUnsafe<Array<{ table: string; column: string; expression: string | null }>>(CATALOG[engineOf(tx)]),
  );
  const tables = new Map<string, Map<string, Default>>();
  for (const { table, column, expression } of columns) {
    let found = tables.get(table);
    if (!found) tables.set(table, (found = new Map()));
    found.set(column, parseDefault(expression));
  }
  return tables;
}

/** The defaults of `model`'s table, by column; undefined when one is not evaluable here. */
export async function columnDefaults(tx: Tx, model: string): Promise<ReadonlyMap<string, Default> | undefined> {
  const client = clientOf(tx);
  let catalog = byClient.get(client);
  if (!catalog) {
    catalog = readCatalog(tx);
    byClient.set(client, catalog);
    catalog.catch(() => byClient.delete(client));
  }
  const table = (await catalog).get(model);
  return table && ![...table.values()].includes(UNKNOWN) ? table : undefined;
}

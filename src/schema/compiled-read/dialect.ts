// The SQL that differs between the engines in a compiled read: how a value becomes JSON text,
// how text is concatenated and aggregated, how a DateTime and a Relay id are written, and how
// values are bound. sql.ts writes the statement's shape once and asks the dialect for these.
//
// PostgreSQL stores booleans, jsonb and timestamp(3) natively; SQLite (through Prisma's
// better-sqlite3 adapter) stores booleans as 0/1, Json as its JSON text and DateTime as ISO text
// with an offset, and has no base64: the Relay id is written as a marker the executor replaces
// after the query (globalIdsInText). Both need SQLite 3.44+ (concat(), string_agg … ORDER BY),
// which better-sqlite3 12 bundles.
import { createRequire } from 'node:module';
import type { Engine } from '../../services/core/index.js';

// pg only when a PostgreSQL statement is written (it is loaded already then): a gateway on
// SQLite never loads the PostgreSQL driver (test/server/start-up-footprint.test.ts).
let pgEscapeLiteral: ((text: string) => string) | undefined;
const escapeLiteral = (text: string): string => {
  pgEscapeLiteral ??= (createRequire(import.meta.url)('pg') as typeof import('pg')).escapeLiteral;
  return pgEscapeLiteral(text);
};

/** Prisma's scalar type of a column (String, Int, BigInt, Float, Boolean, DateTime, Json …). */
export type ScalarType = string;

export interface SqlDialect {
  /** The placeholder for the n-th (1-based) bound value, with PostgreSQL's cast where it has one. */
  placeholder(n: number, cast: string): string;
  /** A value as the driver should bind it (SQLite binds no booleans and no arrays). */
  bindValue(value: unknown): unknown;
  /**
   * A filter value or page size written into the statement's text, or undefined to bind it. The
   * text then names the plan: PostgreSQL re-plans a prepared statement on every execution when its
   * generic plan looks costlier than one made for the values, as it does for any value rarer than
   * its column's average (deviceType "Cabinet": 0.8-1.8 ms of planning per one-cabinet tree, more
   * than a tenth of the request); with the value in the text, the plan is made once per connection.
   * Absent where the engine keeps no plans across statements (SQLite): every value is bound.
   */
  literal?(value: unknown, cast: string): string | undefined;
  /** Whether the engine has LATERAL joins: a nested list may then be written as rows of its own (sql.ts). */
  lateral: boolean;
  /** JSON text of a column of this Prisma type, `null` for NULL. */
  jsonOf(column: string, type: ScalarType): string;
  /** JSON text of a DateTime column as the scalar writes it (Date#toISOString), `null` for NULL. */
  jsonDateTime(column: string): string;
  /** JSON text of the Relay global id of `alias`'s row (base64 of "Type:id", as plugin-relay). */
  globalId(typeName: string, alias: string): string;
  /** A count as JSON text. */
  countText(count: string): string;
  /** `column` is one of the bound list (already a placeholder). */
  inList(column: string, list: string): string;
  /** The cast used for a bound list of `cast` values. */
  listCast(cast: string): string;
  /** The finished statement as the driver takes it. */
  finish(sql: string, params: unknown[]): { sql: string; params: unknown[] };
}

/** PostgreSQL functions take at most 100 arguments; SQLite's concat() at most 127 by default. */
const CONCAT_ARGUMENTS = 100;

/** concat() of `parts`, nested when there are more than one call may take (both engines). */
export function concat(parts: string[]): string {
  if (parts.length <= CONCAT_ARGUMENTS) return `concat(${parts.join(', ')})`;
  const chunks: string[] = [];
  for (let i = 0; i < parts.length; i += CONCAT_ARGUMENTS) chunks.push(concat(parts.slice(i, i + CONCAT_ARGUMENTS)));
  return concat(chunks);
}

const postgresql: SqlDialect = {
  placeholder: (n, cast) => `$${n}::${cast}`,
  bindValue: (value) => value,
  literal: (value, cast) => {
    if (cast === 'boolean' && typeof value === 'boolean') return String(value);
    if (cast === 'int' && Number.isSafeInteger(value)) return `${value}::int`;
    // pg's escapeLiteral quotes as libpq does (E'' when there is a backslash, whatever
    // standard_conforming_strings says); a NUL cannot be in a statement's text, so it is bound
    // (and refused by PostgreSQL as any NUL in text is).
    if (cast === 'text' && typeof value === 'string' && !value.includes('\0')) return `${escapeLiteral(value)}::text`;
    return undefined;
  },
  lateral: true,
  jsonOf: (column) => `COALESCE(to_json(${column})::text, 'null')`,
  // Prisma stores UTC in timestamp(3).
  jsonDateTime: (column) => `COALESCE(to_json(to_char(${column}, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))::text, 'null')`,
  globalId: (typeName, alias) =>
    `'"' || translate(encode(convert_to('${typeName}:' || ${alias}."id", 'UTF8'), 'base64'), E'\\n', '') || '"'`,
  countText: (count) => `(${count})::text`,
  inList: (column, list) => `${column} = ANY(${list})`,
  listCast: (cast) => `${cast}[]`,
  finish: (sql, params) => ({ sql, params }),
};

/**
 * Marks a Relay id in SQLite's JSON text: a raw U+0001, which json_quote and JSON.stringify
 * always escape, so no stored value can contain it unescaped.
 */
const GLOBAL_ID_MARK = '\u0001';
const MARKED_GLOBAL_ID = new RegExp(`"${GLOBAL_ID_MARK}([^"]*)"`, 'g');

/** SQLite's answer with every marked Relay id written as plugin-relay writes it. */
export function globalIdsInText(text: string): string {
  return text.replace(MARKED_GLOBAL_ID, (_, raw: string) => `"${Buffer.from(raw, 'utf8').toString('base64')}"`);
}

const sqlite: SqlDialect = {
  placeholder: (n) => `?${n}`,
  bindValue: (value) => {
    if (typeof value === 'boolean') return value ? 1 : 0;
    if (Array.isArray(value)) return JSON.stringify(value);
    return value;
  },
  lateral: false,
  jsonOf: (column, type) => {
    if (type === 'Boolean') return `(CASE ${column} WHEN 1 THEN 'true' WHEN 0 THEN 'false' ELSE 'null' END)`;
    // Stored as the JSON text JSON.stringify wrote: embedded as it is.
    if (type === 'Json') return `COALESCE(${column}, 'null')`;
    return `json_quote(${column})`;
  },
  jsonDateTime: (column) => `json_quote(strftime('%Y-%m-%dT%H:%M:%fZ', ${column}))`,
  globalId: (typeName, alias) => `('"' || char(1) || '${typeName}:' || ${alias}."id" || '"')`,
  countText: (count) => `CAST((${count}) AS TEXT)`,
  inList: (column, list) => `${column} IN (SELECT value FROM json_each(${list}))`,
  listCast: (cast) => cast,
  // better-sqlite3 takes `?NNN` for a named parameter, and Prisma binds a list: each numbered
  // placeholder becomes a plain `?` with its value at that place in the text. No literal of a
  // compiled statement contains `?` (keys are GraphQL names, the rest fixed text).
  finish: (sql, params) => {
    const ordered: unknown[] = [];
    const text = sql.replace(/\?(\d+)/g, (_, n: string) => {
      ordered.push(params[Number(n) - 1]);
      return '?';
    });
    return { sql: text, params: ordered };
  },
};

export const DIALECTS: Readonly<Record<Engine, SqlDialect>> = { postgresql, sqlite };

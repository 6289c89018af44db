// A read plan as one SQL statement whose rows, joined in order, are the response's `data` as
// JSON text. Each object is written inline as text, `{"key":value,…}` in the order the document
// asks for its fields (each value escaped as JSON by the database); each nested list is a
// correlated subquery whose string_agg(… ORDER BY …) keeps the resolvers' order; a to-one
// relation by foreign key is a LEFT JOIN in its parent's FROM (fields.ts says why, and why not
// the others); a connection's totalCount is a COUNT subquery in the same statement. Text
// concatenation, rather than row_to_json of a sub-select per row, spares PostgreSQL a subplan per
// object: about 30% less database CPU on a 10,000 device tree.
//
// A root connection's edges are rows of their own (one per edge, numbered in page order), between
// rows of the text around them, rather than one string_agg of the whole page: every enclosing
// concat would copy the whole answer again, and on PostgreSQL each copy of a string that large is
// memory the backend takes from the system and gives back per statement. Measured on the bench's
// 10,000-device site, the same statement repeated on a fresh connection: the 500-cabinet tree
// 62 → 40 ms and 2,270 → 645 page faults per statement, one cabinet 13.9 → 12.0 ms and 533 → 392.
// answerText joins the rows.
//
// What differs between PostgreSQL and SQLite is in dialect.ts. Ids and lists are bound
// parameters; filter values and page sizes are too, except on PostgreSQL, where they are quoted
// into the text (dialect.literal says why, inlineValues how often); identifiers are response
// keys, which GraphQL limits to [_A-Za-z][_0-9A-Za-z]*, and the fixed names of fields.ts.
import { getArgumentValues } from 'graphql';
import { InventoryError } from '../../domain/errors.js';
import { concat, DIALECTS, type SqlDialect } from './dialect.js';
import type { RootContext, TypeSql } from './fields.js';
import { COMPILED_TYPES } from './fields.js';
import { NotCompilable } from './not-compilable.js';
import type { PlannedField, PlannedRoot, ReadPlan } from './plan.js';
import { scalarTypesOf, whereSql } from './prisma-where.js';

export interface ReadSql {
  sql: string;
  params: unknown[];
}

/** A row of the statement: a segment's number and one piece of its text (an edge, or the text between). */
export interface AnswerRow {
  seg: number | bigint;
  piece: string;
}

/**
 * The answer's text, in the order the statement writes it: fixed text (SQL expressions of JSON
 * text, one row) and a root connection's edges (a row per edge, which answerText separates
 * with commas).
 */
class Answer {
  private readonly segments: Array<{ pieces: string[] } | { edges: { element: string; from: string; orderBy: string } }> = [];

  text(...pieces: string[]): void {
    const last = this.segments.at(-1);
    if (last && 'pieces' in last) last.pieces.push(...pieces);
    else this.segments.push({ pieces });
  }

  /** `{"k1":…,"k2":…}`: each member's key, then what `write` writes for it. */
  async object<T extends { key: string }>(members: readonly T[], write: (member: T) => void | Promise<void>): Promise<void> {
    for (const [i, member] of members.entries()) {
      this.text(memberKey(member.key, i));
      await write(member);
    }
    this.text(`'}'`);
  }

  /** `[e1,…]` of the JSON-text `element` of every row `from` gives, a row each, in `orderBy` order. */
  edges(element: string, from: string, orderBy: string): void {
    this.text(`'['`);
    this.segments.push({ edges: { element, from, orderBy } });
    this.text(`']'`);
  }

  sql(): string {
    const parts = this.segments.map((segment, seg) =>
      'pieces' in segment
        ? `SELECT ${seg} AS seg, 0 AS n, ${concat(segment.pieces)} AS piece`
        : `SELECT ${seg} AS seg, row_number() OVER (ORDER BY ${segment.edges.orderBy}) AS n, ${segment.edges.element} AS piece FROM ${segment.edges.from}`,
    );
    // UNION ALL promises no order: the sort does (the edges arrive numbered in page order).
    return `SELECT seg, piece FROM (${parts.join(' UNION ALL ')}) answer ORDER BY seg, n`;
  }
}

/** The response's `data` as JSON text from the statement's rows (edges of one segment are comma-separated). */
export function answerText(rows: readonly AnswerRow[]): string {
  let text = '';
  let previous: number | undefined;
  for (const { seg, piece } of rows) {
    const current = Number(seg);
    if (current === previous) text += ',';
    text += piece;
    previous = current;
  }
  return text;
}

/** The statement being written: its dialect, bound values and fresh table aliases. */
class Statement {
  readonly params: unknown[] = [];
  private aliases = 0;

  /** `inline`: filter values and page sizes may be written into the text (dialect.literal). */
  constructor(
    readonly dialect: SqlDialect,
    private readonly inline: boolean,
  ) {}

  bind = (value: unknown, cast: string): string => {
    this.params.push(this.dialect.bindValue(value));
    return this.dialect.placeholder(this.params.length, cast);
  };

  /** A filter value or a page size: in the text where the dialect writes it and this statement may, else bound. */
  value = (value: unknown, cast: string): string =>
    (this.inline ? this.dialect.literal?.(value, cast) : undefined) ?? this.bind(value, cast);

  alias(): string {
    return `t${this.aliases++}`;
  }
}

/** A JSON string literal known at planning time (type names). */
const jsonLiteral = (text: string) => `'"${text}"'`;

/** The SQL literal opening the i-th member of an object: `{"key":` or `,"key":`. */
const memberKey = (key: string, i: number) => `'${i === 0 ? '{' : ','}"${key}":'`;

/** `{"k1":v1,…}` from [key, JSON-text expression] pairs, keys in the given order. */
function jsonObject(members: Array<[string, string]>): string {
  return concat([...members.flatMap(([key, value], i) => [memberKey(key, i), value]), `'}'`]);
}

/** `[e1,…]` of the JSON-text `element` of every row `from` gives, in `orderBy` order. */
function jsonArray(element: string, from: string, orderBy?: string): string {
  return `COALESCE((SELECT '[' || string_agg(${element}, ','${orderBy ? ` ORDER BY ${orderBy}` : ''}) || ']' FROM ${from}), '[]')`;
}

/** Prisma's scalar type of a column (the dialect writes booleans and Json by type). */
const columnType = (model: string, column: string) => scalarTypesOf(model).get(column) ?? 'String';

function table(type: string): TypeSql {
  const found = COMPILED_TYPES[type];
  if (!found) throw new Error(`compiled reads: no table for ${type}`);
  return found;
}

/**
 * The JSON of one row (aliased `alias`) with the planned `selection`. Its relations by foreign
 * key add their LEFT JOINs to `joins`, the joins of the FROM that reads the row (fromSql).
 */
function objectSql(statement: Statement, selection: PlannedField[], alias: string, joins: string[]): string {
  return jsonObject(selection.map((field) => [field.key, valueSql(statement, field, alias, joins)]));
}

/** A FROM of `rows` (a table or a subquery, aliased) whose objects are `object(joins)`, with those joins. */
function fromSql(rows: string, object: (joins: string[]) => string): { object: string; from: string } {
  const joins: string[] = [];
  const text = object(joins);
  return { object: text, from: [rows, ...joins].join(' ') };
}

function valueSql(statement: Statement, field: PlannedField, alias: string, joins: string[]): string {
  switch (field.kind) {
    case 'typename':
      return jsonLiteral(field.typeName);
    case 'field': {
      const { dialect } = statement;
      if (field.sql.kind === 'globalId') return dialect.globalId(field.typeName, alias);
      const column = `${alias}."${field.sql.column}"`;
      if (field.sql.format === 'dateTime') return dialect.jsonDateTime(column);
      return dialect.jsonOf(column, columnType(table(field.typeName).model, field.sql.column));
    }
    case 'relation': {
      const related = statement.alias();
      const { sql } = field;
      if ('foreignKey' in sql) {
        // Pushed before the related row's own joins, which refer to `related`.
        joins.push(`LEFT JOIN "${table(sql.type).model}" ${related} ON ${related}."id" = ${alias}."${sql.foreignKey}"`);
        return `CASE WHEN ${related}."id" IS NULL THEN 'null' ELSE ${objectSql(statement, field.selection, related, joins)} END`;
      }
      const rows = sql.from(alias, related);
      const { object, from } = fromSql(rows.rows, (inner) => objectSql(statement, field.selection, related, inner));
      const source = `${from} WHERE ${rows.where}`;
      if (sql.kind === 'object') return `COALESCE((SELECT ${object} FROM ${source} LIMIT 1), 'null')`;
      return jsonArray(object, source, sql.orderBy?.(related));
    }
    default:
      throw new Error(`compiled reads: ${field.kind} outside a connection`);
  }
}

/**
 * A root hook's answer. Arguments the resolvers refuse with an error of their own (a bad id, a
 * malformed xname in a filter: an InventoryError) are theirs to answer, where GraphQL puts that
 * error; anything else a hook throws is a real error.
 */
async function fromHook<T>(hook: () => T | Promise<T>): Promise<T> {
  try {
    return await hook();
  } catch (error) {
    if (error instanceof InventoryError)
      throw new NotCompilable(`arguments the resolvers refuse (${error.code} on ${error.field ?? 'an argument'})`);
    throw error;
  }
}

async function rootSql(
  statement: Statement,
  root: Extract<PlannedRoot, { kind: 'root' }>,
  variables: Record<string, unknown>,
  ctx: RootContext,
  answer: Answer,
): Promise<void> {
  // The field's arguments, coerced by graphql-js against its argument types: the values its
  // resolver gets, which each root's hooks declare as their `Args` (fields.ts: RootSql).
  const args = getArgumentValues(root.field, root.node, variables) as never;
  const { sql } = root;
  const model = table(sql.type).model;
  if (sql.kind === 'byId') {
    const id = await fromHook(() => sql.id(args));
    const alias = statement.alias();
    const { object, from } = fromSql(`"${model}" ${alias}`, (joins) => objectSql(statement, root.selection, alias, joins));
    answer.text(`COALESCE((SELECT ${object} FROM ${from} WHERE ${alias}."id" = ${statement.bind(id, 'text')}), 'null')`);
    return;
  }
  const pageSize = await fromHook(() => sql.pageSize(args));
  if (pageSize === undefined) throw new NotCompilable('paging left to the resolvers (a cursor, `last` …)');
  const where = await fromHook(() => sql.where(args, ctx));
  const rowsWhere = (alias: string) => whereSql(where, model, alias, statement);
  // The first `edges` is written as rows of their own; any other (an alias) as one aggregate.
  const edgesAsRows = root.selection.find((field) => field.kind === 'edges');
  const connectionField = (field: PlannedField): void => {
    if (field.kind === 'typename') return answer.text(jsonLiteral(field.typeName));
    if (field.kind === 'totalCount') {
      const alias = statement.alias();
      return answer.text(statement.dialect.countText(`SELECT count(*) FROM "${model}" ${alias} WHERE ${rowsWhere(alias)}`));
    }
    if (field.kind !== 'edges') throw new Error(`compiled reads: ${field.kind} in a connection`);
    const [page, row] = [statement.alias(), statement.alias()];
    const rows = `SELECT * FROM "${model}" ${page} WHERE ${rowsWhere(page)} ORDER BY ${sql.orderBy(page)} LIMIT ${statement.value(pageSize, 'int')}`;
    const edge = fromSql(`(${rows}) ${row}`, (joins) =>
      jsonObject(
        field.selection.map((edgeField): [string, string] => {
          if (edgeField.kind === 'typename') return [edgeField.key, jsonLiteral(edgeField.typeName)];
          if (edgeField.kind !== 'node') throw new Error(`compiled reads: ${edgeField.kind} in an edge`);
          return [edgeField.key, objectSql(statement, edgeField.selection, row, joins)];
        }),
      ),
    );
    if (field !== edgesAsRows) return answer.text(jsonArray(edge.object, edge.from, sql.orderBy(row)));
    answer.edges(edge.object, edge.from, sql.orderBy(row));
  };
  await answer.object(root.selection, connectionField);
}

/** How many sets of variables one document's statement is written with its values in the text. */
const LITERAL_VARIANTS = 16;
/** Variables longer than this as JSON are bound (an id list, say): not worth a plan of their own. */
const LITERAL_VARIABLES_JSON = 1024;
const literalVariants = new WeakMap<ReadPlan, Set<string>>();

/**
 * Whether this request's statement may carry its values in the text (dialect.literal). Each
 * variant of the text is a statement of its own to the database (prepared once per connection,
 * pg-adapter.ts), so a document gets at most LITERAL_VARIANTS of them, the first sets of
 * variables it is asked with: a dashboard's few filters keep their plans, while a document asked
 * with ever new values (a name, a serial number) binds them once its variants are taken. The
 * document's own literals are part of the plan; only variables make variants.
 */
function inlineValues(plan: ReadPlan, variables: Record<string, unknown>): boolean {
  let key: string;
  try {
    key = JSON.stringify(variables);
  } catch {
    return false; // a custom scalar JSON cannot write (a BigInt): bound, as before
  }
  if (key.length > LITERAL_VARIABLES_JSON) return false;
  let variants = literalVariants.get(plan);
  if (!variants) literalVariants.set(plan, (variants = new Set()));
  if (variants.has(key)) return true;
  if (variants.size >= LITERAL_VARIANTS) return false;
  variants.add(key);
  return true;
}

/**
 * The statement answering `plan` for these (coerced) variables. Throws NotCompilable when this
 * request's arguments are for the resolvers (a cursor, a filter the SQL does not cover, an id
 * the resolver refuses …); any other error is a real one.
 */
export async function readSql(plan: ReadPlan, variables: Record<string, unknown>, ctx: RootContext): Promise<ReadSql> {
  const dialect = DIALECTS[ctx.engine];
  // Only a dialect that writes literals has variants to count.
  const statement = new Statement(dialect, dialect.literal !== undefined && inlineValues(plan, variables));
  const answer = new Answer();
  await answer.object(plan.roots, (root) =>
    root.kind === 'typename' ? answer.text(jsonLiteral(root.typeName)) : rootSql(statement, root, variables, ctx, answer),
  );
  return dialect.finish(answer.sql(), statement.params);
}

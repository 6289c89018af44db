// A read plan as one SQL statement whose rows, in order, are the pieces of the response's `data`
// as JSON text. Each object is written as text, `{"key":value,…}` in the order the document asks
// for its fields (each value escaped as JSON by the database); a to-one relation by foreign key
// is a LEFT JOIN in its parent's FROM (fields.ts says why, and why not the others); a
// connection's totalCount is a COUNT subquery in the same statement. Text concatenation, rather
// than row_to_json of a sub-select per row, spares PostgreSQL a subplan per object: about 30%
// less database CPU on a 10,000 device tree.
//
// Lists are written two ways. A root connection's edges, a root looked up by id and, on
// PostgreSQL, every list whose elements hold lists of their own are *levels* (writeLevel): a CTE
// with a row per element, numbered in the list's order under its parent element, holding the
// element's runs of text; the statement's rows are those runs and the text around them, sorted
// by their keys (Answer). Any other list, the leaves of a tree, is a correlated subquery whose
// string_agg(… ORDER BY …) keeps the resolvers' order, inside its element's text. Aggregated
// text is copied again by every enclosing concat and aggregate, and on PostgreSQL each copy of a
// large string is memory the backend takes from the system and gives back per statement. The
// bench's one-cabinet tree, prepared and run 40 times on one connection, five times in turns:
// 386 page faults per execution as nested aggregates, none as levels, in 0.59–0.82 of the time
// (PostGraphile's statement for the same tree, in the same turns: 0.67–1.15 of the levels' time).
// SQLite has no LATERAL, which a nested level needs (writeLevel says why), and copies
// in its own memory: there only the roots are levels. answerText joins the rows.
//
// What differs between PostgreSQL and SQLite is in dialect.ts. Ids and lists are bound
// parameters; filter values and page sizes are too, except on PostgreSQL, where they are quoted
// into the text (dialect.literal says why, inlineValues how often); identifiers are response
// keys, which GraphQL limits to [_A-Za-z][_0-9A-Za-z]*, and the fixed names of fields.ts.
import { getArgumentValues } from 'graphql';
import { InventoryError } from '../../domain/errors.js';
import { concat, DIALECTS, type SqlDialect } from './dialect.js';
import type { FieldSql, RootContext, TypeSql } from './fields.js';
import { COMPILED_TYPES } from './fields.js';
import { NotCompilable } from './not-compilable.js';
import type { PlannedField, PlannedRoot, ReadPlan } from './plan.js';
import { scalarTypesOf, whereSql } from './prisma-where.js';

export interface ReadSql {
  sql: string;
  params: unknown[];
}

/** A row of the statement: one piece of the answer's text. */
export interface AnswerRow {
  piece: string;
}

/**
 * One object of the answer as the statement writes it: runs of text (SQL expressions of JSON
 * text, concatenated) and, between them, the lists written as rows of their own (a writer each,
 * called once the object's own level exists, with the part's position).
 */
class Parts {
  readonly parts: Array<string[] | ListWriter> = [];

  text(...pieces: string[]): void {
    const last = this.parts.at(-1);
    if (Array.isArray(last)) last.push(...pieces);
    else this.parts.push([...pieces]);
  }

  /** What `write` writes as a level of rows of its own. */
  level(write: ListWriter): void {
    this.parts.push(write);
  }

  /** `[…]` whose elements `write` writes as a level of rows. */
  list(write: ListWriter): void {
    this.text(`'['`);
    this.level(write);
    this.text(`']'`);
  }

  /** `{"k1":…,"k2":…}`: each member's key, then what `write` writes for it. */
  async object<T extends { key: string }>(members: readonly T[], write: (member: T) => void | Promise<void>): Promise<void> {
    for (const [i, member] of members.entries()) {
      this.text(memberKey(member.key, i));
      await write(member);
    }
    this.text(`'}'`);
  }
}

/** A level of the statement: its name in the WITH list and how many key columns it has. */
interface Level {
  name: string;
  width: number;
}

/** Where a list's rows go: under the elements of `parent` (none: the answer's top), in part `part` of each. */
interface Place {
  parent?: Level;
  part: number;
}

type ListWriter = (place: Place) => Promise<void>;

/** The key columns of a level `width` wide, as `alias` reads them. */
const keyColumns = (width: number, alias: string) => Array.from({ length: width }, (_, i) => `${alias}.k${i}`);

/**
 * The statement's pieces of text, each with its sort key, and the levels (CTEs) they come from.
 * A level holds the rows of one list: per element its key (the parent's key, the list's part, the
 * element's number), its "id" (what a nested list ties to) and its runs of text. A piece's key is
 * its element's key and its part. No key is a prefix of another, so sorting by the key columns,
 * shorter keys padded with 0, puts the pieces in the answer's order.
 */
class Answer {
  private readonly levels: string[] = [];
  private readonly pieces: Array<{ keys: string[]; piece: string; clauses: string }> = [];

  /** A level named for its place in the WITH list (which lists a parent before its children). */
  level(body: string): string {
    const name = `l${this.levels.length}`;
    this.levels.push(`${name} AS (${body})`);
    return name;
  }

  /** A piece of text under `keys`; `clauses` (FROM, WHERE) for one read from a level, or one that may be absent. */
  piece(keys: string[], piece: string, clauses = ''): void {
    this.pieces.push({ keys, piece, clauses });
  }

  /**
   * The pieces of `parts`: of an element of `level` (its runs of text are the level's columns),
   * or of the answer's top (no level: the runs are their own text). Its lists become levels under it.
   */
  async parts(parts: Parts, level?: Level): Promise<void> {
    const keys = level ? keyColumns(level.width, level.name) : [];
    for (const [part, run] of parts.parts.entries()) {
      if (!Array.isArray(run)) await run({ parent: level, part });
      else if (level) this.piece([...keys, String(part)], `${level.name}.p${part}`, ` FROM ${level.name}`);
      else this.piece([String(part)], concat(run));
    }
  }

  sql(): string {
    const width = Math.max(...this.pieces.map((p) => p.keys.length));
    const keyNames = Array.from({ length: width }, (_, i) => `k${i}`);
    const branches = this.pieces.map(({ keys, piece, clauses }) => {
      const padded = keyNames.map((name, i) => `${keys[i] ?? '0'} AS ${name}`);
      return `SELECT ${padded.join(', ')}, ${piece} AS piece${clauses}`;
    });
    const levels = this.levels.length ? `WITH ${this.levels.join(', ')} ` : '';
    return `${levels}SELECT piece FROM (${branches.join(' UNION ALL ')}) answer ORDER BY ${keyNames.join(', ')}`;
  }
}

/** The response's `data` as JSON text from the statement's rows. */
export function answerText(rows: readonly AnswerRow[]): string {
  let text = '';
  for (const { piece } of rows) text += piece;
  return text;
}

/** The statement being written: its dialect, bound values and fresh table aliases. */
class Statement {
  readonly params: unknown[] = [];
  readonly answer = new Answer();
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
 * key add their LEFT JOINs to `joins`, the joins of the FROM that reads the row.
 */
function objectSql(statement: Statement, selection: PlannedField[], alias: string, joins: string[]): string {
  return jsonObject(selection.map((field) => [field.key, valueSql(statement, field, alias, joins)]));
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
      const inner: string[] = [];
      const object = objectSql(statement, field.selection, related, inner);
      const source = `${[rows.rows, ...inner].join(' ')} WHERE ${rows.where}`;
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
  parts: Parts,
): Promise<void> {
  // The field's arguments, coerced by graphql-js against its argument types: the values its
  // resolver gets, which each root's hooks declare as their `Args` (fields.ts: RootSql).
  const args = getArgumentValues(root.field, root.node, variables) as never;
  const { sql } = root;
  const model = table(sql.type).model;
  if (sql.kind === 'byId') {
    const id = await fromHook(() => sql.id(args));
    const alias = statement.alias();
    const where = `${alias}."id" = ${statement.bind(id, 'text')}`;
    return parts.level((place) =>
      writeLevel(statement, place, () => ({
        rows: `"${model}" ${alias}`,
        where,
        alias,
        single: true,
        element: (inner, joins) => elementParts(statement, root.selection, alias, joins, inner),
      })),
    );
  }
  const pageSize = await fromHook(() => sql.pageSize(args));
  if (pageSize === undefined) throw new NotCompilable('paging left to the resolvers (a cursor, `last` …)');
  const where = await fromHook(() => sql.where(args, ctx));
  const rowsWhere = (alias: string) => whereSql(where, model, alias, statement);
  const connectionField = (field: PlannedField): void => {
    if (field.kind === 'typename') return parts.text(jsonLiteral(field.typeName));
    if (field.kind === 'totalCount') {
      const alias = statement.alias();
      return parts.text(statement.dialect.countText(`SELECT count(*) FROM "${model}" ${alias} WHERE ${rowsWhere(alias)}`));
    }
    if (field.kind !== 'edges') throw new Error(`compiled reads: ${field.kind} in a connection`);
    const [page, row] = [statement.alias(), statement.alias()];
    const rows = `SELECT * FROM "${model}" ${page} WHERE ${rowsWhere(page)} ORDER BY ${sql.orderBy(page)} LIMIT ${statement.value(pageSize, 'int')}`;
    parts.list((place) =>
      writeLevel(statement, place, () => ({
        rows: `(${rows}) ${row}`,
        alias: row,
        orderBy: sql.orderBy(row),
        element: (edge, joins) =>
          edge.object(field.selection, (edgeField) => {
            if (edgeField.kind === 'typename') return edge.text(jsonLiteral(edgeField.typeName));
            if (edgeField.kind !== 'node') throw new Error(`compiled reads: ${edgeField.kind} in an edge`);
            return elementParts(statement, edgeField.selection, row, joins, edge);
          }),
      })),
    );
  };
  await parts.object(root.selection, connectionField);
}

/** A relation read from rows of its own (fields.ts): a list, or a to-one relation through a link table. */
type RelatedSql = Extract<FieldSql, { from: unknown }>;

/**
 * The list `field` asks for when it is written as a level of rows: one whose elements hold lists
 * of their own, on an engine with LATERAL. Any other list is aggregated inside its element's text.
 */
function levelOf(statement: Statement, field: PlannedField): { sql: RelatedSql; selection: PlannedField[] } | undefined {
  if (!statement.dialect.lateral || field.kind !== 'relation' || field.sql.kind !== 'list') return undefined;
  const holdsLists = field.selection.some((child) => child.kind === 'relation' && child.sql.kind === 'list');
  return holdsLists ? { sql: field.sql, selection: field.selection } : undefined;
}

/** The parts of one row's object (aliased `alias`): its fields inline, its lists of lists as levels under it. */
async function elementParts(statement: Statement, selection: PlannedField[], alias: string, joins: string[], parts: Parts): Promise<void> {
  await parts.object(selection, (field) => {
    const list = levelOf(statement, field);
    if (!list) return parts.text(valueSql(statement, field, alias, joins));
    parts.list((place) =>
      writeLevel(statement, place, (up) => {
        const related = statement.alias();
        const rows = list.sql.from(up, related);
        return {
          rows: rows.rows,
          where: rows.where,
          alias: related,
          orderBy: list.sql.orderBy?.(related),
          element: (inner, innerJoins) => elementParts(statement, list.selection, related, innerJoins, inner),
        };
      }),
    );
  });
}

/** The rows of one level: `FROM rows WHERE where`, each element's object written by `element`. */
interface LevelRows {
  rows: string;
  where?: string;
  /** The alias `rows` gives the element's row. */
  alias: string;
  orderBy?: string;
  element: (parts: Parts, joins: string[]) => Promise<void>;
  /** A single object (a root looked up by id): no number, no comma, `null` when there is no row. */
  single?: boolean;
}

/**
 * A level of the answer: the rows of one list at `place`, numbered in the list's order under
 * their parent element, their runs of text as columns (the first led by the comma that separates
 * elements). Under a parent level the list is read per parent row by a LATERAL subquery, as a
 * nested list is by its correlated subquery: a join would leave PostgreSQL free to hash a whole
 * table, and a list's condition may hold a subquery of its own (Device.cables), which a join
 * would run once per pair of rows. `level` gets the parent level's alias (`up`), which exposes
 * only its key and "id".
 */
async function writeLevel(statement: Statement, place: Place, level: (up: string) => LevelRows): Promise<void> {
  const up = statement.alias();
  const spec = level(up);
  const parts = new Parts();
  const joins: string[] = [];
  await spec.element(parts, joins);
  const number = spec.single ? '1' : 'row_number() OVER w';
  const comma = spec.single ? [] : [`CASE WHEN ${number} > 1 THEN ',' END`];
  const runs = parts.parts.flatMap((run, part) => (Array.isArray(run) ? [{ part, text: part === 0 ? [...comma, ...run] : run }] : []));
  const elements = [
    `SELECT ${number} AS n, ${spec.alias}."id" AS "id"`,
    ...runs.map(({ part, text }) => `, ${concat(text)} AS p${part}`),
    ` FROM ${[spec.rows, ...joins].join(' ')}`,
    spec.where ? ` WHERE ${spec.where}` : '',
    spec.single ? '' : ` WINDOW w AS (${spec.orderBy ? `ORDER BY ${spec.orderBy}` : ''})`,
  ].join('');
  const { parent } = place;
  const keys = [...(parent ? keyColumns(parent.width, up) : []), String(place.part), 'x.n'];
  const from = parent ? `${parent.name} ${up} CROSS JOIN LATERAL (${elements}) x` : `(${elements}) x`;
  const columns = [...keys.map((key, i) => `${key} AS k${i}`), `x."id" AS "id"`, ...runs.map(({ part }) => `x.p${part} AS p${part}`)];
  const { answer } = statement;
  const name = answer.level(`SELECT ${columns.join(', ')} FROM ${from}`);
  if (spec.single) answer.piece([String(place.part)], `'null'`, ` WHERE NOT EXISTS (SELECT 1 FROM ${name})`);
  await answer.parts(parts, { name, width: keys.length });
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
  const parts = new Parts();
  await parts.object(plan.roots, (root) =>
    root.kind === 'typename' ? parts.text(jsonLiteral(root.typeName)) : rootSql(statement, root, variables, ctx, parts),
  );
  await statement.answer.parts(parts);
  return dialect.finish(statement.answer.sql(), statement.params);
}

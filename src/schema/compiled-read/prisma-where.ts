// The few Prisma `where` shapes a compiled read turns into SQL itself, so that it filters with
// the very `where` the resolvers build (deviceWhere …) instead of a second copy of their rules:
// AND lists, a column equal to a value or null, `equals`, `in`, `not: null`. Anything else
// (OR, relation filters, ranges …) is NotCompilable, and the document is then answered by the
// resolvers.
import { getDatamodel } from '../../generated/pothos-types.js';
import type { SqlDialect } from './dialect.js';
import { NotCompilable } from './not-compilable.js';

/** PostgreSQL casts of the Prisma scalar types a filter may compare. */
const CASTS: Record<string, string> = { String: 'text', Int: 'int', Boolean: 'boolean' };

const scalarTypes = new Map<string, Map<string, string>>();

/** Prisma's scalar type of each column of `model`, by column name. */
export function scalarTypesOf(model: string): Map<string, string> {
  let types = scalarTypes.get(model);
  if (!types) {
    const fields = getDatamodel().datamodel.models[model]?.fields ?? [];
    types = new Map(fields.filter((f) => f.kind === 'scalar').map((f) => [f.name, f.type]));
    scalarTypes.set(model, types);
  }
  return types;
}

/** What a condition needs of the statement: binding a list, writing a value (each its SQL back), and its dialect. */
export interface Binder {
  bind: (value: unknown, cast: string) => string;
  value: (value: unknown, cast: string) => string;
  dialect: Pick<SqlDialect, 'inList' | 'listCast'>;
}

type Scalar = string | number | boolean;
const isScalar = (value: unknown): value is Scalar => ['string', 'number', 'boolean'].includes(typeof value);

/** `cast` is undefined for a column whose type values cannot be compared with here (only null tests). */
function columnCondition(column: string, cast: string | undefined, value: unknown, binder: Binder): string {
  const { bind, dialect } = binder;
  if (value === null) return `${column} IS NULL`;
  if (!cast) throw new NotCompilable(`filter: ${column} compared with a value`);
  if (isScalar(value)) return `${column} = ${binder.value(value, cast)}`;
  if (typeof value !== 'object' || Array.isArray(value))
    throw new NotCompilable(`filter: ${column} compared with ${Array.isArray(value) ? 'a list' : typeof value}`);
  const conditions = Object.entries(value as Record<string, unknown>).map(([operator, operand]) => {
    if (operator === 'equals') return columnCondition(column, cast, operand, binder);
    // One value as equality: an index on (column, order columns) then serves the page's order.
    if (operator === 'in' && Array.isArray(operand) && operand.length === 1 && isScalar(operand[0]))
      return columnCondition(column, cast, operand[0], binder);
    if (operator === 'in' && Array.isArray(operand) && operand.every(isScalar))
      return dialect.inList(column, bind(operand, dialect.listCast(cast)));
    if (operator === 'not' && operand === null) return `${column} IS NOT NULL`;
    throw new NotCompilable(`filter: ${column} ${operator}`);
  });
  return conditions.length ? conditions.join(' AND ') : 'TRUE';
}

/** `where` (a Prisma where input of `model`) as a SQL condition on the table aliased `alias`. */
export function whereSql(where: unknown, model: string, alias: string, binder: Binder): string {
  if (where == null) return 'TRUE';
  if (typeof where !== 'object') throw new NotCompilable(`filter: ${typeof where}`);
  const types = scalarTypesOf(model);
  const parts: string[] = [];
  for (const [key, value] of Object.entries(where as Record<string, unknown>)) {
    if (value === undefined) continue;
    if (key === 'AND') {
      for (const part of Array.isArray(value) ? value : [value]) parts.push(whereSql(part, model, alias, binder));
      continue;
    }
    const type = types.get(key);
    if (!type) throw new NotCompilable(`filter: ${model}.${key}`);
    parts.push(columnCondition(`${alias}."${key}"`, CASTS[type], value, binder));
  }
  return parts.length ? parts.map((p) => `(${p})`).join(' AND ') : 'TRUE';
}

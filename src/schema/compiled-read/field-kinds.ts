// Building blocks of the per-type SQL tables (fields.ts and the *-sql.ts files beside it): a
// column as stored or as the DateTime scalar writes it, and the row a foreign key points at.
import type { ColumnFormat, FieldSql } from './fields.js';

export const column = (name: string, format: ColumnFormat = 'plain'): FieldSql => ({ kind: 'column', column: name, format });

export const columns = (...names: string[]) => Object.fromEntries(names.map((name) => [name, column(name)]));

export const dateTimes = (...names: string[]) => Object.fromEntries(names.map((name) => [name, column(name, 'dateTime')]));

/** The `type` row whose id is the parent's `foreignKey` (a Prisma to-one relation, t.relation). */
export const referenced = (type: string, foreignKey: string): FieldSql => ({
  kind: 'object',
  type,
  foreignKey,
});

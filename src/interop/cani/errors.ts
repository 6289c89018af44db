// Errors of one record: a service's error (which names our field) renamed to the record's
// path and the cani field, so the import's failure says which record and field to fix.
import { ConflictError, InventoryError, ValidationError } from '../../domain/errors.js';
import { translateDatabaseError } from '../../services/core/index.js';

/** Our field name → the cani field it came from, per record. Unlisted fields keep their name. */
export type FieldNames = Record<string, string>;

function renamed(error: InventoryError, path: string, names: FieldNames): InventoryError {
  const field = error.field ?? '';
  // A unique-key conflict names every column of the key ("manufacturer.serialNumber"): the last is the one to fix.
  const ours = names[field] ? field : (field.split('.').at(-1) ?? field);
  const caniField = names[ours] ?? ours;
  const where = caniField ? `${path}.${caniField}` : path;
  if (error instanceof ValidationError)
    return new ValidationError(where, error.message.startsWith(`${field}: `) ? error.message.slice(field.length + 2) : error.message);
  if (error.code === 'NOT_FOUND') return new ValidationError(where, error.message);
  return new ConflictError(where, `${path}: ${error.message}`);
}

/** A service's error as the error of the record at `path` (a store error as the store's). */
export function renamedFor(error: unknown, path: string, names: FieldNames): unknown {
  const translated = translateDatabaseError(error);
  if (!(translated instanceof InventoryError)) return translated;
  if (translated.field?.startsWith(`${path}.`)) return translated;
  return renamed(translated, path, names);
}

/**
 * A bulk service write's error, which names its item as `<list>.<index>.<field>`, as the error
 * of that item's record (`pathOf(index)`); an error naming no item is the store's own.
 */
export function listItemError(error: unknown, list: string, pathOf: (index: number) => string, names: FieldNames): unknown {
  const translated = translateDatabaseError(error);
  const field = translated instanceof InventoryError ? translated.field : undefined;
  if (!(translated instanceof InventoryError) || !field?.startsWith(`${list}.`)) return translated;
  const [index, ...rest] = field.slice(list.length + 1).split('.');
  const inner = rest.join('.');
  const message = translated.message.startsWith(`${field}: `) ? translated.message.slice(field.length + 2) : translated.message;
  const itemError =
    translated.code === 'BAD_USER_INPUT' ? new ValidationError(inner, message) : new InventoryError(translated.code, message, inner);
  return renamedFor(itemError, pathOf(Number(index)), names);
}

/** Runs one service write for the record at `path`; its errors name the record and field. */
export async function forRecord<T>(path: string, names: FieldNames, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw renamedFor(error, path, names);
  }
}

export function missingTarget(path: string, field: string, id: string, what: string): ValidationError {
  return new ValidationError(
    `${path}.${field}`,
    `refers to ${id}, which is neither a record of this file nor a live ${what} in the inventory`,
  );
}

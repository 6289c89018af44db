// How one reference-repository record (a JSON object) becomes columns plus RFD 112 properties,
// and back, without loss:
//   - nested objects become dotted keys (`bios.release_date`), so values stay scalar;
//   - a key that breaks the RFD key rule is converted (`Release Date` → `release_date`) and its
//     original path kept in the record's bookkeeping, so the way back restores it;
//   - a field with a column (node_name → name, mac → macAddress) goes to that column when the
//     column can hold it exactly; otherwise it stays, verbatim, in the properties;
//   - a field the source left out but whose column always has a value (an adapter's `enabled`)
//     is listed in the bookkeeping as absent, so the way back leaves it out again.
import { ValidationError } from '../../domain/errors.js';
import { toPropertyKey } from '../../domain/property-keys.js';
import { stableJson } from '../../domain/stable-json.js';

export type Json = null | boolean | number | string | Json[] | JsonObject;
export interface JsonObject {
  [key: string]: Json;
}

/** The namespace of the bookkeeping (in providerMetadata, or in properties where a row has none). */
export const BOOKKEEPING = 'reference_repository';

export interface Bookkeeping {
  /** Source keys (dotted) that were absent although their column has a value. */
  absent?: string[];
  /** Property key → the source path it came from, for keys that had to be converted. */
  original_keys?: Record<string, string[]>;
  /** Position in the source list (adapters, drives, GPUs). */
  index?: number;
  /** The node's uid when it is not the device id (not a lowercase UUID); a flavor's when its group name lower-cases it. */
  uid?: string;
  /** Where the record sat in the tree when not at its usual place (a cluster file). */
  path?: string;
}

/** A source field that maps onto a column. C is the column's type. */
export interface ColumnField<C = unknown> {
  /** The source path, dotted (`chassis.manufacturer`). */
  key: string;
  column: string;
  /** The column value standing for a source value (may be lossy: then the value also stays a property). */
  toColumn(value: Json): C;
  /** The source value a column value stands for; undefined leaves the key out. */
  fromColumn(value: C): Json | undefined;
  /** The column value when the source has no such key. */
  whenAbsent: C;
}

export function isObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export const sameJson = (a: unknown, b: unknown) => stableJson(a) === stableJson(b);

/** A trimmed, non-empty string of at most `max` characters, exactly as given; else null. */
export function exactText(value: Json, max: number): string | null {
  return typeof value === 'string' && value !== '' && value.trim() === value && value.length <= max ? value : null;
}

/** A text column: holds the source string when it is exactly representable. */
export function textColumn(key: string, column: string, max = 255): ColumnField<string | null> {
  return { key, column, toColumn: (v) => exactText(v, max), fromColumn: (c) => c ?? undefined, whenAbsent: null };
}

/** The record's `type`, implied by where it sits; kept only when it says something else. */
export function impliedType(type: string): ColumnField<string> {
  return { key: 'type', column: '', toColumn: () => type, fromColumn: () => type, whenAbsent: type };
}

interface Leaf {
  path: string[];
  value: Json;
}

/** Leaves of an object: nested non-empty objects are walked, anything else is a leaf. */
function leaves(object: JsonObject, prefix: string[] = [], out: Leaf[] = []): Leaf[] {
  for (const [key, value] of Object.entries(object)) {
    const path = [...prefix, key];
    if (isObject(value) && Object.keys(value).length > 0) leaves(value, path, out);
    else out.push({ path, value });
  }
  return out;
}

const pathKey = (path: string[]) => JSON.stringify(path);

/** The RFD key of a source path: each part converted on its own (a dot inside a part is not a namespace). */
function propertyKeyOf(path: string[]): string {
  return path.map((part) => toPropertyKey(part.replace(/\./g, ' ')) || 'key').join('.');
}

export interface Encoded {
  /** Column name → value, for every column field. */
  columns: Record<string, unknown>;
  properties: JsonObject;
  bookkeeping: Bookkeeping;
}

/**
 * Splits a record into its columns and properties. `omit` lists top-level keys the caller
 * handles itself (uid, the lists that become rows).
 */
export function encodeRecord(record: JsonObject, fields: readonly ColumnField[], omit: readonly string[] = []): Encoded {
  if (Object.hasOwn(record, BOOKKEEPING)) throw new ValidationError(BOOKKEEPING, 'is a name the gateway keeps for itself');
  const kept = Object.fromEntries(Object.entries(record).filter(([key]) => !omit.includes(key)));
  const byPath = new Map(leaves(kept).map((leaf) => [pathKey(leaf.path), leaf]));
  const columns: Record<string, unknown> = {};
  const absent: string[] = [];
  for (const field of fields) {
    const path = field.key.split('.');
    const leaf = byPath.get(pathKey(path));
    if (!leaf) {
      if (field.column) columns[field.column] = field.whenAbsent;
      if (!hasPrefixLeaf(byPath, path) && field.fromColumn(field.whenAbsent) !== undefined) absent.push(field.key);
      continue;
    }
    const column = field.toColumn(leaf.value);
    if (field.column) columns[field.column] = column;
    // Held exactly (a null the column cannot tell from absent stays a property).
    const back = field.fromColumn(column);
    if (back !== undefined && sameJson(back, leaf.value)) byPath.delete(pathKey(path));
  }
  const properties: JsonObject = {};
  const originalKeys: Record<string, string[]> = {};
  for (const { path, value } of byPath.values()) {
    let key = propertyKeyOf(path);
    const converted = key !== path.join('.');
    for (let n = 2; Object.hasOwn(properties, key); n += 1) key = `${propertyKeyOf(path)}_${n}`;
    if (converted || key !== path.join('.')) originalKeys[key] = path;
    properties[key] = value;
  }
  const bookkeeping: Bookkeeping = {};
  if (absent.length) bookkeeping.absent = absent;
  if (Object.keys(originalKeys).length) bookkeeping.original_keys = originalKeys;
  return { columns, properties, bookkeeping };
}

/** A leaf that is an ancestor of `path` (e.g. `chassis` is a string): the field is not absent, it cannot exist. */
function hasPrefixLeaf(byPath: Map<string, Leaf>, path: string[]): boolean {
  for (let n = 1; n < path.length; n += 1) if (byPath.has(pathKey(path.slice(0, n)))) return true;
  return false;
}

/** Sets `value` at `path`, creating objects on the way; false when something else is in the way. */
function setAt(target: JsonObject, path: string[], value: Json): boolean {
  let node = target;
  for (const part of path.slice(0, -1)) {
    if (!Object.hasOwn(node, part)) node[part] = {};
    const next = node[part];
    if (!isObject(next)) return false;
    node = next;
  }
  const last = path[path.length - 1] as string;
  if (Object.hasOwn(node, last)) return false;
  node[last] = value;
  return true;
}

function hasAt(target: JsonObject, path: string[]): boolean {
  let node: Json = target;
  for (const part of path) {
    if (!isObject(node) || !Object.hasOwn(node, part)) return false;
    node = node[part] as Json;
  }
  return true;
}

/**
 * The record back from its properties and columns (the inverse of encodeRecord). A property
 * whose path collides with another (possible after edits through other APIs) stays flat.
 */
export function decodeRecord(
  properties: JsonObject,
  columns: Record<string, unknown>,
  fields: readonly ColumnField[],
  bookkeeping: Bookkeeping,
): JsonObject {
  const record: JsonObject = {};
  const originals = bookkeeping.original_keys ?? {};
  const keys = Object.keys(properties).sort((a, b) => a.split('.').length - b.split('.').length || a.localeCompare(b));
  for (const key of keys) {
    const path = Array.isArray(originals[key]) ? (originals[key] as string[]) : key.split('.');
    if (!setAt(record, path, properties[key] as Json)) record[key] = properties[key] as Json;
  }
  const absent = new Set(bookkeeping.absent ?? []);
  for (const field of fields) {
    const path = field.key.split('.');
    if (absent.has(field.key) || hasAt(record, path)) continue;
    const value = field.fromColumn((field.column ? columns[field.column] : field.whenAbsent) as never);
    if (value !== undefined) setAt(record, path, value);
  }
  return record;
}

/** Properties with the bookkeeping folded in under its namespace (for rows without providerMetadata). */
export function withBookkeeping(properties: JsonObject, bookkeeping: Bookkeeping): JsonObject {
  const out: JsonObject = { ...properties };
  for (const [key, value] of Object.entries(bookkeeping)) if (value !== undefined) out[`${BOOKKEEPING}.${key}`] = value as Json;
  return out;
}

/** The inverse of withBookkeeping. */
export function splitBookkeeping(properties: unknown): { properties: JsonObject; bookkeeping: Bookkeeping } {
  const own: JsonObject = {};
  const bookkeeping: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(isObject(properties) ? properties : {})) {
    if (key.startsWith(`${BOOKKEEPING}.`)) bookkeeping[key.slice(BOOKKEEPING.length + 1)] = value;
    else own[key] = value;
  }
  return { properties: own, bookkeeping: bookkeeping as Bookkeeping };
}

/** The bookkeeping kept in a device's providerMetadata. */
export function deviceBookkeeping(providerMetadata: unknown): Bookkeeping {
  const value = isObject(providerMetadata) ? providerMetadata[BOOKKEEPING] : undefined;
  return isObject(value) ? (value as Bookkeeping) : {};
}

/** providerMetadata with the bookkeeping replaced (left out when empty). */
export function withDeviceBookkeeping(providerMetadata: unknown, bookkeeping: Bookkeeping): JsonObject {
  const { [BOOKKEEPING]: _old, ...rest } = isObject(providerMetadata) ? providerMetadata : {};
  return Object.keys(bookkeeping).length ? { ...rest, [BOOKKEEPING]: bookkeeping as JsonObject } : rest;
}

/** Object keys sorted at every level, as the repository writes its files. */
export function sortedJson(value: Json): Json {
  if (Array.isArray(value)) return value.map(sortedJson);
  if (!isObject(value)) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortedJson(value[key] as Json)]),
  );
}

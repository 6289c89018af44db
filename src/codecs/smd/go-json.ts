// Reading SMD request bodies the way SMD's Go handlers decode them with encoding/json: keys
// match case-insensitively (an exact match first), unknown keys are ignored, null leaves a
// field unset, and a value of the wrong JSON type is an SmdDecodeError in Go's words. The
// State handlers name the Go struct of a field (`sm.NodeMap.NID`); the Inventory handlers
// never did and name the key alone (`MACAddress`): `struct` is left out for them.
import { SmdDecodeError } from './errors.js';

export type Obj = Record<string, unknown>;

/** The JSON kind Go names in its errors. */
function goKind(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  if (typeof value === 'boolean') return 'bool';
  return typeof value === 'object' ? 'object' : typeof value;
}

const fieldPath = (name: string, struct: string | undefined) => (struct ? `${struct}.${name}` : name);

/** Go's wording for a struct field given a value of the wrong JSON type. */
export function decodeError(value: unknown, field: string, goType: string): SmdDecodeError {
  return new SmdDecodeError(`json: cannot unmarshal ${goKind(value)} into Go struct field ${field} of type ${goType}`, field);
}

/** A whole body decoded into a Go value: `null` is an empty one, as in Go; not an object is refused. */
export function asObject(value: unknown, goType: string): Obj {
  if (value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value))
    throw new SmdDecodeError(`json: cannot unmarshal ${goKind(value)} into Go value of type ${goType}`);
  return value as Obj;
}

/** A value that must be a JSON object (null too is refused): the Inventory handlers' bodies and list entries. */
export function objectAt(value: unknown, field: string): Obj {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw decodeError(value, field, 'object');
  return value as Obj;
}

/** The value under `name`, matched as Go matches struct tags: exactly, else case-insensitively. */
export function get(obj: Obj, name: string): unknown {
  if (Object.hasOwn(obj, name)) return obj[name];
  const lower = name.toLowerCase();
  for (const key of Object.keys(obj)) if (key.toLowerCase() === lower) return obj[key];
  return undefined;
}

export function has(obj: Obj, name: string): boolean {
  return get(obj, name) !== undefined;
}

export function optString(obj: Obj, name: string, struct?: string): string | undefined {
  const value = get(obj, name);
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw decodeError(value, fieldPath(name, struct), 'string');
  return value;
}

export function optBool(obj: Obj, name: string, struct?: string): boolean | undefined {
  const value = get(obj, name);
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw decodeError(value, fieldPath(name, struct), 'bool');
  return value;
}

/** An integer; `goType` is the Go type named in the error (int, int64). */
export function optInt(obj: Obj, name: string, struct?: string, goType = 'int'): number | undefined {
  const value = get(obj, name);
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value)) throw decodeError(value, fieldPath(name, struct), goType);
  return value;
}

/** Any JSON number. */
export function optNumber(obj: Obj, name: string, struct?: string): number | undefined {
  const value = get(obj, name);
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number') throw decodeError(value, fieldPath(name, struct), 'number');
  return value;
}

export function optObject(obj: Obj, name: string, struct: string | undefined, goType: string): Obj | undefined {
  const value = get(obj, name);
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw decodeError(value, fieldPath(name, struct), goType);
  return value as Obj;
}

export function optArray(obj: Obj, name: string, struct: string | undefined, goType: string): unknown[] | undefined {
  const value = get(obj, name);
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw decodeError(value, fieldPath(name, struct), goType);
  return value;
}

/** A list of strings; `goType` is the list's Go type named when the value is no list. */
export function optStringList(obj: Obj, name: string, struct?: string, goType = '[]string'): string[] | undefined {
  const list = optArray(obj, name, struct, goType);
  if (!list) return undefined;
  for (const item of list) if (typeof item !== 'string') throw decodeError(item, fieldPath(name, struct), 'string');
  return list as string[];
}

/** A list whose entries must be objects (the Inventory handlers' nested lists). */
export function objectList(obj: Obj, name: string): Obj[] {
  return (optArray(obj, name, undefined, 'array') ?? []).map((entry) => objectAt(entry, name));
}

/**
 * A filter field of a JSON body (SMD's []string filters). Lenient where Go is strict: a single
 * string or numbers are accepted too (no SMD client sends them; refusing them helps no one).
 */
export function filterValues(obj: Obj, name: string): string[] | undefined {
  const value = get(obj, name);
  if (value === undefined || value === null) return undefined;
  const list = Array.isArray(value) ? value : [value];
  return list.map((item) => {
    if (typeof item === 'string') return item;
    if (typeof item === 'number' || typeof item === 'boolean') return String(item);
    throw decodeError(item, name, 'string');
  });
}

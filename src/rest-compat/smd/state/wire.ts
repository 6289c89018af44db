// Decoding SMD request bodies the way Go's encoding/json does for SMD's structs: keys match
// case-insensitively (an exact match first), unknown keys are ignored, null leaves a field
// unset, and a value of the wrong JSON type is a decode error ("error decoding JSON ...").
// Also the small response shapes SMD uses everywhere.
import { BodyError, json, readJson } from '../../http/respond.js';

export type Obj = Record<string, unknown>;

function jsonKind(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  if (typeof value === 'boolean') return 'bool';
  return typeof value === 'object' ? 'object' : typeof value;
}

/** Go's wording for a value of the wrong JSON type. */
export function decodeError(value: unknown, field: string, goType: string): BodyError {
  return new BodyError(`json: cannot unmarshal ${jsonKind(value)} into Go struct field ${field} of type ${goType}`);
}

/** The request body as a JSON object (`null` decodes to an empty one, as in Go). */
export async function readObject(request: Request, goType: string): Promise<Obj> {
  return asObject(await readJson(request), goType);
}

export function asObject(value: unknown, goType: string): Obj {
  if (value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value))
    throw new BodyError(`json: cannot unmarshal ${jsonKind(value)} into Go value of type ${goType}`);
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

export function optString(obj: Obj, name: string, goStruct: string): string | undefined {
  const value = get(obj, name);
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw decodeError(value, `${goStruct}.${name}`, 'string');
  return value;
}

export function optBool(obj: Obj, name: string, goStruct: string): boolean | undefined {
  const value = get(obj, name);
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw decodeError(value, `${goStruct}.${name}`, 'bool');
  return value;
}

export function optInt(obj: Obj, name: string, goStruct: string): number | undefined {
  const value = get(obj, name);
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value)) throw decodeError(value, `${goStruct}.${name}`, 'int');
  return value;
}

export function optObject(obj: Obj, name: string, goStruct: string, goType: string): Obj | undefined {
  const value = get(obj, name);
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw decodeError(value, `${goStruct}.${name}`, goType);
  return value as Obj;
}

export function optArray(obj: Obj, name: string, goStruct: string, goType: string): unknown[] | undefined {
  const value = get(obj, name);
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw decodeError(value, `${goStruct}.${name}`, goType);
  return value;
}

export function optStringList(obj: Obj, name: string, goStruct: string): string[] | undefined {
  const list = optArray(obj, name, goStruct, '[]string');
  if (!list) return undefined;
  for (const item of list) if (typeof item !== 'string') throw decodeError(item, `${goStruct}.${name}`, 'string');
  return list as string[];
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

/** SMD's `{"code":0,"message":...}` answer. */
export function message(text: string, status = 200): Response {
  return json({ code: 0, message: text }, status);
}

/** SMD's created-resource answer: 201 with a URI array (Location set), 204 when there is none. */
export function createdUris(uris: string[], collection: string): Response {
  if (uris.length === 0) return new Response(null, { status: 204 });
  return json(
    uris.map((uri) => ({ URI: uri })),
    201,
    { location: uris.length === 1 ? uris[0] : collection },
  );
}

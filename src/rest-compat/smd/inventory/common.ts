// What the SMD inventory routes share: SMD's response envelopes, Go-like JSON body decoding
// (keys matched case-insensitively, wrong types refused), and SMD's parsing of MACs, xnames,
// HMS types and negatable filter values. Pure functions: no store access here.
import { InventoryError } from '../../../domain/errors.js';
import { HMS_TYPES, parseXname } from '../../../domain/xname.js';
import { json, readJson } from '../../http/respond.js';
import { SmdError } from '../errors.js';

export const INVENTORY = '/hsm/v2/Inventory';

/** SMD's `{"code":0,"message":...}` answer (DELETE results, "Created N entries"). */
export function message(text: string, status = 200): Response {
  return json({ code: 0, message: text }, status);
}

/** 201 with one `{"URI":...}` object (EthernetInterfaces, IPAddresses). */
export function createdOne(uri: string): Response {
  return json({ URI: uri }, 201, { location: uri });
}

/** 201 with an array of `{"URI":...}`; Location is the URI, or the collection for several; 204 for none. */
export function createdMany(uris: string[], collection: string): Response {
  if (uris.length === 0) return new Response(null, { status: 204 });
  return json(
    uris.map((uri) => ({ URI: uri })),
    201,
    { location: uris.length === 1 ? uris[0] : collection },
  );
}

export function deletedCount(count: number): Response {
  if (count === 0) throw new SmdError(404, 'no entries to delete');
  return message(count === 1 ? 'deleted 1 entry' : `deleted ${count} entries`);
}

// --- request bodies, decoded the way Go's encoding/json decodes into SMD's structs ----------

export type Body = Record<string, unknown>;

const goType = (value: unknown) =>
  value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value === 'object' ? 'object' : typeof value;

function decodeError(value: unknown, field: string, expected: string): SmdError {
  return new SmdError(400, `error decoding JSON json: cannot unmarshal ${goType(value)} into Go struct field ${field} of type ${expected}`);
}

/** The request body as a JSON object (SMD: undecodable → "error decoding JSON ..."). */
export async function readObject(request: Request): Promise<Body> {
  const value = await readJson(request);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw decodeError(value, '', 'object');
  return value as Body;
}

/** Go's key matching: the exact key, else the first key equal ignoring case. */
export function field(body: Body, name: string): unknown {
  if (Object.hasOwn(body, name)) return body[name];
  const lower = name.toLowerCase();
  const key = Object.keys(body).find((k) => k.toLowerCase() === lower);
  return key === undefined ? undefined : body[key];
}

export function has(body: Body, name: string): boolean {
  return field(body, name) !== undefined;
}

/** A string field; null and absent are undefined (Go leaves the zero value). */
export function str(body: Body, name: string): string | undefined {
  const value = field(body, name);
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw decodeError(value, name, 'string');
  return value;
}

export function bool(body: Body, name: string): boolean | undefined {
  const value = field(body, name);
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw decodeError(value, name, 'bool');
  return value;
}

export function num(body: Body, name: string): number | undefined {
  const value = field(body, name);
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number') throw decodeError(value, name, 'number');
  return value;
}

export function list(body: Body, name: string): unknown[] | undefined {
  const value = field(body, name);
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw decodeError(value, name, 'array');
  return value;
}

export function obj(value: unknown, name: string): Body {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw decodeError(value, name, 'object');
  return value as Body;
}

export function strings(body: Body, name: string): string[] | undefined {
  const values = list(body, name);
  if (values === undefined) return undefined;
  return values.map((v) => {
    if (typeof v !== 'string') throw decodeError(v, name, 'string');
    return v;
  });
}

// --- SMD value parsing ---------------------------------------------------------------------

/** SMD's NormalizeVerifyMAC: separators (":", "-", ".") dropped, 12 hex digits, colon form. */
export function smdMac(raw: string): string {
  const stripped = raw.toLowerCase().replace(/[-:.]/g, '').trim();
  if (stripped.length !== 12) throw new SmdError(400, 'MAC string has invalid length');
  if (!/^[0-9a-f]{12}$/.test(stripped)) throw new SmdError(400, `strconv.ParseInt: parsing "${stripped}": invalid syntax`);
  return stripped.match(/../g)?.join(':') as string;
}

/** The colon-form MAC an SMD EthernetInterface ID stands for, or undefined when it is none. */
export function macOfInterfaceId(id: string): string | undefined {
  const text = id.trim().toLowerCase();
  if (/^[0-9a-f]{12}$/.test(text)) return text.match(/../g)?.join(':');
  if (/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/.test(text)) return text;
  return undefined;
}

/** SMD's interface ID for a colon-form MAC. */
export const interfaceIdOf = (mac: string) => mac.replaceAll(':', '');

/** A normalised xname, or undefined (xnametypes.VerifyNormalizeCompID). */
export function smdXname(raw: string): string | undefined {
  return parseXname(raw)?.xname;
}

const TYPE_BY_LOWER = new Map([...HMS_TYPES, 'All', 'AllComp', 'AllSvc'].map((t) => [t.toLowerCase(), t]));
TYPE_BY_LOWER.set('all_comp', 'AllComp');
TYPE_BY_LOWER.set('all_svc', 'AllSvc');

/** An HMS type name in its canonical spelling, matched case-insensitively, or undefined. */
export function smdType(raw: string): string | undefined {
  return TYPE_BY_LOWER.get(raw.trim().toLowerCase());
}

/** Values of one filter parameter split SMD's way: plain ones ORed, `!`-negated ones excluded. */
export interface Negatable {
  in: string[];
  notIn: string[];
}

/**
 * Parses each value (after a leading "!") with `parse`; a value it refuses (undefined for a
 * non-empty input) is a 400 with `detail`. Empty values stay "" (they match empty columns).
 */
export function negatable(values: string[], parse: (v: string) => string | undefined, detail: string): Negatable | undefined {
  if (values.length === 0) return undefined;
  const out: Negatable = { in: [], notIn: [] };
  for (const raw of values) {
    const negated = raw.startsWith('!');
    const text = negated ? raw.replace(/^!+/, '') : raw;
    const value = text === '' ? '' : parse(text);
    if (value === undefined) throw new SmdError(400, detail);
    (negated ? out.notIn : out.in).push(value);
  }
  return out;
}

/** Whether a value passes a Negatable filter (no filter passes everything). */
export function passes(filter: Negatable | undefined, value: string | null | undefined): boolean {
  if (!filter) return true;
  const v = value ?? '';
  if (filter.in.length > 0 && !filter.in.includes(v)) return false;
  return !filter.notIn.includes(v);
}

/** RFC 3339 timestamp (SMD uses Go's time.RFC3339), or undefined. */
export function rfc3339(raw: string): Date | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i.test(raw.trim())) return undefined;
  const date = new Date(raw.trim());
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** RFC 3339 as SMD writes timestamps. */
export const timestamp = (date: Date) => date.toISOString();

/**
 * Turns a service error into SMD's status and detail: `texts` gives the detail per error
 * code (a function receives the error), anything else keeps the service's message.
 */
export function asSmd(error: unknown, texts: Partial<Record<InventoryError['code'], string | ((e: InventoryError) => string)>>): unknown {
  if (!(error instanceof InventoryError)) return error;
  const text = texts[error.code];
  if (text === undefined) return error;
  const status = { BAD_USER_INPUT: 400, NOT_FOUND: 404, CONFLICT: 409, PRECONDITION_FAILED: 412 }[error.code];
  return new SmdError(status, typeof text === 'function' ? text(error) : text);
}

/** The service's message without its leading "field: " (for SMD's "couldn't validate ...: <reason>"). */
export function reasonOf(error: InventoryError): string {
  return error.field && error.message.startsWith(`${error.field}: `) ? error.message.slice(error.field.length + 2) : error.message;
}

/** Runs `fn`, turning its service errors into SMD ones with `texts`. */
export async function smd<T>(fn: () => Promise<T>, texts: Parameters<typeof asSmd>[1]): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw asSmd(error, texts);
  }
}

// Reading one cani record's fields with errors that name the record and the field, and the
// lossless mapping between the fields we keep no column for and RFD-conformant properties:
//   - a cani field `fooBar` is kept as the property `cani.foo_bar` (and read back as `fooBar`);
//   - a field whose name does not survive that conversion goes to `cani.extra_fields` verbatim;
//   - `customFields` entries are the properties themselves (keys that break the RFD rule, or
//     that would fall in our `cani.` namespace, are kept verbatim in `cani.custom_fields`).
import { ValidationError } from '../../domain/errors.js';
import { isValidPropertyKey, toPropertyKey } from '../../domain/property-keys.js';
import { NIL_UUID, UUID_PATTERN } from './vocabulary.js';

export const PREFIX = 'cani.';
/** Properties this mapping manages itself; a cani field of the same snake name goes to extra_fields. */
export const RESERVED = new Set([
  'kind',
  'fru_link',
  'rack_position',
  'face',
  'location_type',
  'custom_fields',
  'extra_fields',
  'inline',
  'spec_index',
]);
/** Spellings toPropertyKey would make unreadable. */
const ALIASES: Record<string, string> = { externalIDs: 'external_ids' };
const ALIAS_FIELDS = new Map(Object.entries(ALIASES).map(([field, key]) => [key, field]));

type Json = Record<string, unknown>;

export const camelize = (snake: string) => snake.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());

/** Values a cani writer emits for "unset": nothing is stored for them. */
export function isUnset(value: unknown): boolean {
  if (value === undefined || value === null || value === '' || value === NIL_UUID) return true;
  if (Array.isArray(value)) return value.length === 0;
  return typeof value === 'object' && Object.keys(value as object).length === 0;
}

/** One record's fields. Every field read is marked used; the rest become properties. */
export class RecordFields {
  private readonly used = new Set<string>();

  constructor(
    /** The record's JSON path: `devices.<uuid>`. */
    readonly path: string,
    private readonly raw: Json,
    /** Fields read under another name than the file's (an inline interface's `type`): ours → the file's. */
    private readonly spelled: Record<string, string> = {},
  ) {}

  /** The path of one of the record's fields, in the file's spelling. */
  at(field: string): string {
    return `${this.path}.${this.spelled[field] ?? field}`;
  }

  error(field: string, message: string): ValidationError {
    return new ValidationError(this.at(field), message);
  }

  /** The raw value, marked used. */
  take(field: string): unknown {
    this.used.add(field);
    return this.raw[field];
  }

  /** The raw value, left for the properties. */
  peek(field: string): unknown {
    return this.raw[field];
  }

  /** Marks fields cani derives on load (never authoritative in a file) as read and dropped. */
  drop(...fields: string[]): void {
    for (const field of fields) this.used.add(field);
  }

  text(field: string): string | null {
    const value = this.take(field);
    if (value === undefined || value === null) return null;
    if (typeof value !== 'string') throw this.error(field, `must be a string (got ${JSON.stringify(value)})`);
    return value.trim() === '' ? null : value;
  }

  /** A whole number ≥ 0 (Go's int); 0, the zero value, means unset. */
  count(field: string): number | null {
    const value = this.take(field);
    if (value === undefined || value === null) return null;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0)
      throw this.error(field, `must be a whole number ≥ 0 (got ${JSON.stringify(value)})`);
    return value === 0 ? null : value;
  }

  number(field: string): number | null {
    const value = this.take(field);
    if (value === undefined || value === null) return null;
    if (typeof value !== 'number' || !Number.isFinite(value)) throw this.error(field, `must be a number (got ${JSON.stringify(value)})`);
    return value;
  }

  bool(field: string): boolean {
    const value = this.take(field);
    if (value === undefined || value === null) return false;
    if (typeof value !== 'boolean') throw this.error(field, `must be true or false (got ${JSON.stringify(value)})`);
    return value;
  }

  /** A reference to another record; Go's nil UUID means none. */
  uuid(field: string): string | null {
    const value = this.take(field);
    if (value === undefined || value === null || value === '' || value === NIL_UUID) return null;
    if (typeof value !== 'string' || !UUID_PATTERN.test(value)) throw this.error(field, `must be a UUID (got ${JSON.stringify(value)})`);
    return value.toLowerCase();
  }

  object(field: string): Json {
    const value = this.take(field);
    if (value === undefined || value === null) return {};
    if (typeof value !== 'object' || Array.isArray(value)) throw this.error(field, 'must be a JSON object');
    return value as Json;
  }

  /**
   * The properties for this record: `customFields` entries, every field not read as a column
   * under `cani.`, and `managed` (this mapping's own `cani.*` entries, which win).
   */
  properties(managed: Json = {}): Json {
    const properties: Json = {};
    const verbatimCustom: Json = {};
    for (const [key, value] of Object.entries(this.object('customFields'))) {
      if (isValidPropertyKey(key) && key !== 'cani' && !key.startsWith(PREFIX)) properties[key] = value;
      else verbatimCustom[key] = value;
    }
    const extra: Json = {};
    for (const [field, value] of Object.entries(this.raw)) {
      if (this.used.has(field) || isUnset(value)) continue;
      const key = ALIASES[field] ?? toPropertyKey(field);
      const readsBack = ALIAS_FIELDS.get(key) === field || (!ALIAS_FIELDS.has(key) && camelize(key) === field);
      if (key && !key.includes('.') && readsBack && !RESERVED.has(key)) properties[PREFIX + key] = value;
      else extra[field] = value;
    }
    if (Object.keys(verbatimCustom).length) properties[`${PREFIX}custom_fields`] = verbatimCustom;
    if (Object.keys(extra).length) properties[`${PREFIX}extra_fields`] = extra;
    // A managed value of "" is kept: it records that the file had the field empty.
    for (const [key, value] of Object.entries(managed)) if (value !== null && value !== undefined) properties[PREFIX + key] = value;
    return properties;
  }
}

/**
 * The record's id: its map key, which must be a UUID (the nil one only where `nilAllowed`) and
 * match its `id` field when given. `path` and `spelled` name a record upgraded from another
 * shape as its file does.
 */
export function recordId(
  section: string,
  key: string,
  value: unknown,
  options: { nilAllowed?: boolean; path?: string; spelled?: Record<string, string> } = {},
): { id: string; fields: RecordFields } {
  const { nilAllowed = false, path = `${section}.${key}`, spelled } = options;
  if (!UUID_PATTERN.test(key) || (key === NIL_UUID && !nilAllowed))
    throw new ValidationError(path, `records are keyed by UUID (got ${JSON.stringify(key.slice(0, 40))})`);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new ValidationError(path, 'must be a JSON object');
  const fields = new RecordFields(path, value as Json, spelled);
  const id = fields.take('id');
  if (id !== undefined && id !== null && id !== NIL_UUID && (typeof id !== 'string' || id.toLowerCase() !== key.toLowerCase())) {
    throw fields.error('id', `must repeat the record's key ${key} (got ${JSON.stringify(id)})`);
  }
  return { id: key.toLowerCase(), fields };
}

/**
 * The cani fields held in `properties` (the inverse of RecordFields.properties): `fields` gets
 * the `cani.*` entries back under their camelCase names, `customFields` everything else.
 * Managed keys are returned apart for the caller to place.
 */
export function fieldsFromProperties(properties: unknown): {
  fields: Json;
  customFields: Json;
  managed: Json;
} {
  const fields: Json = {};
  const customFields: Json = {};
  const managed: Json = {};
  const entries = Object.entries((properties ?? {}) as Json);
  for (const [key, value] of entries) {
    const sub = key.startsWith(PREFIX) ? key.slice(PREFIX.length) : null;
    if (sub === null || sub.includes('.')) customFields[key] = value;
    else if (sub === 'custom_fields') Object.assign(customFields, value as Json);
    else if (sub === 'extra_fields') continue;
    else if (RESERVED.has(sub)) managed[sub] = value;
    else fields[ALIAS_FIELDS.get(sub) ?? camelize(sub)] = value;
  }
  const extra = (properties as Json | null)?.[`${PREFIX}extra_fields`];
  if (extra && typeof extra === 'object') Object.assign(fields, extra);
  return { fields, customFields, managed };
}

// What the SMD codecs share for reading a body in either dialect, and for naming a service
// field the way the SMD JSON spells it (errors of Fabrica and of the import name `spec.ID`,
// `IPAddresses.0.IPAddress`, not `xname`).
import { ValidationError } from '../../domain/errors.js';

/**
 * The two dialects SMD JSON arrives in, where a resource's decoder really reads them apart:
 * - 'strict': SMD's own /hsm/v2 handlers. Values must have Go's JSON types (SmdDecodeError
 *   otherwise), "" is Go's zero value (not given), and SMD's checks answer in SMD's words.
 * - 'lenient': Fabrica specs (/components …) and SMD dumps (the import). Values go to the
 *   services as they are (their ValidationError names the field at fault); "" and null clear
 *   a field, and a PUT's spec is the whole resource.
 */
export type SmdDialect = 'strict' | 'lenient';

/** Service input field → the SMD JSON key it comes from (xname → ID). */
export type FieldNames = Readonly<Record<string, string>>;

/** A lenient body read as an object; ValidationError naming `field` otherwise. */
export function smdObject(value: unknown, field: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new ValidationError(field, 'must be a JSON object');
  return value as Record<string, unknown>;
}

/** A JSON number, or a string holding an integer (Go's json.Number accepts both). */
export function smdInteger(value: unknown): unknown {
  if (typeof value === 'string' && /^\s*-?\d+\s*$/.test(value)) return Number.parseInt(value, 10);
  return value;
}

/** "" and null are SMD's "not set"; undefined stays undefined (not given). */
export function emptyAsNull(value: unknown): unknown {
  return value === '' ? null : value;
}

/** Drops undefined entries so a partial write only touches what the body names. */
export function withoutUndefined<T extends Record<string, unknown>>(obj: T): T {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as T;
}

/**
 * The dotted service field path (`components.3.xname`, `ipAddresses.0.address`) spelled with
 * the SMD JSON names (`ID`, `IPAddresses.0.IPAddress`); segments without a name stay as they are.
 */
export function smdFieldPath(field: string, names: FieldNames): string {
  return field
    .split('.')
    .map((part) => (Object.hasOwn(names, part) ? names[part] : part))
    .join('.');
}

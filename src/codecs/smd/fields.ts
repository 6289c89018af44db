// Shared helpers of the SMD JSON projections: reading SMD-shaped request bodies into service
// inputs, and naming a service field the way the SMD JSON spells it. Pure functions: no
// database, no HTTP. Used by the SMD (/hsm/v2) and Fabrica (/components …) route families.
import { type InventoryError, ValidationError } from '../../domain/errors.js';

/** Service input field → the SMD JSON key it comes from (xname → ID). */
export type FieldNames = Readonly<Record<string, string>>;

/** An SMD body read as an object; ValidationError naming `field` otherwise. */
export function smdObject(value: unknown, field: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new ValidationError(field, 'must be a JSON object');
  return value as Record<string, unknown>;
}

/** Looks a key up exactly, then case-insensitively (SMD decodes JSON with Go's case-insensitive matching). */
export function pick(body: Record<string, unknown>, key: string): unknown {
  if (key in body) return body[key];
  const lower = key.toLowerCase();
  const found = Object.keys(body).find((k) => k.toLowerCase() === lower);
  return found === undefined ? undefined : body[found];
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

/** An InventoryError's message without its leading "field: " (ValidationError puts it there). */
export function bareMessage(error: InventoryError): string {
  return error.field && error.message.startsWith(`${error.field}: `) ? error.message.slice(error.field.length + 2) : error.message;
}

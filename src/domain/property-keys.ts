// The RFD 112 rule for `properties` keys: lowercase snake_case, dots only as namespace
// separators (`bios.release_date`).
import { ValidationError } from './errors.js';
import { excerpt } from './excerpt.js';
import { requireStorable } from './storable-text.js';

export const PROPERTY_KEY_PATTERN = /^[a-z0-9_]+(\.[a-z0-9_]+)*$/;
export const PROPERTY_KEY_MAX_LENGTH = 128;

export function isValidPropertyKey(key: string): boolean {
  return key.length <= PROPERTY_KEY_MAX_LENGTH && PROPERTY_KEY_PATTERN.test(key);
}

export const PROPERTY_KEY_RULE = `keys are lowercase snake_case ([a-z0-9_]), dots only between namespace parts, at most ${PROPERTY_KEY_MAX_LENGTH} characters`;

/** The most bad keys one error names: a body can carry millions, and an error must stay short. */
export const MAX_KEYS_NAMED = 10;

/**
 * A properties object with keys that break the rule; `keys` lists them (the first
 * MAX_KEYS_NAMED, each cut to an excerpt) and `count` says how many there were.
 */
export class PropertyKeyError extends ValidationError {
  readonly keys: string[];
  readonly count: number;

  constructor(field: string, keys: string[]) {
    const named = keys.slice(0, MAX_KEYS_NAMED).map((key) => excerpt(key));
    const more = keys.length - named.length;
    super(
      `${field}.${named[0]}`,
      `bad property key${keys.length > 1 ? 's' : ''} ${named.map((k) => JSON.stringify(k)).join(', ')}${more ? ` and ${more} more` : ''}: ${PROPERTY_KEY_RULE}`,
    );
    this.keys = named;
    this.count = keys.length;
  }
}

/**
 * Throws a PropertyKeyError naming every bad key, or a ValidationError naming a value the store
 * cannot hold; returns the properties as a plain object otherwise.
 */
export function validateProperties(value: unknown, field = 'properties'): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ValidationError(field, 'must be a JSON object');
  }
  const bad = Object.keys(value).filter((key) => !isValidPropertyKey(key));
  if (bad.length > 0) throw new PropertyKeyError(field, bad);
  requireStorable(value, field);
  return value as Record<string, unknown>;
}

/** `properties` of a partial write: undefined when not given, validated otherwise. */
export function optionalProperties(value: unknown, field = 'properties'): Record<string, unknown> | undefined {
  return value === undefined ? undefined : validateProperties(value, field);
}

/**
 * Converts a key from another system to the rule (RFD 112's table: `biosBootMode` →
 * `bios_boot_mode`, `Wake-up Type` → `wake_up_type`, `bios.Release Date` → `bios.release_date`).
 */
export function toPropertyKey(key: string): string {
  return key
    .split('.')
    .map((part) =>
      part
        .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
        .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '_')
        .replace(/^_+|_+$/g, ''),
    )
    .filter((part) => part.length > 0)
    .join('.');
}

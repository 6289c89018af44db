// MAC addresses in the one form the inventory stores and compares: aa:bb:cc:dd:ee:ff.

import { ValidationError } from './errors.js';
import { quoted } from './excerpt.js';

const SEPARATED = /^[0-9a-f]{2}([:-])[0-9a-f]{2}(?:\1[0-9a-f]{2}){4}$/i;
const BARE = /^[0-9a-f]{12}$/i;
const DOTTED = /^[0-9a-f]{4}\.[0-9a-f]{4}\.[0-9a-f]{4}$/i;

/** Lowercase colon form from colon, hyphen, bare or Cisco dotted spelling; undefined if not a MAC. */
export function normalizeMac(raw: string): string | undefined {
  const text = raw.trim();
  if (!SEPARATED.test(text) && !BARE.test(text) && !DOTTED.test(text)) return undefined;
  const hex = text.replace(/[:.-]/g, '').toLowerCase();
  return hex.match(/../g)?.join(':');
}

/** An optional MAC input: undefined stays, null or "" clears, anything else must be a MAC. */
export function optionalMac(value: unknown, field: string): string | null | undefined {
  if (value === undefined || value === null) return value;
  if (typeof value === 'string' && value.trim() === '') return null;
  const mac = typeof value === 'string' ? normalizeMac(value) : undefined;
  if (!mac) {
    const forms = 'aa:bb:cc:dd:ee:ff, AA-BB-CC-DD-EE-FF, aabbccddeeff or aabb.ccdd.eeff';
    throw new ValidationError(field, `must be a MAC address written like ${forms} (got ${quoted(value)})`);
  }
  return mac;
}

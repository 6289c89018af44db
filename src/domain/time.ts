// RFC 3339 timestamps as the History API accepts them: a full date, time and offset.

import { ValidationError } from './errors.js';
import { quoted } from './excerpt.js';

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/** Whether `value` is meant as a timestamp (it starts with a date), valid or not. */
export function looksLikeTime(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}/.test(value);
}

export function parseTime(value: string, field: string): Date {
  const time = new Date(value);
  if (!RFC3339.test(value) || Number.isNaN(time.getTime())) {
    throw new ValidationError(field, `must be an RFC 3339 timestamp such as 2026-01-02T03:04:05Z (got ${quoted(value)})`);
  }
  return time;
}

/** A decimal integer from a query string, within [min, max]. */
export function parseIntParam(value: string, field: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const n = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max)
    throw new ValidationError(field, `must be an integer from ${min} to ${max} (got ${quoted(value)})`);
  return n;
}

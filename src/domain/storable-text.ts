// What the store can hold, checked where input arrives so a client hears which field is at
// fault instead of a database error: PostgreSQL refuses U+0000 in text and JSON, an unpaired
// UTF-16 surrogate is not Unicode (written as UTF-8 it comes back as U+FFFD, so SQLite would
// change it silently), and a value nested thousands deep overflows the stack of whatever walks
// it (Prisma's serialiser among them). The same rules hold on both engines.
import { ValidationError } from './errors.js';

export const MAX_JSON_DEPTH = 64;

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Why a string cannot be stored, or undefined when it can. */
export function unstorableText(text: string): string | undefined {
  if (text.includes('\u0000')) return 'contains U+0000 (NUL), which cannot be stored';
  if (LONE_SURROGATE.test(text)) return 'contains an unpaired UTF-16 surrogate, which is not Unicode text';
  return undefined;
}

export interface UnstorablePart {
  /** Dotted path of the value or key at fault ("" for the whole value). */
  path: string;
  reason: string;
}

const join = (path: string, key: string | number) => (path ? `${path}.${key}` : String(key));

/**
 * The first string or key of a JSON value that cannot be stored, or the first place nested
 * deeper than MAX_JSON_DEPTH. Walks without recursion, so any depth is safe to check.
 */
export function findUnstorable(value: unknown): UnstorablePart | undefined {
  const stack: Array<{ value: unknown; path: string; depth: number }> = [{ value, path: '', depth: 0 }];
  while (stack.length > 0) {
    const { value: node, path, depth } = stack.pop() as (typeof stack)[number];
    if (typeof node === 'string') {
      const reason = unstorableText(node);
      if (reason) return { path, reason };
      continue;
    }
    if (node === null || typeof node !== 'object') continue;
    if (depth >= MAX_JSON_DEPTH) return { path, reason: `nests deeper than ${MAX_JSON_DEPTH} levels` };
    const entries: Array<[string | number, unknown]> = Array.isArray(node) ? node.map((child, i) => [i, child]) : Object.entries(node);
    for (const [key] of entries) {
      const keyReason = typeof key === 'string' ? unstorableText(key) : undefined;
      if (keyReason) return { path: join(path, key), reason: `key ${keyReason}` };
    }
    for (let i = entries.length - 1; i >= 0; i--) stack.push({ value: entries[i][1], path: join(path, entries[i][0]), depth: depth + 1 });
  }
  return undefined;
}

/** Throws a ValidationError naming where in `field` a JSON value holds what cannot be stored. */
export function requireStorable(value: unknown, field: string): void {
  const unstorable = findUnstorable(value);
  if (unstorable) throw new ValidationError(unstorable.path ? `${field}.${unstorable.path}` : field, unstorable.reason);
}

// One line per change for a dry run's diff: "+" created, "-" deleted, "~" anything else, with
// the fields whose values differ between before and after.
import type { Change } from '../services/change-log.js';
import { stableJson } from '../services/stable-json.js';

const BOOKKEEPING = new Set(['updatedAt', 'createdAt', 'revision']);

function short(value: unknown): string {
  const text = JSON.stringify(value ?? null);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

export function changeLine(change: Change): string {
  const mark = change.action === 'created' ? '+' : change.action === 'deleted' ? '-' : '~';
  const head = `${mark} ${change.entityType} ${change.entityId} ${change.action}`;
  const before = (change.before ?? {}) as Record<string, unknown>;
  const after = (change.after ?? {}) as Record<string, unknown>;
  if (mark !== '~') return head;
  const fields = [...new Set([...Object.keys(before), ...Object.keys(after)])]
    .filter((f) => !BOOKKEEPING.has(f) && stableJson(before[f]) !== stableJson(after[f]))
    .sort()
    .map((f) => `${f}: ${short(before[f])} -> ${short(after[f])}`);
  return fields.length ? `${head}: ${fields.join('; ')}` : head;
}

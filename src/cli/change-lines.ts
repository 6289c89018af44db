// One line per change for a dry run's diff: "+" created, "-" deleted, "~" anything else, with
// the fields whose values differ.

import { summarizeChange } from '../interop/change-summary.js';
import type { Change } from '../services/core/index.js';

function short(value: unknown): string {
  const text = JSON.stringify(value ?? null);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

export function changeLine(change: Change): string {
  const { entityType, entityId, action, fields } = summarizeChange(change);
  const mark = action === 'created' ? '+' : action === 'deleted' ? '-' : '~';
  const head = `${mark} ${entityType} ${entityId} ${action}`;
  return fields.length ? `${head}: ${fields.map((f) => `${f.field}: ${short(f.from)} -> ${short(f.to)}`).join('; ')}` : head;
}

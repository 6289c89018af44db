// What one change did, field by field: the rows of a dry run's diff (CLI lines, REST and
// GraphQL answers alike). Bookkeeping columns are left out: they change on every write.
import { stableJson } from '../domain/stable-json.js';
import type { Change } from '../services/core/index.js';

const BOOKKEEPING = new Set(['updatedAt', 'createdAt', 'revision']);

/** A snapshot value as JSON can carry it: a BIGINT column (a NID) read as bigint becomes a number. */
const plain = (value: unknown) => (typeof value === 'bigint' ? Number(value) : (value ?? null));

export interface ChangeSummary {
  entityType: string;
  entityId: string;
  action: string;
  /** For changes other than created/deleted: each field whose value differs. */
  fields: Array<{ field: string; from: unknown; to: unknown }>;
}

export function summarizeChange(change: Change): ChangeSummary {
  const summary = {
    entityType: change.entityType,
    entityId: change.entityId,
    action: change.action,
    fields: [] as ChangeSummary['fields'],
  };
  if (change.action === 'created' || change.action === 'deleted') return summary;
  const before = (change.before ?? {}) as Record<string, unknown>;
  const after = (change.after ?? {}) as Record<string, unknown>;
  summary.fields = [...new Set([...Object.keys(before), ...Object.keys(after)])]
    .filter((f) => !BOOKKEEPING.has(f) && stableJson(before[f]) !== stableJson(after[f]))
    .sort()
    .map((field) => ({ field, from: plain(before[field]), to: plain(after[field]) }));
  return summary;
}

/** The columns a person knows a row by, best first: a position's xname, a name, a cable's label, an address. */
const NAMING = ['xname', 'name', 'label', 'address', 'serialNumber'];
/** Changes whose snapshot is not the entity's row (a member of a group, an installation in a position). */
const NOT_THE_ROW = new Set(['member_added', 'member_removed', 'installed', 'removed']);

/** How a person knows the changed entity (its xname, name …), when its snapshot says; null otherwise. */
export function changeName(change: Change): string | null {
  if (NOT_THE_ROW.has(change.action)) return null;
  for (const snapshot of [change.after, change.before]) {
    if (!snapshot || typeof snapshot !== 'object') continue;
    for (const key of NAMING) {
      const value = (snapshot as Record<string, unknown>)[key];
      if (typeof value === 'string' && value.trim() !== '') return value;
    }
  }
  return null;
}

// How one record's changes are filed: a row written twice for one record (created, then given
// a link found later) is one change.
import { ConflictError } from '../../domain/errors.js';
import { stableJson } from '../../domain/stable-json.js';
import type { Change } from '../../services/core/index.js';

type Json = Record<string, unknown>;

/** The fields of `desired` whose values differ from `row`'s; null when none do. */
export function differences<T extends Json>(row: Json, desired: T): Partial<T> | null {
  const patch: Json = {};
  for (const [field, value] of Object.entries(desired)) if (!sameValue(row[field], value)) patch[field] = value;
  return Object.keys(patch).length ? (patch as Partial<T>) : null;
}

/** Text, booleans and finite numbers compare as they are; anything else as stable JSON (dates, bigints, Json). */
const plain = (value: unknown) =>
  value == null || typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));

function sameValue(stored: unknown, wanted: unknown): boolean {
  if (plain(stored) && plain(wanted)) return (stored ?? null) === (wanted ?? null);
  return stableJson(stored) === stableJson(wanted);
}

/** One record's changes to one row, as one change (created, or before → after). */
export function combined(changes: Change[]): Change[] {
  if (changes.length <= 1) return changes;
  const first = changes[0];
  const last = changes[changes.length - 1];
  const action = first.action === 'created' ? 'created' : last.action;
  return [
    {
      entityType: first.entityType,
      entityId: first.entityId,
      action,
      before: first.action === 'created' ? undefined : first.before,
      after: last.after,
    },
  ];
}

/**
 * A row written when its record was read and once more when its link was found: created (its
 * one change is the row after the link), or the record's change before the link, if any.
 */
export type Deferred = { created: true } | { created: false; change?: Change };

export function withDeferred(deferred: Deferred, changes: Change[]): Change[] {
  if (!deferred.created) return combined([...(deferred.change ? [deferred.change] : []), ...changes]);
  const last = changes[changes.length - 1];
  // A created row always gets its missing link here, so there is a change to report.
  if (!last) throw new Error('a deferred link of a created row changed nothing');
  return [{ entityType: last.entityType, entityId: last.entityId, action: 'created', after: last.after }];
}

/** A deferred row's change without its link (another record of the same key sets it): the row as written. */
export function asWritten(deferred: Deferred, row: { id: string }): Change[] {
  if (deferred.created) return [{ entityType: 'Device', entityId: row.id, action: 'created', after: row }];
  return deferred.change ? [deferred.change] : [];
}

export function deletedRow(path: string, what: string, id: string): ConflictError {
  return new ConflictError(`${path}.id`, `${path}: ${what} ${id} was deleted from the inventory; restore it before importing it again`);
}

// Field-level differences between two device inventories (as history-state rebuilds them).

import { stableJson } from '../../domain/stable-json.js';
import type { DeviceState } from './state.js';

/** Bookkeeping that changes with every write; not a change anyone asked about. */
const IGNORED_FIELDS = new Set(['updatedAt', 'revision']);

export interface FieldChange {
  field: string;
  from: unknown;
  to: unknown;
}

export interface InventoryChanges {
  added: DeviceState[];
  removed: DeviceState[];
  changed: Array<{ id: string; changes: FieldChange[] }>;
}

export function fieldChanges(from: DeviceState, to: DeviceState): FieldChange[] {
  const fields = [...new Set([...Object.keys(from), ...Object.keys(to)])].filter((f) => !IGNORED_FIELDS.has(f)).sort();
  return fields
    .filter((field) => stableJson(from[field]) !== stableJson(to[field]))
    .map((field) => ({ field, from: from[field] ?? null, to: to[field] ?? null }));
}

export function diffInventories(from: DeviceState[], to: DeviceState[]): InventoryChanges {
  const before = new Map(from.map((d) => [d.id, d]));
  const after = new Map(to.map((d) => [d.id, d]));
  const changed: InventoryChanges['changed'] = [];
  for (const [id, device] of after) {
    const old = before.get(id);
    const changes = old ? fieldChanges(old, device) : [];
    if (changes.length) changed.push({ id, changes });
  }
  return {
    added: to.filter((d) => !before.has(d.id)),
    removed: from.filter((d) => !after.has(d.id)),
    changed,
  };
}

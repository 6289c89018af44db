// Applies an approved scan diff inside the caller's transaction through the device services'
// own rules (parent checks, revisions, no removal of a device with live children).
import { randomUUID } from 'node:crypto';
import type { Tx } from '../../db/client.js';
import type { Change } from '../core/change-log.js';
import { type DeviceInput, deleteDeviceIn, updateDeviceIn } from '../inventory/device.js';
import { createDevicesIn } from '../inventory/device-bulk.js';
import type { ParentRef, ScanCreate, ScanDiff } from './diff.js';

export interface AppliedCounts {
  created: number;
  updated: number;
  moved: number;
  removed: number;
}

/** Creates ordered so that a parent created by the same scan comes before its children. */
function parentsFirst(creates: ScanCreate[]): ScanCreate[] {
  const byRef = new Map(creates.map((c) => [c.ref, c]));
  const ordered: ScanCreate[] = [];
  const placed = new Set<number>();
  const place = (create: ScanCreate) => {
    if (placed.has(create.ref)) return;
    placed.add(create.ref);
    const parent = create.parent && 'ref' in create.parent ? byRef.get(create.parent.ref) : undefined;
    if (parent) place(parent);
    ordered.push(create);
  };
  creates.forEach(place);
  return ordered;
}

/** Property writes replace the whole object, so the scan's keys are merged into the stored ones. */
function withChanges(input: DeviceInput, changes: ScanDiff['updates'][number]['changes'], stored: Record<string, unknown>): DeviceInput {
  const properties: Record<string, unknown> = { ...stored };
  let touched = false;
  for (const { field, to } of changes) {
    if (field.startsWith('properties.')) {
      properties[field.slice('properties.'.length)] = to;
      touched = true;
    } else (input as Record<string, unknown>)[field] = to;
  }
  return touched ? { ...input, properties } : input;
}

/** The stored properties of the devices whose scanned properties are merged in, in one query. */
async function propertiesOf(tx: Tx, ids: string[]): Promise<Map<string, Record<string, unknown>>> {
  if (ids.length === 0) return new Map();
  const rows = await tx.device.findMany({ where: { id: { in: ids } }, select: { id: true, properties: true } });
  return new Map(rows.map((row) => [row.id, row.properties as Record<string, unknown>]));
}

export async function applyScanDiff(tx: Tx, diff: ScanDiff): Promise<{ counts: AppliedCounts; changes: Change[] }> {
  const ordered = parentsFirst(diff.creates);
  const createdIds = new Map(ordered.map((create) => [create.ref, randomUUID()]));
  const parentId = (ref: ParentRef) => ('deviceId' in ref ? ref.deviceId : (createdIds.get(ref.ref) as string));
  const created = await createDevicesIn(
    tx,
    ordered.map(({ ref, parent, ...fields }) => ({
      id: createdIds.get(ref),
      input: { ...fields, parentId: parent ? parentId(parent) : null },
    })),
  );
  const changes: Change[] = [...created.changes];

  // A device both updated and moved gets one write, checked against the revision the scan saw.
  const edits = new Map<string, { revision: number; input: DeviceInput; changes: ScanDiff['updates'][number]['changes'] }>();
  const edit = (deviceId: string, revision: number) => {
    let entry = edits.get(deviceId);
    if (!entry) edits.set(deviceId, (entry = { revision, input: {}, changes: [] }));
    return entry;
  };
  for (const move of diff.moves) edit(move.deviceId, move.revision).input.parentId = parentId(move.to);
  for (const update of diff.updates) edit(update.deviceId, update.revision).changes.push(...update.changes);
  const storedProperties = await propertiesOf(
    tx,
    [...edits].filter(([, edit]) => edit.changes.some((c) => c.field.startsWith('properties.'))).map(([id]) => id),
  );
  for (const [deviceId, { revision, input, changes: fieldChanges }] of edits) {
    const done = await updateDeviceIn(tx, deviceId, withChanges(input, fieldChanges, storedProperties.get(deviceId) ?? {}), {
      expectedRevision: revision,
    });
    changes.push(...done.changes);
  }

  for (const removal of diff.removals)
    changes.push(...(await deleteDeviceIn(tx, removal.deviceId, { expectedRevision: removal.revision })).changes);

  return {
    counts: { created: diff.creates.length, updated: diff.updates.length, moved: diff.moves.length, removed: diff.removals.length },
    changes,
  };
}

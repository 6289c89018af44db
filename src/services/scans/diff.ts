// The diff a scan proposes: what approval would create, update, move and remove. Stored as
// JSON on the Scan, so each entry carries what an admin needs to judge it and what approval
// needs to apply it (device ids and the revisions they were seen at).

import type { ScannedItem } from './payload.js';

/** A parent: an existing device, or an item of the same scan that approval creates (`ref`). */
export type ParentRef =
  | { deviceId: string; serialNumber: string | null; deviceType: string | null }
  | { ref: number; serialNumber: string | null; deviceType: string };

export interface FieldChange {
  field: string;
  from: unknown;
  to: unknown;
}

/** The device fields a create takes from the scanned item. */
type ScannedDeviceFields = Pick<
  ScannedItem,
  'deviceType' | 'manufacturer' | 'partNumber' | 'serialNumber' | 'model' | 'name' | 'properties'
>;

export interface ScanCreate extends ScannedDeviceFields {
  /** The item's index in the scan's rawData. */
  ref: number;
  parent: ParentRef | null;
}

interface ExistingDevice {
  deviceId: string;
  /** The revision the scan saw; approval refuses (409) a device changed since. */
  revision: number;
  serialNumber: string | null;
  deviceType: string;
}

export interface ScanUpdate extends ExistingDevice {
  ref: number;
  changes: FieldChange[];
}

export interface ScanMove extends ExistingDevice {
  ref: number;
  from: ParentRef | null;
  to: ParentRef;
}

export interface ScanRemoval extends ExistingDevice {
  parent: ParentRef | null;
}

export interface ScanDiff {
  creates: ScanCreate[];
  updates: ScanUpdate[];
  moves: ScanMove[];
  /** Deepest first, so each device is removed after its children. */
  removals: ScanRemoval[];
}

export function isEmptyDiff(diff: ScanDiff): boolean {
  return diff.creates.length + diff.updates.length + diff.moves.length + diff.removals.length === 0;
}

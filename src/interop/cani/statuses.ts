// cani's status vocabulary (Nautobot's statuses, pkg/devicetypes/nautobot_status.go) against
// the gateway's closed ones. Where a column holds one of ours (a device's, a cable's status) a
// cani status maps to it, and the cani spelling is kept beside it (`cani.status`) whenever the
// column alone would not give it back; elsewhere (racks, locations, interfaces) the status is
// stored as written. Our own words are accepted too, in any case.
import { ValidationError } from '../../domain/errors.js';
import { CABLE_STATUSES, DEVICE_STATUSES } from '../../domain/vocabulary.js';

/** Every status cani knows, in its spelling. */
export const CANI_STATUSES = [
  'Active',
  'Available',
  'Connected',
  'Decommissioned',
  'Decommissioning',
  'Deprecated',
  'Deprovisioning',
  'Down',
  'End-of-Life',
  'Extended Support',
  'Failed',
  'Inventory',
  'Maintenance',
  'Offline',
  'Planned',
  'Primary',
  'Provisioning',
  'Reserved',
  'Retired',
  'Secondary',
  'Staged',
  'Staging',
] as const;

type DeviceStatus = (typeof DEVICE_STATUSES)[number];
type CableStatus = (typeof CABLE_STATUSES)[number];

/** One column's vocabulary: cani's statuses (lower case) → ours, and ours → cani's spelling. */
interface StatusMap<T extends string> {
  ours: readonly T[];
  /** The column value of a record without a status. */
  unset: T;
  fromCani: Record<string, T>;
  spelling: Record<T, string>;
}

const group = <T extends string>(groups: Record<T, string[]>): Record<string, T> =>
  Object.fromEntries(Object.entries(groups).flatMap(([ours, words]) => (words as string[]).map((w) => [w.toLowerCase(), ours as T])));

const DEVICE: StatusMap<DeviceStatus> = {
  ours: DEVICE_STATUSES,
  unset: 'active',
  fromCani: group<DeviceStatus>({
    active: ['Active', 'Available', 'Connected', 'Primary', 'Secondary', 'Extended Support'],
    planned: ['Planned', 'Reserved'],
    staged: ['Staged', 'Staging', 'Provisioning'],
    inactive: ['Inventory', 'Offline', 'Deprecated'],
    failed: ['Failed', 'Down'],
    maintenance: ['Maintenance'],
    decommissioned: ['Decommissioned', 'Decommissioning', 'Deprovisioning', 'Retired', 'End-of-Life'],
  }),
  spelling: {
    active: 'Active',
    planned: 'Planned',
    staged: 'Staged',
    inactive: 'Offline',
    failed: 'Failed',
    maintenance: 'Maintenance',
    decommissioned: 'Decommissioned',
  },
};

/** Nautobot cables are Connected, Planned or Decommissioning; cani's other words fall in one of them. */
const CABLE: StatusMap<CableStatus> = {
  ours: CABLE_STATUSES,
  unset: 'connected',
  fromCani: group<CableStatus>({
    connected: ['Connected', 'Active', 'Available', 'Primary', 'Secondary', 'Extended Support', 'Maintenance', 'Failed', 'Down', 'Offline'],
    planned: ['Planned', 'Reserved', 'Staged', 'Staging', 'Provisioning', 'Inventory'],
    decommissioning: ['Decommissioning', 'Decommissioned', 'Deprovisioning', 'Retired', 'End-of-Life', 'Deprecated'],
  }),
  spelling: { connected: 'Connected', planned: 'Planned', decommissioning: 'Decommissioning' },
};

export interface MappedStatus<T extends string> {
  /** The column value. */
  column: T;
  /** The status as written, when the column's cani spelling is not it (else null). */
  original: string | null;
}

/** A record without a status (or with "") gets the column's default, and "" is kept to say so. */
function mapStatus<T extends string>(map: StatusMap<T>, raw: string | null, field: string): MappedStatus<T> {
  if (raw === null || raw.trim() === '') return { column: map.unset, original: '' };
  const key = raw.trim().toLowerCase();
  const column = map.fromCani[key] ?? map.ours.find((s) => s === key);
  if (!column) {
    throw new ValidationError(
      field,
      `must be one of cani's statuses (${CANI_STATUSES.join(', ')}) or ours (${map.ours.join(', ')}) (got ${JSON.stringify(raw.slice(0, 40))})`,
    );
  }
  return { column, original: raw === map.spelling[column] ? null : raw };
}

/** The status cani writes for a column value: the stored spelling while it still means that value. */
function caniSpelling<T extends string>(map: StatusMap<T>, column: string, stored: unknown): string {
  if (stored === '' && column === map.unset) return '';
  if (typeof stored === 'string') {
    const key = stored.trim().toLowerCase();
    if ((map.fromCani[key] ?? map.ours.find((s) => s === key)) === column) return stored;
  }
  return map.spelling[column as T] ?? column;
}

export const deviceStatus = (raw: string | null, field: string) => mapStatus(DEVICE, raw, field);
export const cableStatus = (raw: string | null, field: string) => mapStatus(CABLE, raw, field);
export const caniDeviceStatus = (column: string, stored: unknown) => caniSpelling(DEVICE, column, stored);
export const caniCableStatus = (column: string, stored: unknown) => caniSpelling(CABLE, column, stored);
/** How cani's migration spells a v1alpha1 status: known ones in their canonical case, others as they are. */
export function normalizedCaniStatus(raw: string): string {
  return CANI_STATUSES.find((s) => s.toLowerCase() === raw.toLowerCase()) ?? raw;
}

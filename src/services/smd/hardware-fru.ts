// A FRU as SMD's hardware inventory shows it, over a device row: its FRU ID (the stored one, else
// SMD's standard FRUID <Type>.<Manufacturer>.<PartNumber>.<SerialNumber>, else FRUIDfor<xname>,
// so GraphQL-made inventory shows up too) and its *FRUInfo block; and which live device a FRU
// written through SMD is. Shared by the hardware inventory's reads and its writers.
import type { Prisma, Tx } from '../../db/client.js';
import { standardFruId } from '../../domain/smd-hardware.js';
import { stableJson } from '../../domain/stable-json.js';

export interface FruView {
  deviceId: string;
  fruId: string;
  /** The HMS type: where it is installed, else its device type when that is one. */
  type: string;
  deviceType: string;
  manufacturer: string | null;
  partNumber: string | null;
  serialNumber: string | null;
  model: string | null;
  /** The stored *FRUInfo block, else one made of the device's columns. */
  fruInfo: Record<string, unknown>;
  /** Where it is installed now, if anywhere. */
  xname: string | null;
}

export interface DeviceColumns {
  deviceId: string | null;
  deviceType: string | null;
  manufacturer: string | null;
  partNumber: string | null;
  serialNumber: string | null;
  model: string | null;
  fruId: string | null;
  fruInfo: unknown;
}

/** A FRU as SMD writes it (POST /Inventory/Hardware, an import's PopulatedFRU). */
export interface FruInput {
  fruId: string;
  manufacturer?: string | null;
  partNumber?: string | null;
  serialNumber?: string | null;
  model?: string | null;
  fruInfo: Record<string, unknown>;
}

type DeviceRow = Prisma.DeviceGetPayload<object>;

/** A JSON column's object (SQLite's raw reads answer JSON as text). */
export const parsed = (value: unknown): Record<string, unknown> | null => {
  const v = typeof value === 'string' ? (JSON.parse(value) as unknown) : value;
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
};

export function fruOf(d: DeviceColumns, locationType: string | null, xname: string | null): FruView | null {
  if (!d.deviceId) return null;
  const deviceType = d.deviceType ?? '';
  const type = locationType ?? deviceType;
  const derived = Object.fromEntries(
    Object.entries({ Manufacturer: d.manufacturer, Model: d.model, PartNumber: d.partNumber, SerialNumber: d.serialNumber }).filter(
      ([, v]) => v != null,
    ),
  );
  return {
    deviceId: d.deviceId,
    fruId: d.fruId ?? standardFruId(type, xname ?? d.deviceId, d.manufacturer, d.partNumber, d.serialNumber),
    type,
    deviceType,
    manufacturer: d.manufacturer,
    partNumber: d.partNumber,
    serialNumber: d.serialNumber,
    model: d.model,
    fruInfo: parsed(d.fruInfo) ?? derived,
    xname,
  };
}

/** A location's ordinal when none is stored: the xname's last number. */
export const ordinalOf = (xname: string) => Number(/(\d+)$/.exec(xname)?.[1] ?? 0);

const text = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);

/** The device columns a FRU sets. */
export function fruFields(fru: FruInput) {
  return {
    fruId: fru.fruId,
    fruInfo: fru.fruInfo as Prisma.InputJsonObject,
    manufacturer: text(fru.manufacturer),
    serialNumber: text(fru.serialNumber),
    partNumber: text(fru.partNumber),
    model: text(fru.model),
  };
}

export type FruFields = ReturnType<typeof fruFields>;

/** The live devices any of these FRUs may be (see pickFruDevice), in one query. */
export async function fruDeviceCandidates(tx: Tx, fields: FruFields[]): Promise<DeviceRow[]> {
  if (fields.length === 0) return [];
  const serials = [...new Set(fields.flatMap((f) => (f.manufacturer && f.serialNumber ? [f.serialNumber] : [])))];
  return tx.device.findMany({
    where: {
      deletedAt: null,
      OR: [{ fruId: { in: [...new Set(fields.map((f) => f.fruId))] } }, ...(serials.length ? [{ serialNumber: { in: serials } }] : [])],
    },
  });
}

/** The live device a FRU is: the one with its FRU ID, else with its manufacturer and serial number. */
export function pickFruDevice(fields: FruFields, candidates: readonly DeviceRow[]): DeviceRow | null {
  const { fruId, manufacturer, serialNumber } = fields;
  return (
    candidates.find((d) => d.fruId === fruId) ??
    (manufacturer && serialNumber
      ? candidates.find((d) => d.manufacturer === manufacturer && d.serialNumber === serialNumber)
      : undefined) ??
    null
  );
}

/** pickFruDevice among the store's live devices. */
export async function findFruDevice(tx: Tx, fields: FruFields): Promise<DeviceRow | null> {
  return pickFruDevice(fields, await fruDeviceCandidates(tx, [fields]));
}

/**
 * Whether the device already reads as this FRU: its FRU ID and info as the hardware inventory
 * shows them (SMD's standard FRUID and the identity columns when none is stored), so importing
 * an export of this store changes nothing.
 */
export function holdsFru(device: DeviceRow, fields: FruFields, type: string, xname: string): boolean {
  const { fruId, fruInfo, ...columns } = fields;
  const view = fruOf({ ...device, deviceId: device.id }, type, xname) as FruView;
  return (
    view.fruId === fruId &&
    stableJson(view.fruInfo) === stableJson(fruInfo) &&
    Object.entries(columns).every(([field, value]) => device[field as keyof typeof columns] === value)
  );
}

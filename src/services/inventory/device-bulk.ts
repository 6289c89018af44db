// Creating thousands of devices in one transaction (a scan's approval) in a few statements
// instead of two per device, with createDeviceIn's rules: the same field checks, a parent must
// be live (or created earlier in the same list), a live manufacturer + serial number is a 409.
import { randomUUID } from 'node:crypto';
import { createManyReturning } from '../../db/bulk-insert.js';
import type { Prisma, Tx } from '../../db/client.js';
import { ConflictError, NotFoundError } from '../../domain/errors.js';
import type { Change } from '../core/change-log.js';
import { checkFields, createDeviceIn, type DeviceInput } from './device.js';

type DeviceRow = Prisma.DeviceGetPayload<object>;

export interface NewDevice {
  input: DeviceInput;
  /** The id to give it, so later items can name it as their parent; made here when absent. */
  id?: string;
}

const serialKey = (manufacturer: string | null | undefined, serialNumber: string | null | undefined) =>
  manufacturer && serialNumber ? `${manufacturer}\u0000${serialNumber}` : undefined;

/** The unique key (manufacturer, serialNumber) only binds when both are set, as in the database. */
async function refuseTakenSerials(tx: Tx, fields: Array<{ manufacturer?: string | null; serialNumber?: string | null }>): Promise<void> {
  const seen = new Set<string>();
  for (const f of fields) {
    const key = serialKey(f.manufacturer, f.serialNumber);
    if (!key) continue;
    if (seen.has(key)) throw new ConflictError('manufacturer.serialNumber', `${f.manufacturer} ${f.serialNumber} is given twice`);
    seen.add(key);
  }
  if (seen.size === 0) return;
  const serials = [...new Set(fields.map((f) => f.serialNumber).filter((s): s is string => !!s))];
  const taken = await tx.device.findMany({
    where: { serialNumber: { in: serials }, deletedAt: null },
    select: { id: true, manufacturer: true, serialNumber: true },
  });
  const clash = taken.find((d) => seen.has(serialKey(d.manufacturer, d.serialNumber) as string));
  if (clash)
    throw new ConflictError(
      'manufacturer.serialNumber',
      `a live Device with the same manufacturer, serialNumber already exists (${clash.id})`,
    );
}

/**
 * Creates `items` in order, each after its parent: by level, one multi-row INSERT per level
 * (a device placed in a rack or location goes through createDeviceIn on its own). Returns the
 * rows in input order and their 'created' changes for the caller to log.
 */
export async function createDevicesIn(tx: Tx, items: NewDevice[]): Promise<{ result: DeviceRow[]; changes: Change[] }> {
  const planned = items.map(({ input, id }) => ({ id: id ?? randomUUID(), input, fields: checkFields(input, true), level: 0 }));
  const levelOf = new Map<string, number>();
  const outside = new Set<string>();
  for (const item of planned) {
    const parentId = item.input.parentId;
    if (parentId && levelOf.has(parentId)) item.level = (levelOf.get(parentId) as number) + 1;
    else if (parentId) outside.add(parentId);
    levelOf.set(item.id, item.level);
  }
  if (outside.size) {
    const live = new Set(
      (await tx.device.findMany({ where: { id: { in: [...outside] }, deletedAt: null }, select: { id: true } })).map((d) => d.id),
    );
    const missing = [...outside].find((id) => !live.has(id));
    if (missing) throw new NotFoundError('Device', missing, 'parentId');
  }
  await refuseTakenSerials(
    tx,
    planned.map((p) => p.fields),
  );

  const created = new Map<string, DeviceRow>();
  const levels = Math.max(-1, ...planned.map((p) => p.level)) + 1;
  for (let level = 0; level < levels; level += 1) {
    const here = planned.filter((p) => p.level === level);
    const placed = here.filter((p) => p.input.rackId || p.input.locationId || p.input.rackPosition != null);
    for (const p of placed) created.set(p.id, (await createDeviceIn(tx, p.input, { id: p.id })).result);
    const plain = here.filter((p) => !placed.includes(p));
    const rows = await createManyReturning<DeviceRow>(
      tx,
      'Device',
      plain.map((p) => ({
        properties: {},
        providerMetadata: {},
        externalIds: {},
        ...p.fields,
        id: p.id,
        deviceType: p.fields.deviceType as string,
        parentId: p.input.parentId ?? null,
      })),
    );
    for (const row of rows) created.set(row.id, row);
  }
  const result = planned.map((p) => created.get(p.id) as DeviceRow);
  return {
    result,
    changes: result.map((device) => ({ entityType: 'Device', entityId: device.id, action: 'created' as const, after: device })),
  };
}

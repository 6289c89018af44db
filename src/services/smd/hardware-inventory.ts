// SMD hardware inventory over the one store: a location (HWInvByLoc) is a position
// (Component: ordinal, hwStatus, locationInfo) with the device installed there; a FRU
// (HWInvByFRU) is a device with its FRU identity (fruId, fruInfo); the history (HWInvHist) is
// the Installation rows: an install is "Added" at the position, its end "Removed".
//
// A device without a stored fruId gets SMD's standard FRUID (<Type>.<Manufacturer>.<PartNumber>
// .<SerialNumber>, else FRUIDfor<xname>), so GraphQL-made inventory shows up here too.
import type { Db, Prisma, Tx } from '../../db/client.js';
import { ConflictError, NotFoundError } from '../../domain/errors.js';
import { HARDWARE_TYPES } from '../../domain/smd-hardware.js';
import { Prisma as P } from '../../generated/sqlite/client.js';
import type { Change } from '../core/change-log.js';
import type { ServiceContext } from '../core/context.js';
import { softDeleted } from '../core/lookup.js';
import { type WriteResult, write } from '../core/transaction.js';
import { type ReadSource, readerOf } from '../inventory/interface-queries.js';
import { closeInstallationsIn, installDeviceIn, upsertComponentsIn } from './component.js';
import { type DeviceColumns, type FruInput, type FruView, findFruDevice, fruFields, fruOf, ordinalOf, parsed } from './hardware-fru.js';

export type { FruView } from './hardware-fru.js';
export { type HardwareLocationSync, syncHardwareLocationIn, syncHardwareLocationsIn } from './hardware-sync.js';

/** Splits a list for IN clauses (SQLite binds at most 999 parameters through Prisma). */
function chunks<T>(list: T[], size = 500): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

export interface HardwareLocationView {
  componentId: string;
  xname: string;
  type: string;
  ordinal: number;
  status: string;
  locationInfo: Record<string, unknown>;
  fru: FruView | null;
}

export interface HardwareFilter {
  xnames?: string[];
  types?: string[];
  manufacturers?: string[];
  partNumbers?: string[];
  serialNumbers?: string[];
  fruIds?: string[];
  /** Partition names: members of any of them. */
  partitions?: string[];
}

const MAX_SQL_LIST = 500;

interface LocationRow extends DeviceColumns {
  componentId: string;
  xname: string;
  type: string;
  ordinal: number | null;
  hwStatus: string | null;
  locationInfo: unknown;
}

function locationSql(filter: HardwareFilter): P.Sql {
  const where: P.Sql[] = [
    P.sql`c."deletedAt" IS NULL`,
    P.sql`(c."hwStatus" IS NOT NULL OR i."id" IS NOT NULL)`,
    P.sql`c."type" IN (${P.join([...HARDWARE_TYPES])})`,
  ];
  if (filter.xnames?.length && filter.xnames.length <= MAX_SQL_LIST) where.push(P.sql`c."xname" IN (${P.join(filter.xnames)})`);
  if (filter.types?.length) where.push(P.sql`c."type" IN (${P.join(filter.types)})`);
  return P.sql`
    SELECT c."id" AS "componentId", c."xname" AS "xname", c."type" AS "type", c."ordinal" AS "ordinal", c."hwStatus" AS "hwStatus", c."locationInfo" AS "locationInfo",
           d."id" AS "deviceId", d."deviceType" AS "deviceType", d."manufacturer" AS "manufacturer", d."partNumber" AS "partNumber",
           d."serialNumber" AS "serialNumber", d."model" AS "model", d."fruId" AS "fruId", d."fruInfo" AS "fruInfo"
    FROM "Component" c
    LEFT JOIN "Installation" i ON i."componentId" = c."id" AND i."open" = ${true}
    LEFT JOIN "Device" d ON d."id" = i."deviceId"
    WHERE ${P.join(where, ' AND ')}
    ORDER BY c."xname"`;
}

async function partitionMembers(db: Db | Tx, partitions: string[]): Promise<Set<string>> {
  const rows = await db.groupMember.findMany({
    where: {
      live: true,
      componentId: { not: null },
      group: { kind: 'partition', name: { in: partitions.map((p) => p.toLowerCase()) }, deletedAt: null },
    },
    select: { componentId: true },
  });
  return new Set(rows.map((r) => r.componentId as string));
}

/** SMD hardware locations (HWInvByLoc) matching `filter`, by xname. */
export async function listHardwareLocations(source: ReadSource, filter: HardwareFilter = {}): Promise<HardwareLocationView[]> {
  const db = readerOf(source);
  const rows = await db.$queryRaw<LocationRow[]>(locationSql(filter));
  const members = filter.partitions?.length ? await partitionMembers(db, filter.partitions) : undefined;
  const keep = (list: string[] | undefined, value: string | null | undefined) => !list?.length || list.includes(value ?? '');
  const out: HardwareLocationView[] = [];
  for (const r of rows) {
    if (members && !members.has(r.componentId)) continue;
    if (!keep(filter.xnames, r.xname)) continue;
    const fru = fruOf(r, r.type, r.xname);
    if (
      !keep(filter.manufacturers, fru?.manufacturer) ||
      !keep(filter.partNumbers, fru?.partNumber) ||
      !keep(filter.serialNumbers, fru?.serialNumber) ||
      !keep(filter.fruIds, fru?.fruId)
    )
      continue;
    out.push({
      componentId: r.componentId,
      xname: r.xname,
      type: r.type,
      ordinal: r.ordinal ?? ordinalOf(r.xname),
      status: r.hwStatus ?? (fru ? 'Populated' : 'Empty'),
      locationInfo: parsed(r.locationInfo) ?? {},
      fru,
    });
  }
  return out;
}

interface FruRow extends DeviceColumns {
  xname: string | null;
  locationType: string | null;
}

/** SMD FRUs (HWInvByFRU): devices with a FRU ID or an installation, by FRUID. */
export async function listFrus(source: ReadSource, filter: Omit<HardwareFilter, 'xnames' | 'partitions'> = {}): Promise<FruView[]> {
  const rows = await readerOf(source).$queryRaw<FruRow[]>`
    SELECT d."id" AS "deviceId", d."deviceType" AS "deviceType", d."manufacturer" AS "manufacturer", d."partNumber" AS "partNumber",
           d."serialNumber" AS "serialNumber", d."model" AS "model", d."fruId" AS "fruId", d."fruInfo" AS "fruInfo",
           c."xname" AS "xname", c."type" AS "locationType"
    FROM "Device" d
    LEFT JOIN "Installation" i ON i."deviceId" = d."id" AND i."open" = ${true}
    LEFT JOIN "Component" c ON c."id" = i."componentId"
    WHERE d."deletedAt" IS NULL AND (d."fruId" IS NOT NULL OR i."id" IS NOT NULL)`;
  const keep = (list: string[] | undefined, value: string | null | undefined) => !list?.length || list.includes(value ?? '');
  return rows
    .map((r) => fruOf(r, r.locationType, r.xname) as FruView)
    .filter(
      (f) =>
        keep(filter.fruIds, f.fruId) &&
        keep(filter.types, f.type) &&
        keep(filter.manufacturers, f.manufacturer) &&
        keep(filter.partNumbers, f.partNumber) &&
        keep(filter.serialNumbers, f.serialNumber),
    )
    .sort((a, b) => a.fruId.localeCompare(b.fruId));
}

export interface HistoryEvent {
  xname: string;
  fruId: string;
  timestamp: Date;
  eventType: 'Added' | 'Removed';
  installationId: string;
}

export interface HistoryFilter {
  xnames?: string[];
  fruIds?: string[];
  eventTypes?: string[];
  start?: Date;
  end?: Date;
}

interface HistoryRow extends DeviceColumns {
  installationId: string;
  installedAt: Date;
  removedAt: Date | null;
  xname: string;
  type: string;
}

async function historyRows(db: Db | Tx): Promise<HistoryRow[]> {
  return db.$queryRaw<HistoryRow[]>`
    SELECT i."id" AS "installationId", i."installedAt" AS "installedAt", i."removedAt" AS "removedAt", c."xname" AS "xname", c."type" AS "type",
           d."id" AS "deviceId", d."deviceType" AS "deviceType", d."manufacturer" AS "manufacturer", d."partNumber" AS "partNumber",
           d."serialNumber" AS "serialNumber", d."model" AS "model", d."fruId" AS "fruId", d."fruInfo" AS "fruInfo"
    FROM "Installation" i
    JOIN "Component" c ON c."id" = i."componentId"
    JOIN "Device" d ON d."id" = i."deviceId"`;
}

function eventsOf(rows: HistoryRow[], filter: HistoryFilter): HistoryEvent[] {
  const events: HistoryEvent[] = [];
  for (const r of rows) {
    const fruId = (fruOf(r, r.type, r.xname) as FruView).fruId;
    events.push({ xname: r.xname, fruId, timestamp: r.installedAt, eventType: 'Added', installationId: r.installationId });
    if (r.removedAt) events.push({ xname: r.xname, fruId, timestamp: r.removedAt, eventType: 'Removed', installationId: r.installationId });
  }
  const keep = (list: string[] | undefined, value: string) => !list?.length || list.includes(value);
  return events
    .filter(
      (e) =>
        keep(filter.xnames, e.xname) &&
        keep(filter.fruIds, e.fruId) &&
        keep(filter.eventTypes, e.eventType) &&
        (!filter.start || e.timestamp.getTime() >= filter.start.getTime()) &&
        (!filter.end || e.timestamp.getTime() <= filter.end.getTime()),
    )
    .sort(
      (a, b) => a.timestamp.getTime() - b.timestamp.getTime() || (a.eventType === b.eventType ? 0 : a.eventType === 'Removed' ? -1 : 1),
    );
}

/** SMD hardware history (HWInvHist) as events, oldest first. */
export async function listHardwareHistory(source: ReadSource, filter: HistoryFilter = {}): Promise<HistoryEvent[]> {
  return eventsOf(await historyRows(readerOf(source)), filter);
}

// --- writes ------------------------------------------------------------------------------------

export interface HardwareLocationInput {
  xname: string;
  ordinal?: number;
  locationInfo: Record<string, unknown>;
  fru: FruInput;
}

/**
 * SMD POST /Inventory/Hardware: for each location, the position (created Populated when
 * missing) gets its ordinal, status Populated and location info; the FRU's device (found by
 * FRU ID, else by manufacturer and serial number, else created) gets its FRU identity and is
 * installed there, ending whatever was installed before (history Removed/Added). One
 * transaction; answers how many locations were written.
 */
export async function loadHardwareLocations(ctx: ServiceContext, items: HardwareLocationInput[]): Promise<number> {
  return write(ctx, (tx) => loadHardwareLocationsIn(tx, items));
}

/** loadHardwareLocations in the caller's transaction (for writes that span several services). */
export async function loadHardwareLocationsIn(tx: Tx, items: HardwareLocationInput[]): Promise<WriteResult<number>> {
  const changes: Change[] = [];
  const now = new Date();
  const known = new Set<string>();
  for (const part of chunks([...new Set(items.map((i) => i.xname))])) {
    for (const row of await tx.component.findMany({ where: { deletedAt: null, xname: { in: part } }, select: { xname: true } }))
      known.add(row.xname);
  }
  const toCreate = [...new Set(items.map((i) => i.xname).filter((x) => !known.has(x)))].map((xname) => ({ xname, state: 'Populated' }));
  if (toCreate.length) changes.push(...(await upsertComponentsIn(tx, toCreate, {}, 'Hardware')).changes);
  for (const item of items) {
    const before = await tx.component.findFirstOrThrow({ where: { xname: item.xname, deletedAt: null } });
    const after = await tx.component.update({
      where: { id: before.id },
      data: {
        ordinal: item.ordinal ?? ordinalOf(item.xname),
        hwStatus: 'Populated',
        locationInfo: item.locationInfo as Prisma.InputJsonObject,
        revision: { increment: 1 },
      },
    });
    changes.push({ entityType: 'Component', entityId: after.id, action: 'updated', before, after });
    const fields = fruFields(item.fru);
    let device = await findFruDevice(tx, fields);
    if (device) {
      const updated = await tx.device.update({ where: { id: device.id }, data: { ...fields, revision: { increment: 1 } } });
      changes.push({ entityType: 'Device', entityId: device.id, action: 'updated', before: device, after: updated });
      device = updated;
    } else {
      device = await tx.device.create({
        data: { ...fields, deviceType: after.type, name: item.xname, properties: {}, providerMetadata: {}, externalIds: {} },
      });
      changes.push({ entityType: 'Device', entityId: device.id, action: 'created', after: device });
    }
    changes.push(...(await installDeviceIn(tx, item.xname, device.id, 'smd', now)).changes);
  }
  return { result: items.length, changes };
}

/**
 * SMD DELETE /Inventory/Hardware[/{xname}]: the location stops being inventoried — its device
 * is uninstalled (history Removed) and its status, ordinal and location info are cleared. The
 * position itself (State/Components) stays. NOT_FOUND when `xname` is not a location.
 */
export async function deleteHardwareLocations(ctx: ServiceContext, xname?: string): Promise<number> {
  return write(ctx, (tx) => deleteHardwareLocationsIn(tx, xname));
}

/** deleteHardwareLocations in the caller's transaction. */
export async function deleteHardwareLocationsIn(tx: Tx, xname?: string): Promise<WriteResult<number>> {
  const locations = await listHardwareLocations(tx, xname === undefined ? {} : { xnames: [xname] });
  if (xname !== undefined && locations.length === 0) throw new NotFoundError('HardwareLocation', xname, 'xname');
  const changes: Change[] = [];
  const now = new Date();
  for (const location of locations) {
    changes.push(...(await closeInstallationsIn(tx, { componentId: location.componentId }, now)));
    const before = await tx.component.findUniqueOrThrow({ where: { id: location.componentId } });
    if (before.hwStatus !== null || before.ordinal !== null || before.locationInfo !== null) {
      const after = await tx.component.update({
        where: { id: before.id },
        data: { hwStatus: null, ordinal: null, locationInfo: P.DbNull, revision: { increment: 1 } },
      });
      changes.push({ entityType: 'Component', entityId: before.id, action: 'updated', before, after });
    }
  }
  return { result: locations.length, changes };
}

/**
 * SMD DELETE /Inventory/HardwareByFRU[/{fruid}]: the FRUs' devices are uninstalled and deleted.
 * A device with live child devices outside the set is a CONFLICT (move or delete those first).
 */
export async function deleteFrus(ctx: ServiceContext, fruId?: string): Promise<number> {
  return write(ctx, async (tx) => {
    const frus = await listFrus(tx, fruId === undefined ? {} : { fruIds: [fruId] });
    if (fruId !== undefined && frus.length === 0) throw new NotFoundError('FRU', fruId, 'fruId');
    if (frus.length === 0) return { result: 0, changes: [] };
    const ids = new Set(frus.map((f) => f.deviceId));
    let outside: { id: string; parentId: string | null } | undefined;
    for (const part of chunks([...ids])) {
      const children = await tx.device.findMany({
        where: { deletedAt: null, parentId: { in: part } },
        select: { id: true, parentId: true },
      });
      outside ??= children.find((c) => !ids.has(c.id));
    }
    if (outside)
      throw new ConflictError('fruId', `device ${outside.parentId} still has live child device ${outside.id}: move or delete it first`);
    const now = new Date();
    const changes: Change[] = [];
    for (const fru of frus) {
      changes.push(...(await closeInstallationsIn(tx, { deviceId: fru.deviceId }, now)));
      const before = await tx.device.findUniqueOrThrow({ where: { id: fru.deviceId } });
      const after = await tx.device.update({
        where: { id: fru.deviceId },
        data: { ...softDeleted(), deletedAt: now, revision: { increment: 1 } },
      });
      changes.push({ entityType: 'Device', entityId: fru.deviceId, action: 'deleted', before, after });
    }
    return { result: frus.length, changes };
  });
}

/**
 * SMD DELETE .../History[/{id}]: forgets finished installations (each is an Added and a
 * Removed event). Current installations are the inventory itself and stay. Answers the number
 * of events deleted.
 */
export async function deleteHardwareHistory(ctx: ServiceContext, filter: Pick<HistoryFilter, 'xnames' | 'fruIds'> = {}): Promise<number> {
  return write(ctx, async (tx) => {
    const events = eventsOf(await historyRows(tx), filter).filter((e) => e.eventType === 'Removed');
    if (events.length === 0) return { result: 0, changes: [] };
    const befores = [];
    for (const part of chunks(events.map((e) => e.installationId))) {
      befores.push(...(await tx.installation.findMany({ where: { id: { in: part } } })));
      await tx.installation.deleteMany({ where: { id: { in: part } } });
    }
    const changes = befores.map((before): Change => ({ entityType: 'Installation', entityId: before.id, action: 'deleted', before }));
    return { result: events.length * 2, changes };
  });
}

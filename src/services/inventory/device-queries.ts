// Read side of devices for the RFD 112 inventory API: one device or a filtered page, each with
// the ids of its live children (computed on read, one query for a whole page).
import type { Prisma } from '../../db/client.js';
import type { Engine } from '../../db/engine-schema.js';
import { NotFoundError } from '../../domain/errors.js';
import { keysetAfter, keysetOrderBy } from '../../domain/keyset.js';
import type { ServiceContext } from '../core/context.js';
import { propertyMatchIds } from '../core/property-match.js';

type DeviceRow = Awaited<ReturnType<ServiceContext['db']['device']['findUniqueOrThrow']>>;

export interface DeviceView extends DeviceRow {
  /** Live children, oldest first. */
  childrenDeviceIds: string[];
}

export interface DeviceListFilter {
  /** Any of these types. */
  deviceType?: string[];
  manufacturer?: string;
  partNumber?: string;
  serialNumber?: string;
  /** A parent's id, or null for top-level devices. */
  parentId?: string | null;
  /** Every key must have its value (compared as text). */
  properties?: Array<{ key: string; value: string }>;
  includeDeleted?: boolean;
}

/** Where a cursor page starts: the last device of the page before (the list's order columns). */
export interface DeviceListCursor {
  createdAt: Date;
  id: string;
}

/** An offset page (`offset`) or a cursor page (`after`); `count` asks for the total as well. */
export interface Page {
  limit: number;
  offset?: number;
  after?: DeviceListCursor;
  count: boolean;
}

/** The list's order: oldest first. The index Device(createdAt, id) serves it (test/server/query-plans.test.ts). */
const LIST_ORDER = [{ field: 'createdAt' }, { field: 'id' }] as const;
const ORDER_BY = keysetOrderBy(LIST_ORDER) as Prisma.DeviceOrderByWithRelationInput[];

async function withChildren(ctx: ServiceContext, rows: DeviceRow[]): Promise<DeviceView[]> {
  if (rows.length === 0) return [];
  const children = await ctx.db.device.findMany({
    where: { parentId: { in: rows.map((r) => r.id) }, deletedAt: null },
    select: { id: true, parentId: true },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
  });
  const byParent = new Map<string, string[]>();
  for (const child of children) {
    const list = byParent.get(child.parentId as string) ?? [];
    list.push(child.id);
    byParent.set(child.parentId as string, list);
  }
  return rows.map((row) => ({ ...row, childrenDeviceIds: byParent.get(row.id) ?? [] }));
}

/** The device with this id; NotFound when there is none, or it is deleted and `includeDeleted` is not set. */
export async function getDevice(ctx: ServiceContext, id: string, options: { includeDeleted?: boolean } = {}): Promise<DeviceView> {
  const row = await ctx.db.device.findUnique({ where: { id } });
  if (!row || (row.deletedAt && !options.includeDeleted)) throw new NotFoundError('Device', id);
  const [view] = await withChildren(ctx, [row]);
  return view;
}

async function listWhere(ctx: ServiceContext, engine: Engine, filter: DeviceListFilter): Promise<Prisma.DeviceWhereInput> {
  const and: Prisma.DeviceWhereInput[] = [];
  if (!filter.includeDeleted) and.push({ deletedAt: null });
  if (filter.deviceType?.length) and.push({ deviceType: { in: filter.deviceType } });
  if (filter.manufacturer !== undefined) and.push({ manufacturer: filter.manufacturer });
  if (filter.partNumber !== undefined) and.push({ partNumber: filter.partNumber });
  if (filter.serialNumber !== undefined) and.push({ serialNumber: filter.serialNumber });
  if (filter.parentId !== undefined) and.push({ parentId: filter.parentId });
  for (const { key, value } of filter.properties ?? []) {
    and.push({ id: { in: await propertyMatchIds(ctx.db, engine, 'Device', key, value) } });
  }
  return { AND: and };
}

/**
 * One page of the devices matching the filter, oldest first; `next` is where the following
 * page starts (null on the last), and `total` how many match in all, counted only when asked:
 * the count reads every match, the page only its own rows.
 */
export async function listDevices(
  ctx: ServiceContext,
  engine: Engine,
  filter: DeviceListFilter,
  page: Page,
): Promise<{ items: DeviceView[]; total?: number; next: DeviceListCursor | null }> {
  const where = await listWhere(ctx, engine, filter);
  const [rows, total] = await Promise.all([
    page.after ? afterCursor(ctx, where, page.after, page.limit + 1) : firstRows(ctx, where, page.offset ?? 0, page.limit + 1),
    page.count ? ctx.db.device.count({ where }) : undefined,
  ]);
  const items = rows.slice(0, page.limit);
  const last = items.at(-1);
  const next = rows.length > page.limit && last ? { createdAt: last.createdAt, id: last.id } : null;
  return { items: await withChildren(ctx, items), ...(total === undefined ? {} : { total }), next };
}

function firstRows(ctx: ServiceContext, where: Prisma.DeviceWhereInput, skip: number, take: number) {
  return ctx.db.device.findMany({ where, orderBy: ORDER_BY, skip, take });
}

/** A keyset seek: the page after the cursor costs the same wherever it is in the list. */
async function afterCursor(ctx: ServiceContext, where: Prisma.DeviceWhereInput, cursor: DeviceListCursor, take: number) {
  const rows: DeviceRow[] = [];
  // createdAt is never null: the engine's NULL placement does not matter.
  for (const segment of keysetAfter(LIST_ORDER, { ...cursor }, true)) {
    if (rows.length >= take) break;
    rows.push(
      ...(await ctx.db.device.findMany({
        where: { AND: [where, segment as Prisma.DeviceWhereInput] },
        orderBy: ORDER_BY,
        take: take - rows.length,
      })),
    );
  }
  return rows;
}

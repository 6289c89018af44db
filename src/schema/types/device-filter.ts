// Turns the GraphQL DeviceFilter into a Prisma where clause.

import { normalizeXname } from '../../domain/xname.js';
import { type Db, type Engine, type Prisma, propertyMatchIds } from '../../services/core/index.js';
import { builder } from '../builder.js';

export const PropertyMatch = builder.inputType('PropertyMatch', {
  description: 'A properties key and the value it must have (compared as text).',
  fields: (t) => ({
    key: t.string({ required: true }),
    value: t.string({ required: true }),
  }),
});

export const DeviceFilter = builder.inputType('DeviceFilter', {
  fields: (t) => ({
    deviceType: t.stringList({ required: false, description: 'Any of these types.' }),
    status: t.stringList({ required: false }),
    role: t.stringList({ required: false }),
    manufacturer: t.string({ required: false }),
    serialNumber: t.string({ required: false }),
    name: t.string({ required: false }),
    xname: t.string({ required: false, description: 'Installed at exactly this position.' }),
    xnamePrefix: t.string({
      required: false,
      description: 'Installed at this position or below it (x1000c0 → its slots, blades, nodes …).',
    }),
    group: t.string({ required: false, description: 'Member of this group or partition (by name), directly or through its position.' }),
    locationId: t.string({ required: false }),
    rackId: t.string({ required: false }),
    parentId: t.string({ required: false }),
    roots: t.boolean({ required: false, description: 'Only devices without a parent.' }),
    property: t.field({ type: PropertyMatch, required: false }),
    includeDeleted: t.boolean({ required: false, defaultValue: false }),
  }),
});

export type DeviceFilterInput = typeof DeviceFilter.$inferInput;

/** Positions at `prefix` or below it: the prefix itself, or it followed by a type letter. */
export function xnameSubtree(prefix: string): Prisma.ComponentWhereInput {
  const p = normalizeXname(prefix);
  return { OR: [{ xname: p }, ...'abcdefghijklmnopqrstuvwxyz'.split('').map((l) => ({ xname: { startsWith: `${p}${l}` } }))] };
}

export async function deviceWhere(db: Db, engine: Engine, filter: DeviceFilterInput | null | undefined): Promise<Prisma.DeviceWhereInput> {
  const f = filter ?? {};
  const and: Prisma.DeviceWhereInput[] = [];
  if (!f.includeDeleted) and.push({ deletedAt: null });
  if (f.deviceType?.length) and.push({ deviceType: { in: f.deviceType } });
  if (f.status?.length) and.push({ status: { in: f.status } });
  if (f.role?.length) and.push({ role: { in: f.role } });
  if (f.manufacturer) and.push({ manufacturer: f.manufacturer });
  if (f.serialNumber) and.push({ serialNumber: f.serialNumber });
  if (f.name) and.push({ name: f.name });
  if (f.locationId) and.push({ locationId: f.locationId });
  if (f.rackId) and.push({ rackId: f.rackId });
  if (f.parentId) and.push({ parentId: f.parentId });
  if (f.roots) and.push({ parentId: null });
  if (f.xname) and.push({ installations: { some: { open: true, component: { xname: normalizeXname(f.xname) } } } });
  if (f.xnamePrefix) and.push({ installations: { some: { open: true, component: xnameSubtree(f.xnamePrefix) } } });
  if (f.group) {
    const inGroup = { live: true as const, group: { name: f.group.toLowerCase(), deletedAt: null } };
    and.push({
      OR: [{ memberships: { some: inGroup } }, { installations: { some: { open: true, component: { memberships: { some: inGroup } } } } }],
    });
  }
  if (f.property) and.push({ id: { in: await propertyMatchIds(db, engine, 'Device', f.property.key, f.property.value) } });
  return { AND: and };
}

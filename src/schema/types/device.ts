// Device: the physical thing, its tree, placement, interfaces, cables, position and history.

import type { InputFieldBuilder } from '@pothos/core';
import type { DefaultConnectionArguments } from '@pothos/plugin-relay';
import { cablesOfDevices } from '../../loaders/cable-lookup.js';
import { ancestorsFetcher, descendantsFetcher } from '../../loaders/device-tree.js';
import { createDevice, deleteDevice, moveDevice, restoreDevice, updateDevice } from '../../services/inventory/index.js';
import { builder, DEFAULT_PAGE_SIZE, PAGE_SIZE_CEILING } from '../builder.js';
import type { RootSql } from '../compiled-read/fields.js';
import { optionalRowId, rowId } from '../ids.js';
import { keysetFindMany } from '../keyset-connection.js';
import { refuseNulls } from '../null-inputs.js';
import { reload } from '../reload.js';
import { ComponentRef } from './component.js';
import { DeviceFilter, type DeviceFilterInput, deviceWhere } from './device-filter.js';
import { GroupRef } from './group.js';
import { historyField } from './history-field.js';

export const MAX_TREE_DEPTH = 32;

/** Query.devices' order; the index Device(name, id) serves it (test/server/query-plans.test.ts). */
const DEVICE_ORDER = [{ field: 'name', nullable: true }, { field: 'id' }] as const;

// SQL twin: COMPILED_TYPES.Device in src/schema/compiled-read/fields.ts answers the scalar fields,
// the id, children, parent, interfaces and cables below (and position and groups, further down) in
// SQL. A change to one of them (a column, a filter, an order) is a change to its twin there.
export const DeviceRef = builder.prismaNode('Device', {
  id: { field: 'id' },
  // Select mode: a query reads only the columns its fields expose (a 5-level tree of 1,700
  // devices cost 116 ms of CPU with whole rows, 50 ms with these). deletedAt always comes
  // along: Group.devices drops deleted members by it.
  select: { id: true, deletedAt: true },
  description: 'A physical thing with a UUID: cabinet, chassis, blade, node, DIMM, GPU, NIC, switch …',
  fields: (t) => ({
    uuid: t.expose('id', { type: 'UUID', description: 'The device UUID (what REST APIs call its id).' }),
    name: t.exposeString('name', { nullable: true }),
    deviceType: t.exposeString('deviceType'),
    manufacturer: t.exposeString('manufacturer', { nullable: true }),
    model: t.exposeString('model', { nullable: true }),
    partNumber: t.exposeString('partNumber', { nullable: true }),
    serialNumber: t.exposeString('serialNumber', { nullable: true }),
    assetTag: t.exposeString('assetTag', { nullable: true }),
    description: t.exposeString('description', { nullable: true }),
    status: t.exposeString('status'),
    role: t.exposeString('role', { nullable: true }),
    rackPosition: t.exposeInt('rackPosition', { nullable: true }),
    rackFace: t.exposeString('rackFace', { nullable: true }),
    properties: t.expose('properties', { type: 'JSONObject' }),
    providerMetadata: t.expose('providerMetadata', { type: 'JSONObject' }),
    externalIds: t.expose('externalIds', { type: 'JSONObject' }),
    schemaVersion: t.exposeString('schemaVersion'),
    revision: t.exposeInt('revision'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    deletedAt: t.expose('deletedAt', { type: 'DateTime', nullable: true }),
    parent: t.relation('parent', { nullable: true }),
    children: t.relation('children', {
      description: 'Live child devices, by name.',
      query: { where: { deletedAt: null }, orderBy: [{ name: 'asc' }, { id: 'asc' }] },
    }),
    childrenConnection: t.relatedConnection('children', {
      cursor: 'id',
      totalCount: true,
      query: { where: { deletedAt: null }, orderBy: [{ name: 'asc' }, { id: 'asc' }] },
    }),
    ancestors: t.prismaField({
      type: ['Device'],
      description: 'Parent, grandparent … up to the root, nearest first.',
      resolve: (query, device, _args, ctx) => ctx.loaders.selections.load('ancestors', query, ancestorsFetcher(ctx.db), device.id),
    }),
    descendants: t.prismaField({
      type: ['Device'],
      description: `The live subtree below this device, level by level, down to maxDepth levels (at most ${MAX_TREE_DEPTH}).`,
      args: { maxDepth: t.arg.int({ defaultValue: MAX_TREE_DEPTH }) },
      resolve: (query, device, args, ctx) => {
        const depth = Math.max(1, Math.min(args.maxDepth ?? MAX_TREE_DEPTH, MAX_TREE_DEPTH));
        return ctx.loaders.selections.load(`descendants:${depth}`, query, descendantsFetcher(ctx.db, depth), device.id);
      },
    }),
    rack: t.relation('rack', { nullable: true }),
    location: t.relation('location', { nullable: true }),
    interfaces: t.relation('interfaces', {
      query: { where: { deletedAt: null }, orderBy: [{ name: 'asc' }, { id: 'asc' }] },
    }),
    cables: t.prismaField({
      type: ['Cable'],
      description: "Live cables with an end on one of this device's interfaces.",
      resolve: (query, device, _args, ctx) => ctx.loaders.selections.load('device-cables', query, cablesOfDevices(ctx.db), device.id),
    }),
    installations: t.relation('installations', {
      description: 'Every position this device has been installed in, newest first.',
      query: { orderBy: [{ installedAt: 'desc' }, { id: 'asc' }] },
    }),
    history: historyField(t, 'Device'),
  }),
});

// Fields that refer to other types' refs live here, outside the initializer above,
// so TypeScript can infer each ref without a cycle.
builder.prismaObjectFields('Device', (t) => ({
  // SQL twin: COMPILED_TYPES.Device.fields.position (src/schema/compiled-read/fields.ts).
  position: t.field({
    type: ComponentRef,
    nullable: true,
    description: 'The xname position this device occupies now, with its SMD component state.',
    select: (_args, _ctx, nestedSelection) => ({
      installations: { where: { open: true }, take: 1, select: { component: nestedSelection(true) } },
    }),
    resolve: (device) => device.installations[0]?.component ?? null,
  }),
  groups: t.field({
    type: [GroupRef],
    description: 'Groups and partitions the device belongs to directly (positions have their own).',
    select: (_args, _ctx, nestedSelection) => ({
      // By group name, then id: the order of its SQL twin (compiled-read/group-sql.ts), which
      // without an orderBy would be whatever order the database returns rows in.
      memberships: {
        where: { live: true },
        orderBy: [{ group: { name: 'asc' } }, { groupId: 'asc' }],
        include: { group: nestedSelection(true) },
      },
    }),
    resolve: (device) => device.memberships.map((m) => m.group).filter((g) => !g.deletedAt),
  }),
}));

// SQL twin: DEVICE_READ_ROOTS below, the compiled reads of these two fields (the same rows,
// filter and order).
builder.queryFields((t) => ({
  device: t.prismaField({
    type: 'Device',
    nullable: true,
    args: { id: t.arg.id({ required: true, description: 'A global id or the device UUID.' }) },
    resolve: (query, _root, args, ctx) => ctx.db.device.findUnique({ ...query, where: { id: rowId(String(args.id), 'Device') } }),
  }),
  devices: t.prismaConnection({
    type: 'Device',
    cursor: 'id',
    args: { filter: t.arg({ type: DeviceFilter, required: false }) },
    resolve: async (query, _root, args, ctx) =>
      keysetFindMany(ctx.db.device, {
        engine: ctx.engine,
        query,
        where: await deviceWhere(ctx.db, ctx.engine, args.filter),
        order: DEVICE_ORDER,
      }),
    totalCount: async (_root, args, ctx) => ctx.db.device.count({ where: await deviceWhere(ctx.db, ctx.engine, args.filter) }),
  }),
}));

/** Query.devices' arguments as its resolver gets them: the connection's and the filter. */
type DevicesArgs = DefaultConnectionArguments & { filter?: DeviceFilterInput | null };

/**
 * Query.devices and Query.device for compiled reads (src/schema/compiled-read): the same rows,
 * filter and order as the resolvers above. Cursors and `last` stay with the resolvers.
 */
export const DEVICE_READ_ROOTS = {
  devices: {
    kind: 'connection',
    type: 'Device',
    where: (args, ctx) => deviceWhere(ctx.db, ctx.engine, args.filter),
    orderBy: (alias) => `${alias}."name", ${alias}."id"`,
    pageSize: ({ first, last, after, before }) => {
      if (last != null || after != null || before != null) return undefined;
      if (first == null) return DEFAULT_PAGE_SIZE;
      return first >= 0 ? Math.min(first, PAGE_SIZE_CEILING) : undefined;
    },
  } satisfies RootSql<DevicesArgs>,
  device: { kind: 'byId', type: 'Device', id: (args) => rowId(args.id, 'Device') } satisfies RootSql<{ id: string }>,
};

type InputFields = InputFieldBuilder<typeof builder.$inferSchemaTypes, 'InputObject'>;

/** The text fields a device is created and updated with. */
const deviceTextInputs = (t: InputFields) => ({
  name: t.string({ required: false }),
  manufacturer: t.string({ required: false }),
  model: t.string({ required: false }),
  partNumber: t.string({ required: false }),
  serialNumber: t.string({ required: false }),
  assetTag: t.string({ required: false }),
  description: t.string({ required: false }),
  status: t.string({ required: false }),
  role: t.string({ required: false }),
  rackFace: t.string({ required: false }),
});

const DeviceCreateInput = builder.inputType('DeviceCreateInput', {
  fields: (t) => ({
    deviceType: t.string({ required: true }),
    ...deviceTextInputs(t),
    parentId: t.id({ required: false }),
    rackId: t.id({ required: false }),
    rackPosition: t.int({ required: false }),
    locationId: t.id({ required: false }),
    properties: t.field({ type: 'JSONObject', required: false }),
    providerMetadata: t.field({ type: 'JSONObject', required: false }),
    externalIds: t.field({ type: 'JSONObject', required: false }),
  }),
});

const DeviceUpdateInput = builder.inputType('DeviceUpdateInput', {
  description: 'Only the fields given change; null clears an optional field.',
  fields: (t) => ({
    deviceType: t.string({ required: false }),
    ...deviceTextInputs(t),
    rackPosition: t.int({ required: false }),
    properties: t.field({ type: 'JSONObject', required: false, description: 'Replaces the whole properties object.' }),
    providerMetadata: t.field({ type: 'JSONObject', required: false }),
    externalIds: t.field({ type: 'JSONObject', required: false }),
    expectedRevision: t.int({ required: false, description: 'Refuse the write unless the device is at this revision.' }),
  }),
});

const DeviceMoveInput = builder.inputType('DeviceMoveInput', {
  description: 'Where the device goes; the whole subtree moves with it. Omitted fields are cleared.',
  fields: (t) => ({
    parentId: t.id({ required: false }),
    rackId: t.id({ required: false }),
    rackPosition: t.int({ required: false }),
    rackFace: t.string({ required: false }),
    locationId: t.id({ required: false }),
  }),
});

function placementIds(input: { parentId?: string | null; rackId?: string | null; locationId?: string | null }) {
  return {
    parentId: optionalRowId(input.parentId, 'Device', 'parentId'),
    rackId: optionalRowId(input.rackId, 'Rack', 'rackId'),
    locationId: optionalRowId(input.locationId, 'Location', 'locationId'),
  };
}

builder.mutationFields((t) => ({
  createDevice: t.prismaField({
    type: 'Device',
    args: { input: t.arg({ type: DeviceCreateInput, required: true }) },
    resolve: async (query, _root, { input }, ctx) => {
      const device = await createDevice(ctx.service, { ...input, ...placementIds(input) });
      return reload(ctx, 'device', query, device.id);
    },
  }),
  updateDevice: t.prismaField({
    type: 'Device',
    args: { id: t.arg.id({ required: true }), input: t.arg({ type: DeviceUpdateInput, required: true }) },
    resolve: async (query, _root, args, ctx) => {
      const { expectedRevision, ...input } = args.input;
      refuseNulls(input, ['deviceType']);
      const device = await updateDevice(ctx.service, rowId(String(args.id), 'Device'), input, {
        expectedRevision: expectedRevision ?? undefined,
      });
      return reload(ctx, 'device', query, device.id);
    },
  }),
  moveDevice: t.prismaField({
    type: 'Device',
    args: { id: t.arg.id({ required: true }), to: t.arg({ type: DeviceMoveInput, required: true }) },
    resolve: async (query, _root, args, ctx) => {
      const device = await moveDevice(ctx.service, rowId(String(args.id), 'Device'), { ...args.to, ...placementIds(args.to) });
      return reload(ctx, 'device', query, device.id);
    },
  }),
  deleteDevice: t.prismaField({
    type: 'Device',
    description: 'Soft delete: the device leaves live reads and can be restored.',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (query, _root, args, ctx) => {
      const device = await deleteDevice(ctx.service, rowId(String(args.id), 'Device'));
      return reload(ctx, 'device', query, device.id);
    },
  }),
  restoreDevice: t.prismaField({
    type: 'Device',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (query, _root, args, ctx) => {
      const device = await restoreDevice(ctx.service, rowId(String(args.id), 'Device'));
      return reload(ctx, 'device', query, device.id);
    },
  }),
}));

// Rack: a frame of U positions in a location.
import { createRack, deleteRack, type RackInput, restoreRack, updateRack } from '../../services/inventory/index.js';
import { builder } from '../builder.js';
import { optionalRowId, rowId } from '../ids.js';
import { keysetFindMany } from '../keyset-connection.js';
import { reload } from '../reload.js';
import { historyField } from './history-field.js';

builder.prismaNode('Rack', {
  id: { field: 'id' },
  fields: (t) => ({
    uuid: t.expose('id', { type: 'UUID' }),
    name: t.exposeString('name'),
    uHeight: t.exposeInt('uHeight'),
    status: t.exposeString('status'),
    serial: t.exposeString('serial', { nullable: true }),
    assetTag: t.exposeString('assetTag', { nullable: true }),
    properties: t.expose('properties', { type: 'JSONObject' }),
    revision: t.exposeInt('revision'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    deletedAt: t.expose('deletedAt', { type: 'DateTime', nullable: true }),
    location: t.relation('location', { nullable: true }),
    devices: t.relation('devices', {
      description: 'Devices mounted in the rack, top-level ones first by U position.',
      query: { where: { deletedAt: null }, orderBy: [{ rackPosition: 'asc' }, { name: 'asc' }, { id: 'asc' }] },
    }),
    history: historyField(t, 'Rack'),
  }),
});

/** The connection's order, served by an index (test/server/query-plans.test.ts). */
const BY_NAME = [{ field: 'name' }, { field: 'id' }] as const;

builder.queryFields((t) => ({
  rack: t.prismaField({
    type: 'Rack',
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: (query, _root, args, ctx) => ctx.db.rack.findUnique({ ...query, where: { id: rowId(String(args.id), 'Rack') } }),
  }),
  racks: t.prismaConnection({
    type: 'Rack',
    cursor: 'id',
    args: {
      locationId: t.arg.id({ required: false }),
      name: t.arg.string({ required: false }),
      includeDeleted: t.arg.boolean({ required: false, defaultValue: false }),
    },
    resolve: (query, _root, args, ctx) =>
      keysetFindMany(ctx.db.rack, { engine: ctx.engine, query, where: rackWhere(args), order: BY_NAME }),
    totalCount: (_root, args, ctx) => ctx.db.rack.count({ where: rackWhere(args) }),
  }),
}));

function rackWhere(args: { locationId?: string | null; name?: string | null; includeDeleted?: boolean | null }) {
  return {
    ...(args.includeDeleted ? {} : { deletedAt: null }),
    ...(args.locationId ? { locationId: rowId(args.locationId, 'Location', 'locationId') } : {}),
    ...(args.name ? { name: args.name } : {}),
  };
}

/** Create and update take the same fields; on update every one is optional and null clears it. */
function rackInput(name: string, creating: boolean) {
  return builder.inputType(name, {
    description: creating ? undefined : 'Only the fields given change; null clears an optional field.',
    fields: (t) => ({
      name: t.string({ required: creating }),
      locationId: t.id({ required: false }),
      uHeight: t.int({ required: false, description: 'Units, 1 to 100 (default 42).' }),
      status: t.string({ required: false, description: 'Default active.' }),
      serial: t.string({ required: false }),
      assetTag: t.string({ required: false }),
      properties: t.field({ type: 'JSONObject', required: false, description: 'Replaces the whole properties object.' }),
    }),
  });
}

const RackCreateInput = rackInput('RackCreateInput', true);
const RackUpdateInput = rackInput('RackUpdateInput', false);

function serviceInput(input: typeof RackCreateInput.$inferInput | typeof RackUpdateInput.$inferInput): RackInput {
  return { ...input, locationId: optionalRowId(input.locationId, 'Location', 'locationId') };
}

builder.mutationFields((t) => ({
  createRack: t.prismaField({
    type: 'Rack',
    args: { input: t.arg({ type: RackCreateInput, required: true }) },
    resolve: async (query, _root, args, ctx) => {
      const rack = await createRack(ctx.service, serviceInput(args.input));
      return reload(ctx, 'rack', query, rack.id);
    },
  }),
  updateRack: t.prismaField({
    type: 'Rack',
    args: { id: t.arg.id({ required: true }), input: t.arg({ type: RackUpdateInput, required: true }) },
    resolve: async (query, _root, args, ctx) => {
      const rack = await updateRack(ctx.service, rowId(String(args.id), 'Rack'), serviceInput(args.input));
      return reload(ctx, 'rack', query, rack.id);
    },
  }),
  deleteRack: t.prismaField({
    type: 'Rack',
    description: 'Soft delete, refused while live devices are mounted in the rack.',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (query, _root, args, ctx) => {
      const rack = await deleteRack(ctx.service, rowId(String(args.id), 'Rack'));
      return reload(ctx, 'rack', query, rack.id);
    },
  }),
  restoreRack: t.prismaField({
    type: 'Rack',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (query, _root, args, ctx) => {
      const rack = await restoreRack(ctx.service, rowId(String(args.id), 'Rack'));
      return reload(ctx, 'rack', query, rack.id);
    },
  }),
}));

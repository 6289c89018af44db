// Rack: a frame of U positions in a location.
import { builder } from './builder.js';
import { rowId } from './ids.js';
import { historyField } from './history-field.js';

builder.prismaNode('Rack', {
  id: { field: 'id' },
  fields: (t) => ({
    uuid: t.exposeString('id'),
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
    resolve: (query, _root, args, ctx) => ctx.db.rack.findMany({ ...query, where: rackWhere(args), orderBy: [{ name: 'asc' }, { id: 'asc' }] }),
    totalCount: (_root, args, ctx) => ctx.db.rack.count({ where: rackWhere(args) }),
  }),
}));

function rackWhere(args: { locationId?: string | number | null; name?: string | null; includeDeleted?: boolean | null }) {
  return {
    ...(args.includeDeleted ? {} : { deletedAt: null }),
    ...(args.locationId ? { locationId: rowId(String(args.locationId), 'Location', 'locationId') } : {}),
    ...(args.name ? { name: args.name } : {}),
  };
}

// Location: site, building, room, row … nested to any depth.
import { builder } from './builder.js';
import { rowId } from './ids.js';
import { historyField } from './history-field.js';

builder.prismaNode('Location', {
  id: { field: 'id' },
  fields: (t) => ({
    uuid: t.exposeString('id'),
    name: t.exposeString('name'),
    slug: t.exposeString('slug', { nullable: true }),
    locationType: t.exposeString('locationType'),
    description: t.exposeString('description', { nullable: true }),
    properties: t.expose('properties', { type: 'JSONObject' }),
    revision: t.exposeInt('revision'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    deletedAt: t.expose('deletedAt', { type: 'DateTime', nullable: true }),
    parent: t.relation('parent', { nullable: true }),
    children: t.relation('children', { query: { where: { deletedAt: null }, orderBy: [{ name: 'asc' }, { id: 'asc' }] } }),
    racks: t.relation('racks', { query: { where: { deletedAt: null }, orderBy: [{ name: 'asc' }, { id: 'asc' }] } }),
    devices: t.relation('devices', {
      description: 'Devices placed directly in this location (not through a rack).',
      query: { where: { deletedAt: null }, orderBy: [{ name: 'asc' }, { id: 'asc' }] },
    }),
    history: historyField(t, 'Location'),
  }),
});

builder.queryFields((t) => ({
  location: t.prismaField({
    type: 'Location',
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: (query, _root, args, ctx) => ctx.db.location.findUnique({ ...query, where: { id: rowId(String(args.id), 'Location') } }),
  }),
  locations: t.prismaConnection({
    type: 'Location',
    cursor: 'id',
    args: {
      parentId: t.arg.id({ required: false, description: 'Children of this location; omit for all.' }),
      roots: t.arg.boolean({ required: false, description: 'Only top-level locations.' }),
      locationType: t.arg.string({ required: false }),
      includeDeleted: t.arg.boolean({ required: false, defaultValue: false }),
    },
    resolve: (query, _root, args, ctx) =>
      ctx.db.location.findMany({ ...query, where: locationWhere(args), orderBy: [{ name: 'asc' }, { id: 'asc' }] }),
    totalCount: (_root, args, ctx) => ctx.db.location.count({ where: locationWhere(args) }),
  }),
}));

function locationWhere(args: { parentId?: string | number | null; roots?: boolean | null; locationType?: string | null; includeDeleted?: boolean | null }) {
  return {
    ...(args.includeDeleted ? {} : { deletedAt: null }),
    ...(args.parentId ? { parentId: rowId(String(args.parentId), 'Location', 'parentId') } : {}),
    ...(args.roots ? { parentId: null } : {}),
    ...(args.locationType ? { locationType: args.locationType } : {}),
  };
}

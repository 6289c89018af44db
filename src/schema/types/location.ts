// Location: site, building, room, row … nested to any depth.
import { createLocation, deleteLocation, type LocationInput, restoreLocation, updateLocation } from '../../services/inventory/index.js';
import { builder } from '../builder.js';
import { optionalRowId, rowId } from '../ids.js';
import { keysetFindMany } from '../keyset-connection.js';
import { reload } from '../reload.js';
import { historyField } from './history-field.js';

builder.prismaNode('Location', {
  id: { field: 'id' },
  fields: (t) => ({
    uuid: t.expose('id', { type: 'UUID' }),
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

/** The connection's order, served by an index (test/server/query-plans.test.ts). */
const BY_NAME = [{ field: 'name' }, { field: 'id' }] as const;

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
      keysetFindMany(ctx.db.location, { engine: ctx.engine, query, where: locationWhere(args), order: BY_NAME }),
    totalCount: (_root, args, ctx) => ctx.db.location.count({ where: locationWhere(args) }),
  }),
}));

function locationWhere(args: {
  parentId?: string | number | null;
  roots?: boolean | null;
  locationType?: string | null;
  includeDeleted?: boolean | null;
}) {
  return {
    ...(args.includeDeleted ? {} : { deletedAt: null }),
    ...(args.parentId ? { parentId: rowId(String(args.parentId), 'Location', 'parentId') } : {}),
    ...(args.roots ? { parentId: null } : {}),
    ...(args.locationType ? { locationType: args.locationType } : {}),
  };
}

/** Create and update take the same fields; on update every one is optional and null clears it. */
function locationInput(name: string, creating: boolean) {
  return builder.inputType(name, {
    description: creating ? undefined : 'Only the fields given change; null clears an optional field.',
    fields: (t) => ({
      name: t.string({ required: creating }),
      locationType: t.string({ required: false, description: 'site, building, room, row, floor, cage or other (default site).' }),
      slug: t.string({ required: false }),
      description: t.string({ required: false }),
      parentId: t.id({ required: false, description: 'The enclosing location; null makes it top-level.' }),
      properties: t.field({ type: 'JSONObject', required: false, description: 'Replaces the whole properties object.' }),
    }),
  });
}

const LocationCreateInput = locationInput('LocationCreateInput', true);
const LocationUpdateInput = locationInput('LocationUpdateInput', false);

function serviceInput(input: typeof LocationCreateInput.$inferInput | typeof LocationUpdateInput.$inferInput): LocationInput {
  return { ...input, parentId: optionalRowId(input.parentId, 'Location', 'parentId') };
}

builder.mutationFields((t) => ({
  createLocation: t.prismaField({
    type: 'Location',
    args: { input: t.arg({ type: LocationCreateInput, required: true }) },
    resolve: async (query, _root, args, ctx) => {
      const location = await createLocation(ctx.service, serviceInput(args.input));
      return reload(ctx, 'location', query, location.id);
    },
  }),
  updateLocation: t.prismaField({
    type: 'Location',
    args: { id: t.arg.id({ required: true }), input: t.arg({ type: LocationUpdateInput, required: true }) },
    resolve: async (query, _root, args, ctx) => {
      const location = await updateLocation(ctx.service, rowId(String(args.id), 'Location'), serviceInput(args.input));
      return reload(ctx, 'location', query, location.id);
    },
  }),
  deleteLocation: t.prismaField({
    type: 'Location',
    description: 'Soft delete, refused while the location holds live child locations, racks or devices.',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (query, _root, args, ctx) => {
      const location = await deleteLocation(ctx.service, rowId(String(args.id), 'Location'));
      return reload(ctx, 'location', query, location.id);
    },
  }),
  restoreLocation: t.prismaField({
    type: 'Location',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (query, _root, args, ctx) => {
      const location = await restoreLocation(ctx.service, rowId(String(args.id), 'Location'));
      return reload(ctx, 'location', query, location.id);
    },
  }),
}));

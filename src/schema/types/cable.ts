// Cable: a physical link with an A and a B end, each on an interface (device port).
import { connectCable, createCable, deleteCable, disconnectCable, restoreCable, updateCable } from '../../services/inventory/index.js';
import { builder } from '../builder.js';
import { optionalRowId, rowId } from '../ids.js';
import { keysetFindMany } from '../keyset-connection.js';
import { reload } from '../reload.js';
import { historyField } from './history-field.js';

// SQL twin: CABLE_TYPES in src/schema/compiled-read/cable-sql.ts answers Cable's fields (history
// aside) and CableTermination's below; a change to one of them is a change to its twin there.
export const CableRef = builder.prismaNode('Cable', {
  id: { field: 'id' },
  fields: (t) => ({
    uuid: t.expose('id', { type: 'UUID' }),
    label: t.exposeString('label', { nullable: true }),
    cableType: t.exposeString('cableType', { nullable: true }),
    status: t.exposeString('status'),
    color: t.exposeString('color', { nullable: true }),
    length: t.exposeFloat('length', { nullable: true }),
    lengthUnit: t.exposeString('lengthUnit', { nullable: true }),
    properties: t.expose('properties', { type: 'JSONObject' }),
    revision: t.exposeInt('revision'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    deletedAt: t.expose('deletedAt', { type: 'DateTime', nullable: true }),
    terminations: t.relation('terminations', {
      description: 'The connected ends (A, then B); an absent end has no entry.',
      query: { where: { live: true }, orderBy: { end: 'asc' } },
    }),
    history: historyField(t, 'Cable'),
  }),
});

builder.prismaObject('CableTermination', {
  fields: (t) => ({
    id: t.exposeID('id'),
    end: t.exposeString('end', { description: '"A" or "B".' }),
    interface: t.relation('interface'),
    cable: t.relation('cable'),
  }),
});

/** The connection's order, served by an index (test/server/query-plans.test.ts). */
const BY_LABEL = [{ field: 'label', nullable: true }, { field: 'id' }] as const;

builder.queryFields((t) => ({
  cable: t.prismaField({
    type: 'Cable',
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: (query, _root, args, ctx) => ctx.db.cable.findUnique({ ...query, where: { id: rowId(String(args.id), 'Cable') } }),
  }),
  cables: t.prismaConnection({
    type: 'Cable',
    cursor: 'id',
    args: { includeDeleted: t.arg.boolean({ required: false, defaultValue: false }) },
    resolve: (query, _root, args, ctx) =>
      keysetFindMany(ctx.db.cable, { engine: ctx.engine, query, where: args.includeDeleted ? {} : { deletedAt: null }, order: BY_LABEL }),
    totalCount: (_root, args, ctx) => ctx.db.cable.count({ where: args.includeDeleted ? {} : { deletedAt: null } }),
  }),
}));

const CableInput = builder.inputType('CableInput', {
  description:
    'On update only the fields given change; null clears an optional field. Ends change through connectCable and disconnectCable.',
  fields: (t) => ({
    label: t.string({ required: false }),
    cableType: t.string({ required: false }),
    status: t.string({ required: false, description: 'planned, connected (default) or decommissioning.' }),
    color: t.string({ required: false }),
    length: t.float({ required: false, description: 'Greater than 0, in lengthUnit.' }),
    lengthUnit: t.string({ required: false, description: 'm, cm, ft or in.' }),
    properties: t.field({ type: 'JSONObject', required: false, description: 'Replaces the whole properties object.' }),
  }),
});

const cableId = (id: string | number, field = 'id') => rowId(String(id), 'Cable', field);
const optionalInterfaceId = (id: string | null | undefined, field: string) => optionalRowId(id, 'Interface', field);

builder.mutationFields((t) => ({
  createCable: t.prismaField({
    type: 'Cable',
    args: {
      input: t.arg({ type: CableInput, required: false }),
      aInterfaceId: t.arg.id({ required: false, description: 'Connect end A to this interface.' }),
      bInterfaceId: t.arg.id({ required: false, description: 'Connect end B to this interface.' }),
    },
    resolve: async (query, _root, args, ctx) => {
      const cable = await createCable(ctx.service, {
        ...args.input,
        aInterfaceId: optionalInterfaceId(args.aInterfaceId, 'aInterfaceId'),
        bInterfaceId: optionalInterfaceId(args.bInterfaceId, 'bInterfaceId'),
      });
      return reload(ctx, 'cable', query, cable.id);
    },
  }),
  updateCable: t.prismaField({
    type: 'Cable',
    args: { id: t.arg.id({ required: true }), input: t.arg({ type: CableInput, required: true }) },
    resolve: async (query, _root, args, ctx) => {
      const cable = await updateCable(ctx.service, cableId(args.id), args.input);
      return reload(ctx, 'cable', query, cable.id);
    },
  }),
  deleteCable: t.prismaField({
    type: 'Cable',
    description: 'Soft delete: the cable leaves live reads and its interfaces are free again.',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (query, _root, args, ctx) => {
      const cable = await deleteCable(ctx.service, cableId(args.id));
      return reload(ctx, 'cable', query, cable.id);
    },
  }),
  restoreCable: t.prismaField({
    type: 'Cable',
    description: 'Restores the cable on its old interfaces; refused when one was deleted or taken meanwhile.',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (query, _root, args, ctx) => {
      const cable = await restoreCable(ctx.service, cableId(args.id));
      return reload(ctx, 'cable', query, cable.id);
    },
  }),
  connectCable: t.prismaField({
    type: 'Cable',
    args: {
      cableId: t.arg.id({ required: true }),
      end: t.arg.string({ required: true, description: '"A" or "B".' }),
      interfaceId: t.arg.id({ required: true }),
    },
    resolve: async (query, _root, args, ctx) => {
      const interfaceId = rowId(String(args.interfaceId), 'Interface', 'interfaceId');
      const cable = await connectCable(ctx.service, cableId(args.cableId, 'cableId'), args.end, interfaceId);
      return reload(ctx, 'cable', query, cable.id);
    },
  }),
  disconnectCable: t.prismaField({
    type: 'Cable',
    args: { cableId: t.arg.id({ required: true }), end: t.arg.string({ required: true, description: '"A" or "B".' }) },
    resolve: async (query, _root, args, ctx) => {
      const cable = await disconnectCable(ctx.service, cableId(args.cableId, 'cableId'), args.end);
      return reload(ctx, 'cable', query, cable.id);
    },
  }),
}));

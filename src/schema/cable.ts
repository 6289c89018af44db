// Cable: a physical link with an A and a B end, each on an interface (device port).
import { builder } from './builder.js';
import { rowId } from './ids.js';
import { historyField } from './history-field.js';

export const CableRef = builder.prismaNode('Cable', {
  id: { field: 'id' },
  fields: (t) => ({
    uuid: t.exposeString('id'),
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
      ctx.db.cable.findMany({ ...query, where: args.includeDeleted ? {} : { deletedAt: null }, orderBy: [{ label: 'asc' }, { id: 'asc' }] }),
    totalCount: (_root, args, ctx) => ctx.db.cable.count({ where: args.includeDeleted ? {} : { deletedAt: null } }),
  }),
}));

// Group: SMD groups and partitions with their members.
import { builder } from './builder.js';
import { ComponentRef } from './component.js';
import { DeviceRef } from './device.js';
import { rowId } from './ids.js';
import { historyField } from './history-field.js';

export const GroupRef = builder.prismaNode('Group', {
  id: { field: 'id' },
  fields: (t) => ({
    uuid: t.exposeString('id'),
    name: t.exposeString('name', { description: 'The SMD label (groups) or name (partitions), lowercase.' }),
    kind: t.exposeString('kind', { description: '"group" or "partition".' }),
    description: t.exposeString('description', { nullable: true }),
    exclusiveGroup: t.exposeString('exclusiveGroup', { nullable: true }),
    tags: t.expose('tags', { type: 'JSON' }),
    properties: t.expose('properties', { type: 'JSONObject' }),
    revision: t.exposeInt('revision'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    deletedAt: t.expose('deletedAt', { type: 'DateTime', nullable: true }),
    memberCount: t.relationCount('members', { where: { live: true } }),
    template: t.relation('template', { nullable: true }),
    history: historyField(t, 'Group'),
  }),
});


// Fields that refer to other types' refs live here, outside the initializer above,
// so TypeScript can infer each ref without a cycle.
builder.prismaObjectFields('Group', (t) => ({
    components: t.field({
      type: [ComponentRef],
      description: 'Member positions (xnames).',
      select: (_args, _ctx, nestedSelection) => ({
        members: { where: { live: true, componentId: { not: null } }, include: { component: nestedSelection(true) } },
      }),
      resolve: (group) => group.members.flatMap((m) => (m.component && !m.component.deletedAt ? [m.component] : [])),
    }),
    devices: t.field({
      type: [DeviceRef],
      description: 'Member devices (for groups of things rather than positions).',
      select: (_args, _ctx, nestedSelection) => ({
        members: { where: { live: true, deviceId: { not: null } }, include: { device: nestedSelection(true) } },
      }),
      resolve: (group) => group.members.flatMap((m) => (m.device && !m.device.deletedAt ? [m.device] : [])),
    }),
}));

builder.queryFields((t) => ({
  group: t.prismaField({
    type: 'Group',
    nullable: true,
    args: { id: t.arg.id({ required: false }), name: t.arg.string({ required: false }), kind: t.arg.string({ required: false, defaultValue: 'group' }) },
    resolve: (query, _root, args, ctx) =>
      args.name
        ? ctx.db.group.findFirst({ ...query, where: { name: args.name.toLowerCase(), kind: args.kind ?? 'group', deletedAt: null } })
        : args.id
          ? ctx.db.group.findUnique({ ...query, where: { id: rowId(String(args.id), 'Group') } })
          : null,
  }),
  groups: t.prismaConnection({
    type: 'Group',
    cursor: 'id',
    args: {
      kind: t.arg.string({ required: false, description: '"group" or "partition"; omit for both.' }),
      includeDeleted: t.arg.boolean({ required: false, defaultValue: false }),
    },
    resolve: (query, _root, args, ctx) => ctx.db.group.findMany({ ...query, where: groupWhere(args), orderBy: [{ name: 'asc' }, { id: 'asc' }] }),
    totalCount: (_root, args, ctx) => ctx.db.group.count({ where: groupWhere(args) }),
  }),
}));

function groupWhere(args: { kind?: string | null; includeDeleted?: boolean | null }) {
  return {
    ...(args.includeDeleted ? {} : { deletedAt: null }),
    ...(args.kind ? { kind: args.kind } : {}),
  };
}

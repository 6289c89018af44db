// Group: SMD groups and partitions with their members.
import {
  addGroupMembers,
  createGroup,
  deleteGroup,
  removeGroupMember,
  restoreGroup,
  setGroupMembers,
  updateGroup,
} from '../../services/smd/index.js';
import { builder } from '../builder.js';
import { rowId } from '../ids.js';
import { keysetFindMany } from '../keyset-connection.js';
import { reload } from '../reload.js';
import { ComponentRef } from './component.js';
import { DeviceRef } from './device.js';
import { historyField } from './history-field.js';

// SQL twin: GROUP_TYPES in src/schema/compiled-read/group-sql.ts answers the id and the scalar
// fields below; a change to one of them is a change to its twin there.
export const GroupRef = builder.prismaNode('Group', {
  id: { field: 'id' },
  fields: (t) => ({
    uuid: t.expose('id', { type: 'UUID' }),
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

/** The connection's order, served by an index (test/server/query-plans.test.ts). */
const BY_NAME = [{ field: 'name' }, { field: 'id' }] as const;

builder.queryFields((t) => ({
  group: t.prismaField({
    type: 'Group',
    nullable: true,
    args: {
      id: t.arg.id({ required: false }),
      name: t.arg.string({ required: false }),
      kind: t.arg.string({ required: false, defaultValue: 'group' }),
    },
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
    resolve: (query, _root, args, ctx) =>
      keysetFindMany(ctx.db.group, { engine: ctx.engine, query, where: groupWhere(args), order: BY_NAME }),
    totalCount: (_root, args, ctx) => ctx.db.group.count({ where: groupWhere(args) }),
  }),
}));

function groupWhere(args: { kind?: string | null; includeDeleted?: boolean | null }) {
  return {
    ...(args.includeDeleted ? {} : { deletedAt: null }),
    ...(args.kind ? { kind: args.kind } : {}),
  };
}

const GroupCreateInput = builder.inputType('GroupCreateInput', {
  fields: (t) => ({
    kind: t.string({ required: false, defaultValue: 'group', description: '"group" or "partition".' }),
    name: t.string({ required: true, description: 'Lower-cased; [-a-z0-9:._]. A partition name is p<N> or p<N>.<N>.' }),
    description: t.string({ required: false }),
    exclusiveGroup: t.string({ required: false, description: 'Groups only: a component may be in one group of each exclusive group.' }),
    tags: t.stringList({ required: false }),
    members: t.stringList({ required: false, description: 'Member xnames; each must be a live component.' }),
  }),
});

const GroupUpdateInput = builder.inputType('GroupUpdateInput', {
  description: 'Only the fields given change; tags replace the list.',
  fields: (t) => ({
    description: t.string({ required: false }),
    exclusiveGroup: t.string({ required: false }),
    tags: t.stringList({ required: false }),
  }),
});

builder.mutationFields((t) => {
  // Every mutation on an existing group addresses it by kind and name, as SMD does.
  const key = {
    name: t.arg.string({ required: true }),
    kind: t.arg.string({ required: false, defaultValue: 'group', description: '"group" or "partition".' }),
  };
  return {
    createGroup: t.prismaField({
      type: 'Group',
      args: { input: t.arg({ type: GroupCreateInput, required: true }) },
      resolve: async (query, _root, args, ctx) => reload(ctx, 'group', query, (await createGroup(ctx.service, args.input)).id),
    }),
    updateGroup: t.prismaField({
      type: 'Group',
      args: { ...key, input: t.arg({ type: GroupUpdateInput, required: true }) },
      resolve: async (query, _root, { input, ...group }, ctx) =>
        reload(ctx, 'group', query, (await updateGroup(ctx.service, group, input)).id),
    }),
    deleteGroup: t.prismaField({
      type: 'Group',
      description: 'Soft delete; its memberships are suspended and come back on restore.',
      args: key,
      resolve: async (query, _root, group, ctx) => reload(ctx, 'group', query, (await deleteGroup(ctx.service, group)).id),
    }),
    restoreGroup: t.prismaField({
      type: 'Group',
      args: { id: t.arg.id({ required: true }) },
      resolve: async (query, _root, args, ctx) =>
        reload(ctx, 'group', query, (await restoreGroup(ctx.service, rowId(String(args.id), 'Group'))).id),
    }),
    addGroupMembers: t.prismaField({
      type: 'Group',
      args: { ...key, xnames: t.arg.stringList({ required: true }) },
      resolve: async (query, _root, { xnames, ...group }, ctx) =>
        reload(ctx, 'group', query, (await addGroupMembers(ctx.service, group, xnames)).id),
    }),
    setGroupMembers: t.prismaField({
      type: 'Group',
      description: 'Replaces the member list.',
      args: { ...key, xnames: t.arg.stringList({ required: true }) },
      resolve: async (query, _root, { xnames, ...group }, ctx) =>
        reload(ctx, 'group', query, (await setGroupMembers(ctx.service, group, xnames)).id),
    }),
    removeGroupMember: t.prismaField({
      type: 'Group',
      args: { ...key, xname: t.arg.string({ required: true }) },
      resolve: async (query, _root, { xname, ...group }, ctx) =>
        reload(ctx, 'group', query, (await removeGroupMember(ctx.service, group, xname)).id),
    }),
  };
});

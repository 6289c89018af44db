// Component: an xname position with its SMD state, and which device occupies it.
import type { InputFieldBuilder } from '@pothos/core';
import { normalizeXname } from '../../domain/xname.js';
import {
  createComponent,
  createComponents,
  deleteComponent,
  installDevice,
  removeDevice,
  restoreComponent,
  updateComponent,
  updateComponents,
} from '../../services/smd/index.js';
import { builder } from '../builder.js';
import type { GraphQLContext } from '../context.js';
import { rowId } from '../ids.js';
import { keysetFindMany } from '../keyset-connection.js';
import { refuseNulls, refuseNullsInList } from '../null-inputs.js';
import { reload } from '../reload.js';
import { DeviceRef } from './device.js';
import { xnameSubtree } from './device-filter.js';
import { GroupRef } from './group.js';
import { historyField } from './history-field.js';

// SQL twin: COMPILED_TYPES.Component in src/schema/compiled-read/fields.ts answers the id, the
// scalar fields and interfaces below (and device and groups, further down) in SQL. A change to one
// of them is a change to its twin there.
export const ComponentRef = builder.prismaNode('Component', {
  id: { field: 'id' },
  // Select mode, as Device: only the columns asked for (Group.components reads deletedAt).
  select: { id: true, deletedAt: true },
  description: 'A position addressed by xname, with its SMD component state. A position, not a thing.',
  fields: (t) => ({
    uuid: t.expose('id', { type: 'UUID' }),
    xname: t.exposeString('xname'),
    type: t.exposeString('type', { description: 'The HMS type, derived from the xname.' }),
    state: t.exposeString('state'),
    flag: t.exposeString('flag'),
    enabled: t.exposeBoolean('enabled'),
    softwareStatus: t.exposeString('softwareStatus', { nullable: true }),
    role: t.exposeString('role', { nullable: true }),
    subRole: t.exposeString('subRole', { nullable: true }),
    // A BIGINT column; GraphQL's Int carries NIDs up to 2^31-1 (SMD's REST API up to 2^53-1).
    nid: t.int({ nullable: true, select: { nid: true }, resolve: (component) => (component.nid === null ? null : Number(component.nid)) }),
    subtype: t.exposeString('subtype', { nullable: true }),
    netType: t.exposeString('netType', { nullable: true }),
    arch: t.exposeString('arch', { nullable: true }),
    class: t.exposeString('class', { nullable: true }),
    reservationDisabled: t.exposeBoolean('reservationDisabled'),
    locked: t.exposeBoolean('locked'),
    revision: t.exposeInt('revision'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    deletedAt: t.expose('deletedAt', { type: 'DateTime', nullable: true }),
    installations: t.relation('installations', {
      description: 'Install and removal history of this position, newest first.',
      query: { orderBy: [{ installedAt: 'desc' }, { id: 'asc' }] },
    }),
    interfaces: t.relation('interfaces', { query: { where: { deletedAt: null }, orderBy: [{ macAddress: 'asc' }, { id: 'asc' }] } }),
    instanceInfo: t.relation('instanceInfo', { nullable: true }),
    history: historyField(t, 'Component'),
  }),
});

// Fields that refer to other types' refs live here, outside the initializer above,
// so TypeScript can infer each ref without a cycle.
builder.prismaObjectFields('Component', (t) => ({
  device: t.field({
    type: DeviceRef,
    nullable: true,
    description: 'The device installed here now.',
    select: (_args, _ctx, nestedSelection) => ({
      installations: { where: { open: true }, take: 1, include: { device: nestedSelection(true) } },
    }),
    resolve: (component) => component.installations[0]?.device ?? null,
  }),
  groups: t.field({
    type: [GroupRef],
    select: (_args, _ctx, nestedSelection) => ({
      // By group name, then id: the order of its SQL twin (compiled-read/group-sql.ts), which
      // without an orderBy would be whatever order the database returns rows in.
      memberships: {
        where: { live: true },
        orderBy: [{ group: { name: 'asc' } }, { groupId: 'asc' }],
        include: { group: nestedSelection(true) },
      },
    }),
    resolve: (component) => component.memberships.map((m) => m.group).filter((g) => !g.deletedAt),
  }),
}));

builder.prismaObject('Installation', {
  description: 'A device installed in a position from installedAt until removedAt.',
  fields: (t) => ({
    id: t.exposeID('id'),
    installedAt: t.expose('installedAt', { type: 'DateTime' }),
    removedAt: t.expose('removedAt', { type: 'DateTime', nullable: true }),
    source: t.exposeString('source'),
    device: t.relation('device'),
    component: t.relation('component'),
  }),
});

export const ComponentFilter = builder.inputType('ComponentFilter', {
  fields: (t) => ({
    xname: t.stringList({ required: false }),
    xnamePrefix: t.string({ required: false }),
    type: t.stringList({ required: false }),
    state: t.stringList({ required: false }),
    flag: t.stringList({ required: false }),
    role: t.stringList({ required: false }),
    subRole: t.stringList({ required: false }),
    enabled: t.boolean({ required: false }),
    nidStart: t.int({ required: false }),
    nidEnd: t.int({ required: false }),
    group: t.string({ required: false }),
    includeDeleted: t.boolean({ required: false, defaultValue: false }),
  }),
});

export function componentWhere(f: typeof ComponentFilter.$inferInput | null | undefined) {
  const filter = f ?? {};
  return {
    AND: [
      filter.includeDeleted ? {} : { deletedAt: null },
      filter.xname?.length ? { xname: { in: filter.xname.map(normalizeXname) } } : {},
      filter.xnamePrefix ? xnameSubtree(filter.xnamePrefix) : {},
      filter.type?.length ? { type: { in: filter.type } } : {},
      filter.state?.length ? { state: { in: filter.state } } : {},
      filter.flag?.length ? { flag: { in: filter.flag } } : {},
      filter.role?.length ? { role: { in: filter.role } } : {},
      filter.subRole?.length ? { subRole: { in: filter.subRole } } : {},
      filter.enabled == null ? {} : { enabled: filter.enabled },
      filter.nidStart == null ? {} : { nid: { gte: filter.nidStart } },
      filter.nidEnd == null ? {} : { nid: { lte: filter.nidEnd } },
      filter.group ? { memberships: { some: { live: true as const, group: { name: filter.group.toLowerCase(), deletedAt: null } } } } : {},
    ],
  };
}

/** The connection's order, served by an index (test/server/query-plans.test.ts). */
const BY_XNAME = [{ field: 'xname' }, { field: 'id' }] as const;

builder.queryFields((t) => ({
  component: t.prismaField({
    type: 'Component',
    nullable: true,
    args: { id: t.arg.id({ required: false }), xname: t.arg.string({ required: false }) },
    resolve: (query, _root, args, ctx) =>
      args.xname
        ? ctx.db.component.findFirst({ ...query, where: { xname: normalizeXname(args.xname), deletedAt: null } })
        : args.id
          ? ctx.db.component.findUnique({ ...query, where: { id: rowId(String(args.id), 'Component') } })
          : null,
  }),
  components: t.prismaConnection({
    type: 'Component',
    cursor: 'id',
    args: { filter: t.arg({ type: ComponentFilter, required: false }) },
    resolve: (query, _root, args, ctx) =>
      keysetFindMany(ctx.db.component, { engine: ctx.engine, query, where: componentWhere(args.filter), order: BY_XNAME }),
    totalCount: (_root, args, ctx) => ctx.db.component.count({ where: componentWhere(args.filter) }),
  }),
}));

type InputFields = InputFieldBuilder<typeof builder.$inferSchemaTypes, 'InputObject'>;

/** The SMD fields a client may set; Type is never among them (it follows from the xname). */
const componentFieldInputs = (t: InputFields) => ({
  state: t.string({ required: false, description: 'Unknown, Empty, Populated, Off, On, Standby, Halt or Ready (any case).' }),
  flag: t.string({ required: false, description: 'Unknown, OK, Warning, Alert or Locked (any case).' }),
  enabled: t.boolean({ required: false }),
  softwareStatus: t.string({ required: false }),
  role: t.string({ required: false }),
  subRole: t.string({ required: false }),
  nid: t.int({ required: false, description: 'Unique among live components.' }),
  subtype: t.string({ required: false }),
  netType: t.string({ required: false }),
  arch: t.string({ required: false }),
  class: t.string({ required: false }),
  locked: t.boolean({ required: false }),
  reservationDisabled: t.boolean({ required: false }),
});

const ComponentCreateInput = builder.inputType('ComponentCreateInput', {
  description: 'A new component. Its type is derived from the xname; Flag defaults to OK, Enabled to true.',
  fields: (t) => ({ xname: t.string({ required: true }), ...componentFieldInputs(t) }),
});

const ComponentUpdateInput = builder.inputType('ComponentUpdateInput', {
  description: 'Only the fields given change; null clears an optional field.',
  fields: componentFieldInputs,
});

const ComponentUpdateItemInput = builder.inputType('ComponentUpdateItemInput', {
  description: 'One component of a bulk update: its xname and the fields that change.',
  fields: (t) => ({ xname: t.string({ required: true }), ...componentFieldInputs(t) }),
});

/** The component fields a write can set but never clear: null is refused (null-inputs.ts). */
const NOT_CLEARABLE = ['state', 'flag', 'enabled', 'locked', 'reservationDisabled'] as const;

const reloadComponent = (ctx: GraphQLContext, query: object, row: { id: string }) => reload(ctx, 'component', query, row.id);

builder.mutationFields((t) => ({
  createComponent: t.prismaField({
    type: 'Component',
    args: { input: t.arg({ type: ComponentCreateInput, required: true }) },
    resolve: async (query, _root, args, ctx) => {
      refuseNulls(args.input, NOT_CLEARABLE);
      return reloadComponent(ctx, query, await createComponent(ctx.service, args.input));
    },
  }),
  createComponents: t.prismaField({
    type: ['Component'],
    description: 'Creates every component or none; an error names the item (components.3.state).',
    args: { components: t.arg({ type: [ComponentCreateInput], required: true }) },
    resolve: async (query, _root, args, ctx) => {
      refuseNullsInList(args.components, NOT_CLEARABLE, 'components');
      const rows = await createComponents(ctx.service, args.components);
      return Promise.all(rows.map((row) => reloadComponent(ctx, query, row)));
    },
  }),
  updateComponent: t.prismaField({
    type: 'Component',
    args: { xname: t.arg.string({ required: true }), input: t.arg({ type: ComponentUpdateInput, required: true }) },
    resolve: async (query, _root, args, ctx) => {
      refuseNulls(args.input, NOT_CLEARABLE);
      return reloadComponent(ctx, query, await updateComponent(ctx.service, args.xname, args.input));
    },
  }),
  updateComponents: t.prismaField({
    type: ['Component'],
    description: 'Applies every item or none.',
    args: { components: t.arg({ type: [ComponentUpdateItemInput], required: true }) },
    resolve: async (query, _root, args, ctx) => {
      refuseNullsInList(args.components, NOT_CLEARABLE, 'components');
      const rows = await updateComponents(ctx.service, args.components);
      return Promise.all(rows.map((row) => reloadComponent(ctx, query, row)));
    },
  }),
  deleteComponent: t.prismaField({
    type: 'Component',
    description: 'Soft delete: ends the installation there and suspends its group memberships.',
    args: { xname: t.arg.string({ required: true }) },
    resolve: async (query, _root, args, ctx) => reloadComponent(ctx, query, await deleteComponent(ctx.service, args.xname)),
  }),
  restoreComponent: t.prismaField({
    type: 'Component',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (query, _root, args, ctx) =>
      reloadComponent(ctx, query, await restoreComponent(ctx.service, rowId(String(args.id), 'Component'))),
  }),
  installDevice: t.prismaField({
    type: 'Component',
    description: "Installs a device in a position; the previous occupant, and the device's previous position, are vacated.",
    args: { xname: t.arg.string({ required: true }), deviceId: t.arg.id({ required: true }), source: t.arg.string({ required: false }) },
    resolve: async (query, _root, args, ctx) => {
      const deviceId = rowId(String(args.deviceId), 'Device', 'deviceId');
      return reloadComponent(ctx, query, await installDevice(ctx.service, args.xname, deviceId, args.source ?? undefined));
    },
  }),
  removeDevice: t.prismaField({
    type: 'Component',
    args: { xname: t.arg.string({ required: true }) },
    resolve: async (query, _root, args, ctx) => reloadComponent(ctx, query, await removeDevice(ctx.service, args.xname)),
  }),
}));

// Component: an xname position with its SMD state, and which device occupies it.
import { normalizeXname } from '../domain/xname.js';
import { builder } from './builder.js';
import { DeviceRef } from './device.js';
import { GroupRef } from './group.js';
import { xnameSubtree } from './device-filter.js';
import { rowId } from './ids.js';
import { historyField } from './history-field.js';

export const ComponentRef = builder.prismaNode('Component', {
  id: { field: 'id' },
  description: 'A position addressed by xname, with its SMD component state. A position, not a thing.',
  fields: (t) => ({
    uuid: t.exposeString('id'),
    xname: t.exposeString('xname'),
    type: t.exposeString('type', { description: 'The HMS type, derived from the xname.' }),
    state: t.exposeString('state'),
    flag: t.exposeString('flag'),
    enabled: t.exposeBoolean('enabled'),
    softwareStatus: t.exposeString('softwareStatus', { nullable: true }),
    role: t.exposeString('role', { nullable: true }),
    subRole: t.exposeString('subRole', { nullable: true }),
    nid: t.exposeInt('nid', { nullable: true }),
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
        memberships: { where: { live: true }, include: { group: nestedSelection(true) } },
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
      ctx.db.component.findMany({ ...query, where: componentWhere(args.filter), orderBy: [{ xname: 'asc' }, { id: 'asc' }] }),
    totalCount: (_root, args, ctx) => ctx.db.component.count({ where: componentWhere(args.filter) }),
  }),
}));

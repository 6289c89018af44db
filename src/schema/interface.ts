// Interface: a network port (MAC) of a device or of an xname position, with its IP addresses.
import { builder } from './builder.js';
import { CableRef } from './cable.js';
import { rowId } from './ids.js';
import { historyField } from './history-field.js';

builder.prismaNode('Interface', {
  id: { field: 'id' },
  fields: (t) => ({
    uuid: t.exposeString('id'),
    name: t.exposeString('name', { nullable: true }),
    kind: t.exposeString('kind'),
    macAddress: t.expose('macAddress', { type: 'MAC', nullable: true }),
    description: t.exposeString('description', { nullable: true }),
    enabled: t.exposeBoolean('enabled'),
    mgmtOnly: t.exposeBoolean('mgmtOnly'),
    properties: t.expose('properties', { type: 'JSONObject' }),
    revision: t.exposeInt('revision'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    deletedAt: t.expose('deletedAt', { type: 'DateTime', nullable: true }),
    device: t.relation('device', { nullable: true }),
    component: t.relation('component', { nullable: true, description: 'The xname position that owns it (SMD ComponentID).' }),
    ipAddresses: t.relation('ipAddresses', { query: { orderBy: [{ address: 'asc' }, { id: 'asc' }] } }),
    cable: t.field({
      type: CableRef,
      nullable: true,
      select: (_args, _ctx, nestedSelection) => ({
        terminations: { where: { live: true }, take: 1, include: { cable: nestedSelection(true) } },
      }),
      resolve: (iface) => iface.terminations[0]?.cable ?? null,
    }),
    history: historyField(t, 'Interface'),
  }),
});

builder.prismaObject('IpAddress', {
  fields: (t) => ({
    id: t.exposeID('id'),
    address: t.expose('address', { type: 'IP' }),
    network: t.exposeString('network', { nullable: true }),
    interface: t.relation('interface'),
  }),
});

builder.queryFields((t) => ({
  interface: t.prismaField({
    type: 'Interface',
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: (query, _root, args, ctx) => ctx.db.interface.findUnique({ ...query, where: { id: rowId(String(args.id), 'Interface') } }),
  }),
  interfaces: t.prismaConnection({
    type: 'Interface',
    cursor: 'id',
    args: {
      macAddress: t.arg.string({ required: false }),
      ipAddress: t.arg.string({ required: false }),
      kind: t.arg.string({ required: false }),
      includeDeleted: t.arg.boolean({ required: false, defaultValue: false }),
    },
    resolve: (query, _root, args, ctx) =>
      ctx.db.interface.findMany({ ...query, where: interfaceWhere(args), orderBy: [{ macAddress: 'asc' }, { id: 'asc' }] }),
    totalCount: (_root, args, ctx) => ctx.db.interface.count({ where: interfaceWhere(args) }),
  }),
}));

function interfaceWhere(args: { macAddress?: string | null; ipAddress?: string | null; kind?: string | null; includeDeleted?: boolean | null }) {
  return {
    ...(args.includeDeleted ? {} : { deletedAt: null }),
    ...(args.macAddress ? { macAddress: args.macAddress.toLowerCase() } : {}),
    ...(args.ipAddress ? { ipAddresses: { some: { address: args.ipAddress } } } : {}),
    ...(args.kind ? { kind: args.kind } : {}),
  };
}

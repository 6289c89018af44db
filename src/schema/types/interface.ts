// Interface: a network port (MAC) of a device or of an xname position, with its IP addresses.
import {
  addIpAddress,
  createInterface,
  deleteInterface,
  removeIpAddress,
  restoreInterface,
  type InterfaceInput as ServiceInterfaceInput,
  updateInterface,
} from '../../services/inventory/index.js';
import { builder } from '../builder.js';
import { optionalRowId, rowId } from '../ids.js';
import { keysetFindMany } from '../keyset-connection.js';
import { reload } from '../reload.js';
import { CableRef } from './cable.js';
import { historyField } from './history-field.js';

// SQL twin: INTERFACE_TYPES in src/schema/compiled-read/interface-sql.ts answers Interface's fields
// (history aside) and IpAddress's below; a change to one of them is a change to its twin there.
builder.prismaNode('Interface', {
  id: { field: 'id' },
  fields: (t) => ({
    uuid: t.expose('id', { type: 'UUID' }),
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
    componentXname: t.exposeString('componentXname', {
      nullable: true,
      description: 'An SMD ComponentID naming no live position, kept by name (component is then null).',
    }),
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

/** The connection's order, served by an index (test/server/query-plans.test.ts). */
const BY_MAC = [{ field: 'macAddress', nullable: true }, { field: 'id' }] as const;

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
      keysetFindMany(ctx.db.interface, { engine: ctx.engine, query, where: interfaceWhere(args), order: BY_MAC }),
    totalCount: (_root, args, ctx) => ctx.db.interface.count({ where: interfaceWhere(args) }),
  }),
}));

function interfaceWhere(args: {
  macAddress?: string | null;
  ipAddress?: string | null;
  kind?: string | null;
  includeDeleted?: boolean | null;
}) {
  return {
    ...(args.includeDeleted ? {} : { deletedAt: null }),
    ...(args.macAddress ? { macAddress: args.macAddress.toLowerCase() } : {}),
    ...(args.ipAddress ? { ipAddresses: { some: { address: args.ipAddress } } } : {}),
    ...(args.kind ? { kind: args.kind } : {}),
  };
}

const IpAddressInput = builder.inputType('IpAddressInput', {
  fields: (t) => ({
    address: t.string({ required: true, description: 'An IPv4 or IPv6 address.' }),
    network: t.string({ required: false, description: 'The network it is on (e.g. HMN, NMN).' }),
  }),
});

const InterfaceInput = builder.inputType('InterfaceInput', {
  description:
    'Creating needs a deviceId, an xname or both. On update only the fields given change, null clears an optional field, and ipAddresses replaces the whole set.',
  fields: (t) => ({
    deviceId: t.id({ required: false }),
    xname: t.string({ required: false, description: 'The position that owns the interface (SMD ComponentID).' }),
    name: t.string({ required: false }),
    kind: t.string({ required: false, description: 'ethernet (default), infiniband, hsn, console, power, bmc or other.' }),
    macAddress: t.string({ required: false, description: 'Any common spelling; stored as aa:bb:cc:dd:ee:ff.' }),
    description: t.string({ required: false }),
    enabled: t.boolean({ required: false }),
    mgmtOnly: t.boolean({ required: false }),
    properties: t.field({ type: 'JSONObject', required: false, description: 'Replaces the whole properties object.' }),
    ipAddresses: t.field({ type: [IpAddressInput], required: false }),
  }),
});

function serviceInput(input: typeof InterfaceInput.$inferInput): ServiceInterfaceInput {
  return { ...input, deviceId: optionalRowId(input.deviceId, 'Device', 'deviceId') };
}

const interfaceId = (id: string | number) => rowId(String(id), 'Interface', 'interfaceId');

builder.mutationFields((t) => ({
  createInterface: t.prismaField({
    type: 'Interface',
    args: { input: t.arg({ type: InterfaceInput, required: true }) },
    resolve: async (query, _root, args, ctx) => {
      const iface = await createInterface(ctx.service, serviceInput(args.input));
      return reload(ctx, 'interface', query, iface.id);
    },
  }),
  updateInterface: t.prismaField({
    type: 'Interface',
    args: { id: t.arg.id({ required: true }), input: t.arg({ type: InterfaceInput, required: true }) },
    resolve: async (query, _root, args, ctx) => {
      const iface = await updateInterface(ctx.service, rowId(String(args.id), 'Interface'), serviceInput(args.input));
      return reload(ctx, 'interface', query, iface.id);
    },
  }),
  deleteInterface: t.prismaField({
    type: 'Interface',
    description: 'Soft delete, refused while a live cable has an end on the interface.',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (query, _root, args, ctx) => {
      const iface = await deleteInterface(ctx.service, rowId(String(args.id), 'Interface'));
      return reload(ctx, 'interface', query, iface.id);
    },
  }),
  restoreInterface: t.prismaField({
    type: 'Interface',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (query, _root, args, ctx) => {
      const iface = await restoreInterface(ctx.service, rowId(String(args.id), 'Interface'));
      return reload(ctx, 'interface', query, iface.id);
    },
  }),
  addIpAddress: t.prismaField({
    type: 'Interface',
    args: { interfaceId: t.arg.id({ required: true }), input: t.arg({ type: IpAddressInput, required: true }) },
    resolve: async (query, _root, args, ctx) => {
      const iface = await addIpAddress(ctx.service, interfaceId(args.interfaceId), args.input);
      return reload(ctx, 'interface', query, iface.id);
    },
  }),
  removeIpAddress: t.prismaField({
    type: 'Interface',
    args: { interfaceId: t.arg.id({ required: true }), address: t.arg.string({ required: true }) },
    resolve: async (query, _root, args, ctx) => {
      const iface = await removeIpAddress(ctx.service, interfaceId(args.interfaceId), args.address);
      return reload(ctx, 'interface', query, iface.id);
    },
  }),
}));

// Redfish, component and service endpoints: how the management network reaches hardware.
// A BMC password is write-only: it is stored for discovery but never part of any type.
import type { InputFieldBuilder } from '@pothos/core';
import { normalizeXname } from '../../domain/xname.js';
import {
  createComponentEndpoint,
  createRedfishEndpoint,
  createRedfishEndpoints,
  createServiceEndpoint,
  deleteComponentEndpoint,
  deleteRedfishEndpoint,
  deleteServiceEndpoint,
  replaceComponentEndpoint,
  replaceServiceEndpoint,
  restoreRedfishEndpoint,
  updateRedfishEndpoint,
} from '../../services/smd/index.js';
import { builder } from '../builder.js';
import { refuseNulls, refuseNullsInList } from '../null-inputs.js';
import { reload } from '../reload.js';

builder.prismaObject('RedfishEndpoint', {
  fields: (t) => ({
    id: t.exposeID('id'),
    xname: t.exposeString('xname'),
    type: t.exposeString('type'),
    name: t.exposeString('name', { nullable: true }),
    hostname: t.exposeString('hostname', { nullable: true }),
    domain: t.exposeString('domain', { nullable: true }),
    fqdn: t.exposeString('fqdn', { nullable: true }),
    ipAddress: t.exposeString('ipAddress', { nullable: true }),
    macAddr: t.exposeString('macAddr', { nullable: true }),
    enabled: t.exposeBoolean('enabled'),
    uuid: t.exposeString('uuid', { nullable: true }),
    username: t.exposeString('username', { nullable: true }),
    hasPassword: t.boolean({
      description: 'Whether a password is stored (it is never returned).',
      select: { password: true },
      resolve: (e) => Boolean(e.password),
    }),
    useSsdp: t.exposeBoolean('useSsdp'),
    macRequired: t.exposeBoolean('macRequired'),
    rediscoverOnUpdate: t.exposeBoolean('rediscoverOnUpdate'),
    templateId: t.exposeString('templateId', { nullable: true }),
    discoveryInfo: t.expose('discoveryInfo', { type: 'JSONObject' }),
    revision: t.exposeInt('revision'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    deletedAt: t.expose('deletedAt', { type: 'DateTime', nullable: true }),
    componentEndpoints: t.relation('componentEndpoints', { query: { where: { deletedAt: null }, orderBy: { xname: 'asc' } } }),
    serviceEndpoints: t.relation('serviceEndpoints', { query: { where: { deletedAt: null }, orderBy: { redfishType: 'asc' } } }),
  }),
});

builder.prismaObject('ComponentEndpoint', {
  fields: (t) => ({
    id: t.exposeID('id'),
    xname: t.exposeString('xname'),
    type: t.exposeString('type'),
    domain: t.exposeString('domain', { nullable: true }),
    fqdn: t.exposeString('fqdn', { nullable: true }),
    redfishType: t.exposeString('redfishType'),
    redfishSubtype: t.exposeString('redfishSubtype', { nullable: true }),
    macAddr: t.exposeString('macAddr', { nullable: true }),
    uuid: t.exposeString('uuid', { nullable: true }),
    odataId: t.exposeString('odataId'),
    redfishUrl: t.exposeString('redfishUrl', { nullable: true }),
    componentEndpointType: t.exposeString('componentEndpointType'),
    enabled: t.exposeBoolean('enabled'),
    info: t.expose('info', { type: 'JSONObject', description: 'The Redfish System/Manager/Chassis/PDU/Outlet info block.' }),
    revision: t.exposeInt('revision'),
    deletedAt: t.expose('deletedAt', { type: 'DateTime', nullable: true }),
    redfishEndpoint: t.relation('redfishEndpoint'),
  }),
});

builder.prismaObject('ServiceEndpoint', {
  fields: (t) => ({
    id: t.exposeID('id'),
    redfishType: t.exposeString('redfishType'),
    redfishSubtype: t.exposeString('redfishSubtype', { nullable: true }),
    uuid: t.exposeString('uuid', { nullable: true }),
    odataId: t.exposeString('odataId'),
    redfishUrl: t.exposeString('redfishUrl', { nullable: true }),
    serviceInfo: t.expose('serviceInfo', { type: 'JSONObject' }),
    revision: t.exposeInt('revision'),
    deletedAt: t.expose('deletedAt', { type: 'DateTime', nullable: true }),
    redfishEndpoint: t.relation('redfishEndpoint'),
  }),
});

builder.queryFields((t) => ({
  redfishEndpoints: t.prismaField({
    type: ['RedfishEndpoint'],
    args: { xname: t.arg.string({ required: false }) },
    resolve: (query, _root, args, ctx) =>
      ctx.db.redfishEndpoint.findMany({
        ...query,
        where: { deletedAt: null, ...(args.xname ? { xname: normalizeXname(args.xname) } : {}) },
        orderBy: { xname: 'asc' },
      }),
  }),
}));

type InputFields = InputFieldBuilder<typeof builder.$inferSchemaTypes, 'InputObject'>;

const endpointFieldInputs = (t: InputFields) => ({
  name: t.string({ required: false }),
  hostname: t.string({ required: false, description: 'A base name or an IP; defaults to the xname.' }),
  domain: t.string({ required: false }),
  fqdn: t.string({ required: false, description: 'Defaults to hostname.domain; must agree with them when given.' }),
  ipAddress: t.string({ required: false }),
  macAddr: t.string({ required: false }),
  enabled: t.boolean({ required: false }),
  uuid: t.string({ required: false }),
  username: t.string({ required: false }),
  password: t.string({ required: false, description: 'Write-only: stored for discovery, never returned.' }),
  useSsdp: t.boolean({ required: false }),
  macRequired: t.boolean({ required: false }),
  rediscoverOnUpdate: t.boolean({ required: false }),
  templateId: t.string({ required: false }),
  discoveryInfo: t.field({ type: 'JSONObject', required: false }),
});

/** Endpoint flags a write can set but never clear: null is refused (null-inputs.ts). */
const ENDPOINT_NOT_CLEARABLE = ['enabled', 'useSsdp', 'macRequired', 'rediscoverOnUpdate'] as const;

const RedfishEndpointCreateInput = builder.inputType('RedfishEndpointCreateInput', {
  description:
    'The xname must be a controller: NodeBMC, ChassisBMC, RouterBMC, CabinetPDUController, MgmtSwitch, MgmtHLSwitch or CDUMgmtSwitch.',
  fields: (t) => ({ xname: t.string({ required: true }), ...endpointFieldInputs(t) }),
});

const RedfishEndpointUpdateInput = builder.inputType('RedfishEndpointUpdateInput', {
  description: 'Only the fields given change; null clears an optional field.',
  fields: endpointFieldInputs,
});

const ComponentEndpointSetInput = builder.inputType('ComponentEndpointInput', {
  fields: (t) => ({
    xname: t.string({ required: true }),
    redfishEndpointXname: t.string({ required: true }),
    redfishType: t.string({ required: true }),
    odataId: t.string({ required: true }),
    componentEndpointType: t.string({
      required: true,
      description: 'ComponentEndpointChassis, …ComputerSystem, …Manager, …PowerDistribution or …Outlet.',
    }),
    redfishSubtype: t.string({ required: false }),
    domain: t.string({ required: false }),
    fqdn: t.string({ required: false }),
    macAddr: t.string({ required: false }),
    uuid: t.string({ required: false }),
    redfishUrl: t.string({ required: false }),
    enabled: t.boolean({ required: false }),
    info: t.field({ type: 'JSONObject', required: false }),
  }),
});

const ServiceEndpointSetInput = builder.inputType('ServiceEndpointInput', {
  fields: (t) => ({
    redfishEndpointXname: t.string({ required: true }),
    redfishType: t.string({ required: true }),
    odataId: t.string({ required: true }),
    redfishSubtype: t.string({ required: false }),
    uuid: t.string({ required: false }),
    redfishUrl: t.string({ required: false }),
    serviceInfo: t.field({ type: 'JSONObject', required: false }),
  }),
});

builder.mutationFields((t) => ({
  createRedfishEndpoint: t.prismaField({
    type: 'RedfishEndpoint',
    args: { input: t.arg({ type: RedfishEndpointCreateInput, required: true }) },
    resolve: async (query, _root, args, ctx) => {
      refuseNulls(args.input, ENDPOINT_NOT_CLEARABLE);
      return reload(ctx, 'redfishEndpoint', query, (await createRedfishEndpoint(ctx.service, args.input)).id);
    },
  }),
  createRedfishEndpoints: t.prismaField({
    type: ['RedfishEndpoint'],
    description: 'Creates every endpoint or none; an error names the item (redfishEndpoints.2.fqdn).',
    args: { redfishEndpoints: t.arg({ type: [RedfishEndpointCreateInput], required: true }) },
    resolve: async (query, _root, args, ctx) => {
      refuseNullsInList(args.redfishEndpoints, ENDPOINT_NOT_CLEARABLE, 'redfishEndpoints');
      const rows = await createRedfishEndpoints(ctx.service, args.redfishEndpoints);
      return Promise.all(rows.map((row) => reload(ctx, 'redfishEndpoint', query, row.id)));
    },
  }),
  updateRedfishEndpoint: t.prismaField({
    type: 'RedfishEndpoint',
    args: { xname: t.arg.string({ required: true }), input: t.arg({ type: RedfishEndpointUpdateInput, required: true }) },
    resolve: async (query, _root, args, ctx) => {
      refuseNulls(args.input, ENDPOINT_NOT_CLEARABLE);
      return reload(ctx, 'redfishEndpoint', query, (await updateRedfishEndpoint(ctx.service, args.xname, args.input)).id);
    },
  }),
  deleteRedfishEndpoint: t.prismaField({
    type: 'RedfishEndpoint',
    description: 'Soft delete, with its component and service endpoints; the components it served go to state Empty.',
    args: { xname: t.arg.string({ required: true }) },
    resolve: async (query, _root, args, ctx) =>
      reload(ctx, 'redfishEndpoint', query, (await deleteRedfishEndpoint(ctx.service, args.xname)).id),
  }),
  restoreRedfishEndpoint: t.prismaField({
    type: 'RedfishEndpoint',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (query, _root, args, ctx) =>
      reload(ctx, 'redfishEndpoint', query, (await restoreRedfishEndpoint(ctx.service, String(args.id))).id),
  }),
  createComponentEndpoint: t.prismaField({
    type: 'ComponentEndpoint',
    args: { input: t.arg({ type: ComponentEndpointSetInput, required: true }) },
    resolve: async (query, _root, args, ctx) => {
      refuseNulls(args.input, ['enabled']);
      return reload(ctx, 'componentEndpoint', query, (await createComponentEndpoint(ctx.service, args.input)).id);
    },
  }),
  replaceComponentEndpoint: t.prismaField({
    type: 'ComponentEndpoint',
    description: 'Creates the component endpoint or overwrites every field of the live one with this xname.',
    args: { input: t.arg({ type: ComponentEndpointSetInput, required: true }) },
    resolve: async (query, _root, args, ctx) => {
      refuseNulls(args.input, ['enabled']);
      return reload(ctx, 'componentEndpoint', query, (await replaceComponentEndpoint(ctx.service, args.input)).id);
    },
  }),
  deleteComponentEndpoint: t.prismaField({
    type: 'ComponentEndpoint',
    args: { xname: t.arg.string({ required: true }) },
    resolve: async (query, _root, args, ctx) =>
      reload(ctx, 'componentEndpoint', query, (await deleteComponentEndpoint(ctx.service, args.xname)).id),
  }),
  createServiceEndpoint: t.prismaField({
    type: 'ServiceEndpoint',
    args: { input: t.arg({ type: ServiceEndpointSetInput, required: true }) },
    resolve: async (query, _root, args, ctx) =>
      reload(ctx, 'serviceEndpoint', query, (await createServiceEndpoint(ctx.service, args.input)).id),
  }),
  replaceServiceEndpoint: t.prismaField({
    type: 'ServiceEndpoint',
    description: 'Creates the service endpoint or overwrites every field of the live one of this Redfish type.',
    args: { input: t.arg({ type: ServiceEndpointSetInput, required: true }) },
    resolve: async (query, _root, args, ctx) =>
      reload(ctx, 'serviceEndpoint', query, (await replaceServiceEndpoint(ctx.service, args.input)).id),
  }),
  deleteServiceEndpoint: t.prismaField({
    type: 'ServiceEndpoint',
    args: { redfishEndpointXname: t.arg.string({ required: true }), redfishType: t.arg.string({ required: true }) },
    resolve: async (query, _root, args, ctx) =>
      reload(ctx, 'serviceEndpoint', query, (await deleteServiceEndpoint(ctx.service, args.redfishEndpointXname, args.redfishType)).id),
  }),
}));

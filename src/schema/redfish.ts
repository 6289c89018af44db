// Redfish, component and service endpoints: how the management network reaches hardware.
// A BMC password is write-only: it is stored for discovery but never part of any type.
import { normalizeXname } from '../domain/xname.js';
import { builder } from './builder.js';

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
    hasPassword: t.boolean({ description: 'Whether a password is stored (it is never returned).', select: { password: true }, resolve: (e) => Boolean(e.password) }),
    useSsdp: t.exposeBoolean('useSsdp'),
    macRequired: t.exposeBoolean('macRequired'),
    rediscoverOnUpdate: t.exposeBoolean('rediscoverOnUpdate'),
    templateId: t.exposeString('templateId', { nullable: true }),
    discoveryInfo: t.expose('discoveryInfo', { type: 'JSONObject' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
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

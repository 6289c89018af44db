// Node cloud-init metadata: cluster defaults, group templates, per-node instance info.
import { builder } from './builder.js';

builder.prismaObject('ClusterDefaults', {
  fields: (t) => ({
    clusterName: t.exposeString('clusterName', { nullable: true }),
    shortName: t.exposeString('shortName', { nullable: true }),
    nidLength: t.exposeInt('nidLength'),
    baseUrl: t.exposeString('baseUrl', { nullable: true }),
    bootSubnet: t.exposeString('bootSubnet', { nullable: true }),
    wgSubnet: t.exposeString('wgSubnet', { nullable: true }),
    cloudProvider: t.exposeString('cloudProvider', { nullable: true }),
    region: t.exposeString('region', { nullable: true }),
    availabilityZone: t.exposeString('availabilityZone', { nullable: true }),
    publicKeys: t.expose('publicKeys', { type: 'JSON' }),
    revision: t.exposeInt('revision'),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

builder.prismaObject('GroupTemplate', {
  fields: (t) => ({
    id: t.exposeID('id'),
    template: t.exposeString('template', { description: 'Jinja template of the group\'s cloud-config.' }),
    metaData: t.expose('metaData', { type: 'JSONObject' }),
    osVersion: t.exposeString('osVersion', { nullable: true }),
    revision: t.exposeInt('revision'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    group: t.relation('group'),
  }),
});

builder.prismaObject('InstanceInfo', {
  fields: (t) => ({
    id: t.exposeID('id'),
    instanceId: t.exposeString('instanceId'),
    localHostname: t.exposeString('localHostname', { nullable: true }),
    hostname: t.exposeString('hostname', { nullable: true }),
    clusterName: t.exposeString('clusterName', { nullable: true }),
    region: t.exposeString('region', { nullable: true }),
    availabilityZone: t.exposeString('availabilityZone', { nullable: true }),
    cloudProvider: t.exposeString('cloudProvider', { nullable: true }),
    instanceType: t.exposeString('instanceType', { nullable: true }),
    cloudInitBaseUrl: t.exposeString('cloudInitBaseUrl', { nullable: true }),
    publicKeys: t.expose('publicKeys', { type: 'JSON' }),
    revision: t.exposeInt('revision'),
    component: t.relation('component'),
  }),
});

builder.queryFields((t) => ({
  clusterDefaults: t.prismaField({
    type: 'ClusterDefaults',
    nullable: true,
    resolve: (query, _root, _args, ctx) => ctx.db.clusterDefaults.findUnique({ ...query, where: { id: 'default' } }),
  }),
}));

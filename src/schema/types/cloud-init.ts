// Node cloud-init metadata: cluster defaults, group templates, per-node instance info.
import {
  deleteGroupTemplate,
  deleteInstanceInfo,
  setClusterDefaults,
  setGroupTemplate,
  setInstanceInfo,
} from '../../services/cloud-init/index.js';
import { builder } from '../builder.js';
import { reload } from '../reload.js';

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
    template: t.exposeString('template', { description: "Jinja template of the group's cloud-config." }),
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

const ClusterDefaultsSetInput = builder.inputType('ClusterDefaultsInput', {
  description: 'Only the fields given change; null clears one.',
  fields: (t) => ({
    clusterName: t.string({ required: false }),
    shortName: t.string({ required: false }),
    nidLength: t.int({ required: false, description: 'Digits of the zero-padded NID in hostnames, 1 to 9.' }),
    baseUrl: t.string({ required: false, description: 'http(s) URL of the cloud-init server.' }),
    bootSubnet: t.string({ required: false }),
    wgSubnet: t.string({ required: false }),
    cloudProvider: t.string({ required: false }),
    region: t.string({ required: false }),
    availabilityZone: t.string({ required: false }),
    publicKeys: t.stringList({ required: false }),
  }),
});

const GroupTemplateSetInput = builder.inputType('GroupTemplateInput', {
  fields: (t) => ({
    template: t.string({ required: true, description: 'The Jinja cloud-config template, stored as given.' }),
    metaData: t.field({ type: 'JSONObject', required: false }),
    osVersion: t.string({ required: false }),
  }),
});

const InstanceInfoSetInput = builder.inputType('InstanceInfoInput', {
  description: 'Only the fields given change; null clears one (for instanceId: back to the default derived from the xname).',
  fields: (t) => ({
    instanceId: t.string({ required: false }),
    localHostname: t.string({ required: false }),
    hostname: t.string({ required: false }),
    clusterName: t.string({ required: false }),
    region: t.string({ required: false }),
    availabilityZone: t.string({ required: false }),
    cloudProvider: t.string({ required: false }),
    instanceType: t.string({ required: false }),
    cloudInitBaseUrl: t.string({ required: false }),
    publicKeys: t.stringList({ required: false }),
  }),
});

builder.mutationFields((t) => ({
  setClusterDefaults: t.prismaField({
    type: 'ClusterDefaults',
    args: { input: t.arg({ type: ClusterDefaultsSetInput, required: true }) },
    resolve: async (query, _root, args, ctx) =>
      reload(ctx, 'clusterDefaults', query, (await setClusterDefaults(ctx.service, args.input)).id),
  }),
  setGroupTemplate: t.prismaField({
    type: 'GroupTemplate',
    args: { groupName: t.arg.string({ required: true }), input: t.arg({ type: GroupTemplateSetInput, required: true }) },
    resolve: async (query, _root, args, ctx) =>
      reload(ctx, 'groupTemplate', query, (await setGroupTemplate(ctx.service, args.groupName, args.input)).id),
  }),
  deleteGroupTemplate: t.prismaField({
    type: 'Group',
    description: 'Removes the template; answers with the group.',
    args: { groupName: t.arg.string({ required: true }) },
    resolve: async (query, _root, args, ctx) => reload(ctx, 'group', query, (await deleteGroupTemplate(ctx.service, args.groupName)).id),
  }),
  setInstanceInfo: t.prismaField({
    type: 'InstanceInfo',
    args: { xname: t.arg.string({ required: true }), input: t.arg({ type: InstanceInfoSetInput, required: true }) },
    resolve: async (query, _root, args, ctx) =>
      reload(ctx, 'instanceInfo', query, (await setInstanceInfo(ctx.service, args.xname, args.input)).id),
  }),
  deleteInstanceInfo: t.prismaField({
    type: 'Component',
    description: 'Removes the instance info; answers with the component.',
    args: { xname: t.arg.string({ required: true }) },
    resolve: async (query, _root, args, ctx) => reload(ctx, 'component', query, (await deleteInstanceInfo(ctx.service, args.xname)).id),
  }),
}));

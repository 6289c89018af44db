// Cloud-init metadata: the cluster defaults, each group's template, each node's instance info.
// Every setter is an upsert (a SetMode makes it create-only or update-only, as REST's POST and
// PUT need) that changes only the fields it is given (null clears one).
import type { Prisma, Tx } from '../../db/client.js';
import { ConflictError, NotFoundError, ValidationError } from '../../domain/errors.js';
import { defaultInstanceId } from '../../domain/nocloud-metadata.js';
import { requireLabel, requireXname } from '../../domain/smd-names.js';
import { validateTemplate } from '../../domain/templates.js';
import { defined, optionalHttpUrl, optionalInt, optionalObject, optionalText, stringList } from '../../domain/validate.js';
import type { Change } from '../core/change-log.js';
import type { ServiceContext } from '../core/context.js';
import { findLiveByXname } from '../core/lookup.js';
import { write } from '../core/transaction.js';
import { findLiveGroup, updateGroupIn } from '../smd/group.js';

export interface ClusterDefaultsInput {
  clusterName?: string | null;
  shortName?: string | null;
  nidLength?: number | null;
  baseUrl?: string | null;
  bootSubnet?: string | null;
  wgSubnet?: string | null;
  cloudProvider?: string | null;
  region?: string | null;
  availabilityZone?: string | null;
  publicKeys?: string[] | null;
}

export interface GroupTemplateInput {
  template: string;
  metaData?: Record<string, unknown> | null;
  osVersion?: string | null;
  /** The SMD group's description (the cloud-init Group resource shows it); undefined leaves it. */
  description?: string | null;
}

export interface InstanceInfoInput {
  instanceId?: string | null;
  localHostname?: string | null;
  hostname?: string | null;
  clusterName?: string | null;
  region?: string | null;
  availabilityZone?: string | null;
  cloudProvider?: string | null;
  instanceType?: string | null;
  cloudInitBaseUrl?: string | null;
  publicKeys?: string[] | null;
}

export { defaultInstanceId };

/**
 * How a setter treats the row it sets: 'upsert' (GraphQL), 'create' (refuses one that already
 * exists: a REST POST) or 'update' (refuses a missing one: a REST PUT or PATCH).
 */
export type SetMode = 'upsert' | 'create' | 'update';

export const CLUSTER_DEFAULTS_ID = 'default';
const MAX_TEMPLATE_LENGTH = 1_048_576;

/** Refuses a write the mode does not allow: ConflictError or NotFoundError naming `field`. */
export function checkMode(mode: SetMode, exists: boolean, entity: string, key: string, field: string): void {
  if (mode === 'create' && exists) throw new ConflictError(field, `${entity} for ${key} already exists`);
  if (mode === 'update' && !exists) throw new NotFoundError(entity, key, field);
}

/** SSH public keys: non-empty strings; null clears the list. */
function publicKeyList(value: unknown, field = 'publicKeys'): string[] | undefined {
  if (value === null) return [];
  const keys = stringList(value, field);
  keys?.forEach((key, i) => {
    if (key.trim() === '') throw new ValidationError(`${field}.${i}`, 'must not be empty');
  });
  return keys?.map((key) => key.trim());
}

function checkNidLength(value: unknown): number | undefined {
  if (value === null) throw new ValidationError('nidLength', 'cannot be cleared: give an integer from 1 to 9');
  return optionalInt(value, 'nidLength', 1, 9) ?? undefined;
}

export async function setClusterDefaults(ctx: ServiceContext, input: ClusterDefaultsInput, mode: SetMode = 'upsert') {
  const fields = defined({
    clusterName: optionalText(input.clusterName, 'clusterName'),
    shortName: optionalText(input.shortName, 'shortName', 64),
    nidLength: checkNidLength(input.nidLength),
    baseUrl: optionalHttpUrl(input.baseUrl, 'baseUrl'),
    bootSubnet: optionalText(input.bootSubnet, 'bootSubnet', 64),
    wgSubnet: optionalText(input.wgSubnet, 'wgSubnet', 64),
    cloudProvider: optionalText(input.cloudProvider, 'cloudProvider'),
    region: optionalText(input.region, 'region'),
    availabilityZone: optionalText(input.availabilityZone, 'availabilityZone'),
    publicKeys: publicKeyList(input.publicKeys),
  });
  return write(ctx, async (tx) => {
    const before = await tx.clusterDefaults.findUnique({ where: { id: CLUSTER_DEFAULTS_ID } });
    checkMode(mode, before !== null, 'ClusterDefaults', CLUSTER_DEFAULTS_ID, 'id');
    const after = before
      ? await tx.clusterDefaults.update({ where: { id: CLUSTER_DEFAULTS_ID }, data: { ...fields, revision: { increment: 1 } } })
      : await tx.clusterDefaults.create({ data: { publicKeys: [], ...fields, id: CLUSTER_DEFAULTS_ID } });
    return {
      result: after,
      changes: [{ entityType: 'ClusterDefaults', entityId: after.id, action: before ? 'updated' : 'created', before, after }],
    };
  });
}

/** Removes the cluster defaults (nodes then get generated names and the request's own base URL). */
export async function deleteClusterDefaults(ctx: ServiceContext) {
  return write(ctx, async (tx) => {
    const before = await tx.clusterDefaults.findUnique({ where: { id: CLUSTER_DEFAULTS_ID } });
    if (!before) throw new NotFoundError('ClusterDefaults', CLUSTER_DEFAULTS_ID, 'id');
    await tx.clusterDefaults.delete({ where: { id: CLUSTER_DEFAULTS_ID } });
    return { result: before, changes: [{ entityType: 'ClusterDefaults', entityId: before.id, action: 'deleted', before }] };
  });
}

/** A template is kept exactly as given (whitespace matters to YAML); rendering is checked in the write. */
function checkTemplate(value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') throw new ValidationError('template', 'is required and must be a non-empty string');
  if (value.length > MAX_TEMPLATE_LENGTH) throw new ValidationError('template', `must be at most ${MAX_TEMPLATE_LENGTH} characters`);
  return value;
}

/**
 * Sets the cloud-init template of an SMD group (kind "group"). The template must render, with
 * the group's metaData, against sample metadata to valid YAML (ValidationError on `template`
 * naming the line and the reason); a `## template: jinja` one is rendered by the node instead.
 */
export async function setGroupTemplate(ctx: ServiceContext, groupName: string, input: GroupTemplateInput, mode: SetMode = 'upsert') {
  const name = requireLabel(groupName, 'groupName');
  const fields = defined({
    template: checkTemplate(input.template),
    metaData: (input.metaData === null ? {} : optionalObject(input.metaData, 'metaData')) as Prisma.InputJsonObject | undefined,
    osVersion: optionalText(input.osVersion, 'osVersion', 64),
  });
  return write(ctx, async (tx) => {
    let group = await findLiveGroup(tx, { kind: 'group', name }, 'groupName');
    const before = await tx.groupTemplate.findUnique({ where: { groupId: group.id } });
    checkMode(mode, before !== null, 'GroupTemplate', name, 'groupName');
    const groupChanges: Change[] = [];
    if (input.description !== undefined && (input.description ?? null) !== group.description) {
      const updated = await updateGroupIn(tx, { name }, { description: input.description });
      group = updated.result;
      groupChanges.push(...updated.changes);
    }
    const metaData = (fields.metaData ?? before?.metaData ?? {}) as Record<string, unknown>;
    validateTemplate(fields.template as string, { name, description: group.description, metaData });
    const after = before
      ? await tx.groupTemplate.update({ where: { id: before.id }, data: { ...fields, revision: { increment: 1 } } })
      : await tx.groupTemplate.create({ data: { metaData: {}, ...fields, template: fields.template as string, groupId: group.id } });
    const templateChange = {
      entityType: 'GroupTemplate',
      entityId: after.id,
      action: before ? 'updated' : 'created',
      before,
      after,
    } as const;
    return { result: after, changes: [...groupChanges, templateChange] };
  });
}

/** Removes a group's template; answers with the group. */
export async function deleteGroupTemplate(ctx: ServiceContext, groupName: string) {
  const name = requireLabel(groupName, 'groupName');
  return write(ctx, async (tx) => {
    const group = await findLiveGroup(tx, { kind: 'group', name }, 'groupName');
    const before = await tx.groupTemplate.findUnique({ where: { groupId: group.id } });
    if (!before) throw new NotFoundError('GroupTemplate', name, 'groupName');
    await tx.groupTemplate.delete({ where: { id: before.id } });
    return { result: group, changes: [{ entityType: 'GroupTemplate', entityId: before.id, action: 'deleted', before }] };
  });
}

/** The given id; else, unless null asked for the default again, the stored one; else the default. */
function chooseInstanceId(given: string | null | undefined, stored: string | undefined, xname: string): string {
  if (given) return given;
  if (given === undefined && stored) return stored;
  return defaultInstanceId(xname);
}

/**
 * Refuses an instance-id held by another live node. One held by a deleted component is
 * released: the position's new component inherits its stable id.
 */
async function claimInstanceId(tx: Tx, instanceId: string, componentId: string) {
  const holder = await tx.instanceInfo.findUnique({
    where: { instanceId },
    include: { component: { select: { xname: true, deletedAt: true } } },
  });
  if (!holder || holder.componentId === componentId) return [];
  if (!holder.component.deletedAt)
    throw new ConflictError('instanceId', `instance-id ${instanceId} is already used by ${holder.component.xname}`);
  const { component: _component, ...released } = holder;
  await tx.instanceInfo.delete({ where: { id: holder.id } });
  return [{ entityType: 'InstanceInfo', entityId: holder.id, action: 'deleted' as const, before: released }];
}

export async function setInstanceInfo(ctx: ServiceContext, xname: string, input: InstanceInfoInput, mode: SetMode = 'upsert') {
  const key = requireXname(xname, 'xname').xname;
  const fields = defined({
    instanceId: optionalText(input.instanceId, 'instanceId', 64),
    localHostname: optionalText(input.localHostname, 'localHostname'),
    hostname: optionalText(input.hostname, 'hostname'),
    clusterName: optionalText(input.clusterName, 'clusterName'),
    region: optionalText(input.region, 'region'),
    availabilityZone: optionalText(input.availabilityZone, 'availabilityZone'),
    cloudProvider: optionalText(input.cloudProvider, 'cloudProvider'),
    instanceType: optionalText(input.instanceType, 'instanceType'),
    cloudInitBaseUrl: optionalHttpUrl(input.cloudInitBaseUrl, 'cloudInitBaseUrl'),
    publicKeys: publicKeyList(input.publicKeys),
  });
  return write(ctx, async (tx) => {
    const component = await findLiveByXname(tx, 'component', key);
    const before = await tx.instanceInfo.findUnique({ where: { componentId: component.id } });
    checkMode(mode, before !== null, 'InstanceInfo', key, 'xname');
    const instanceId = chooseInstanceId(fields.instanceId, before?.instanceId, key);
    const released = await claimInstanceId(tx, instanceId, component.id);
    const data = { ...fields, instanceId };
    const after = before
      ? await tx.instanceInfo.update({ where: { id: before.id }, data: { ...data, revision: { increment: 1 } } })
      : await tx.instanceInfo.create({ data: { publicKeys: [], ...data, componentId: component.id } });
    return {
      result: after,
      changes: [...released, { entityType: 'InstanceInfo', entityId: after.id, action: before ? 'updated' : 'created', before, after }],
    };
  });
}

/** Removes a node's instance info; answers with the component. */
export async function deleteInstanceInfo(ctx: ServiceContext, xname: string) {
  const key = requireXname(xname, 'xname').xname;
  return write(ctx, async (tx) => {
    const component = await findLiveByXname(tx, 'component', key);
    const before = await tx.instanceInfo.findUnique({ where: { componentId: component.id } });
    if (!before) throw new NotFoundError('InstanceInfo', key, 'xname');
    await tx.instanceInfo.delete({ where: { id: before.id } });
    return { result: component, changes: [{ entityType: 'InstanceInfo', entityId: before.id, action: 'deleted', before }] };
  });
}

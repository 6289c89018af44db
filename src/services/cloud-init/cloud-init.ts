// Cloud-init metadata: the cluster defaults, each group's template, each node's instance info.
// Every setter is an upsert (a SetMode makes it create-only or update-only, as REST's POST and
// PUT need) that changes only the fields it is given (null clears one).
import type { Prisma, Tx } from '../../db/client.js';
import { ConflictError, NotFoundError, ValidationError } from '../../domain/errors.js';
import { DEFAULT_NID_LENGTH, storedDefaultInstanceId } from '../../domain/nocloud-metadata.js';
import { requireLabel, requireXname } from '../../domain/smd-names.js';
import { validateTemplate } from '../../domain/templates.js';
import { defined, optionalHttpUrl, optionalInt, optionalObject, optionalText, stringList } from '../../domain/validate.js';
import type { Change } from '../core/change-log.js';
import type { ServiceContext } from '../core/context.js';
import { findLiveByXname } from '../core/lookup.js';
import { write } from '../core/transaction.js';
import { updateGroupIn } from '../smd/group.js';
import { CLOUD_INIT_GROUP_KIND, type CloudInitGroupRow, findCloudInitGroup, retireHolder } from './cloud-init-groups.js';

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
  /** None (or only whitespace): a metadata-only group. */
  template?: string | null;
  metaData?: Record<string, unknown> | null;
  osVersion?: string | null;
  /** The group's description (its SMD group's, or its cloud-init row's while SMD has none); undefined leaves it. */
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

/**
 * How a setter treats the row it sets: 'upsert' (GraphQL), 'create' (refuses one that already
 * exists: a REST POST) or 'update' (refuses a missing one: a REST PUT or PATCH).
 */
export type SetMode = 'upsert' | 'create' | 'update';

export const CLUSTER_DEFAULTS_ID = 'default';
/** Where the cluster defaults' resource name is kept (FabricaResource, the uid the resource API shows). */
export const CLUSTER_DEFAULTS_UID = 'clusterdefaults-default';
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

/**
 * Sets the cluster defaults. `resourceName` is the name the resource API's client gave them
 * (metadata.name), kept as given; without one they answer to "default".
 */
export async function setClusterDefaults(
  ctx: ServiceContext,
  input: ClusterDefaultsInput,
  mode: SetMode = 'upsert',
  resourceName?: string,
) {
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
  const name = optionalText(resourceName, 'id', 253) ?? undefined;
  return write(ctx, async (tx) => {
    const before = await tx.clusterDefaults.findUnique({ where: { id: CLUSTER_DEFAULTS_ID } });
    checkMode(mode, before !== null, 'ClusterDefaults', CLUSTER_DEFAULTS_ID, 'id');
    const after = before
      ? await tx.clusterDefaults.update({ where: { id: CLUSTER_DEFAULTS_ID }, data: { ...fields, revision: { increment: 1 } } })
      : await tx.clusterDefaults.create({ data: { publicKeys: [], nidLength: DEFAULT_NID_LENGTH, ...fields, id: CLUSTER_DEFAULTS_ID } });
    const changes: Change[] = [
      { entityType: 'ClusterDefaults', entityId: after.id, action: before ? 'updated' : 'created', before, after },
    ];
    if (name) changes.push(...(await nameClusterDefaults(tx, name)));
    return { result: after, changes };
  });
}

/** Keeps the resource name of the cluster defaults, as the Fabrica resources keep theirs. */
async function nameClusterDefaults(tx: Tx, name: string): Promise<Change[]> {
  const before = await tx.fabricaResource.findUnique({ where: { uid: CLUSTER_DEFAULTS_UID } });
  if ((before?.name ?? CLUSTER_DEFAULTS_ID) === name) return [];
  const after = before
    ? await tx.fabricaResource.update({ where: { uid: CLUSTER_DEFAULTS_UID }, data: { name } })
    : await tx.fabricaResource.create({
        data: {
          uid: CLUSTER_DEFAULTS_UID,
          kind: 'ClusterDefaults',
          entityId: CLUSTER_DEFAULTS_ID,
          name,
          labels: {},
          annotations: {},
          status: {},
        },
      });
  return [
    { entityType: 'FabricaResource', entityId: after.uid, action: before ? 'updated' : 'created', before: before ?? undefined, after },
  ];
}

/** Removes the cluster defaults (nodes then get generated names and the request's own base URL). */
export async function deleteClusterDefaults(ctx: ServiceContext) {
  return write(ctx, async (tx) => {
    const before = await tx.clusterDefaults.findUnique({ where: { id: CLUSTER_DEFAULTS_ID } });
    if (!before) throw new NotFoundError('ClusterDefaults', CLUSTER_DEFAULTS_ID, 'id');
    await tx.clusterDefaults.delete({ where: { id: CLUSTER_DEFAULTS_ID } });
    const changes: Change[] = [{ entityType: 'ClusterDefaults', entityId: before.id, action: 'deleted', before }];
    const named = await tx.fabricaResource.findUnique({ where: { uid: CLUSTER_DEFAULTS_UID } });
    if (named) {
      await tx.fabricaResource.delete({ where: { uid: CLUSTER_DEFAULTS_UID } });
      changes.push({ entityType: 'FabricaResource', entityId: named.uid, action: 'deleted', before: named });
    }
    return { result: before, changes };
  });
}

/**
 * A template is kept exactly as given (whitespace matters to YAML); rendering is checked in
 * the write. None (null, or only whitespace) makes a metadata-only group. metadata-service
 * would list a whitespace-only template in vendor-data: a part without a type line, which
 * cloud-init only warns about.
 */
function checkTemplate(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') throw new ValidationError('template', 'must be a string');
  if (value.length > MAX_TEMPLATE_LENGTH) throw new ValidationError('template', `must be at most ${MAX_TEMPLATE_LENGTH} characters`);
  return value.trim() === '' ? '' : value;
}

/**
 * The Group row a cloud-init Group hangs on: its live SMD group, else the cloud-init row that
 * holds it (created when there is none yet). Its description is set when one is given.
 */
async function holderFor(tx: Tx, name: string, current: CloudInitGroupRow | null, description: string | null | undefined) {
  const changes: Change[] = [];
  let holder =
    (await tx.group.findFirst({ where: { kind: 'group', name, deletedAt: null } })) ??
    (await tx.group.findFirst({ where: { kind: CLOUD_INIT_GROUP_KIND, name, deletedAt: null } }));
  if (!holder) {
    holder = await tx.group.create({
      data: { kind: CLOUD_INIT_GROUP_KIND, name, description: current?.group.description ?? null, tags: [], properties: {} },
    });
    changes.push({ entityType: 'Group', entityId: holder.id, action: 'created', after: holder });
  }
  if (description !== undefined && (description ?? null) !== holder.description) {
    if (holder.kind === 'group') {
      const updated = await updateGroupIn(tx, { name }, { description });
      holder = updated.result;
      changes.push(...updated.changes);
    } else {
      const before = holder;
      holder = await tx.group.update({
        where: { id: holder.id },
        data: { description: optionalText(description, 'description', 4000) ?? null, revision: { increment: 1 } },
      });
      changes.push({ entityType: 'Group', entityId: holder.id, action: 'updated', before, after: holder });
    }
  }
  return { holder, changes };
}

/** Removes the other GroupTemplate rows of a name (left on deleted groups), so one is in force. */
async function dropStale(tx: Tx, name: string, keepId: string | undefined): Promise<Change[]> {
  const stale = await tx.groupTemplate.findMany({
    where: { id: keepId ? { not: keepId } : undefined, group: { name, kind: { in: ['group', CLOUD_INIT_GROUP_KIND] } } },
  });
  if (stale.length) await tx.groupTemplate.deleteMany({ where: { id: { in: stale.map((row) => row.id) } } });
  return stale.map((before) => ({ entityType: 'GroupTemplate', entityId: before.id, action: 'deleted', before }));
}

/**
 * Sets the cloud-init Group `groupName` (metadata-service's Group resource): its template,
 * metaData and description. The SMD group of that name need not exist yet; the template
 * applies to its members once it does. A template must render, with the group's metaData,
 * against sample metadata to valid YAML (ValidationError on `template` naming the line and the
 * reason); a `## template: jinja` one is rendered by the node instead; none makes a
 * metadata-only group, whose metaData nodes still see under vendor_data.groups.
 */
export async function setGroupTemplate(ctx: ServiceContext, groupName: string, input: GroupTemplateInput, mode: SetMode = 'upsert') {
  const name = requireLabel(groupName, 'groupName');
  const template = checkTemplate(input.template);
  const fields = defined({
    metaData: (input.metaData === null ? {} : optionalObject(input.metaData, 'metaData')) as Prisma.InputJsonObject | undefined,
    osVersion: optionalText(input.osVersion, 'osVersion', 64),
  });
  return write(ctx, async (tx) => {
    const current = await findCloudInitGroup(tx, name);
    checkMode(mode, current !== null, 'GroupTemplate', name, 'groupName');
    const { holder, changes } = await holderFor(tx, name, current, input.description);
    const metaData = (fields.metaData ?? current?.metaData ?? {}) as Record<string, unknown>;
    validateTemplate(template, { name, description: holder.description, metaData });
    const data = { ...fields, template, groupId: holder.id };
    const after = current
      ? await tx.groupTemplate.update({ where: { id: current.id }, data: { ...data, revision: { increment: 1 } } })
      : await tx.groupTemplate.create({ data: { metaData: {}, ...data } });
    if (current) {
      const { group: left, ...before } = current;
      changes.push({ entityType: 'GroupTemplate', entityId: after.id, action: 'updated', before, after });
      if (left.id !== holder.id) changes.push(...(await retireHolder(tx, left)));
    } else {
      changes.push({ entityType: 'GroupTemplate', entityId: after.id, action: 'created', after });
    }
    changes.push(...(await dropStale(tx, name, after.id)));
    return { result: after, changes };
  });
}

/** Removes the cloud-init Group `groupName`; answers with the group row it hung on. */
export async function deleteGroupTemplate(ctx: ServiceContext, groupName: string) {
  const name = requireLabel(groupName, 'groupName');
  return write(ctx, async (tx) => {
    const current = await findCloudInitGroup(tx, name);
    if (!current) throw new NotFoundError('GroupTemplate', name, 'groupName');
    const changes = await dropStale(tx, name, undefined);
    changes.push(...(await retireHolder(tx, current.group)));
    return { result: await tx.group.findUniqueOrThrow({ where: { id: current.groupId } }), changes };
  });
}

/** The given id; else, unless null asked for the default again, the stored one; else the default. */
function chooseInstanceId(given: string | null | undefined, stored: string | undefined, xname: string): string {
  if (given) return given;
  if (given === undefined && stored) return stored;
  return storedDefaultInstanceId(xname);
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

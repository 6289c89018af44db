// Fabrica resources (the OpenCHAMI inventory-service API): each kind is a view of inventory
// entities (Component → a position, EthernetInterface → an interface with a MAC …) plus
// Fabrica metadata kept in FabricaResource: a uid minted the first time the entity is shown
// and never changed, a name, labels, annotations and the status sub-resource.
//
// Reads: live entities of a kind with their metadata (uids minted on the way). Writes: the
// entity through its own service and the metadata, in ONE transaction with their change-log
// events. Natural keys (an xname, a MAC, a group label) are identities: a write that would
// change one is refused; delete and create instead.
import { randomBytes } from 'node:crypto';
import type { Db, Prisma, Tx } from '../../db/client.js';
import { ConflictError, NotFoundError, ValidationError } from '../../domain/errors.js';
import { normalizeMac } from '../../domain/mac.js';
import { normalizeXname } from '../../domain/xname.js';
import type { Change } from '../core/change-log.js';
import type { ServiceContext } from '../core/context.js';
import { translateDatabaseError, type WriteResult, write } from '../core/transaction.js';
import { deleteInterfaceIn, ETHERNET_VIEW_WHERE, type EthernetInterfaceInput, writeEthernetInterfacesIn } from '../inventory/interface.js';
import { type EthernetInterfaceView, findEthernetInterface, listEthernetInterfaces } from '../inventory/interface-queries.js';
import { type ComponentInput, createComponentIn, deleteComponentIn, updateComponentIn } from '../smd/component.js';
import { createGroupIn, deleteGroupIn, type GroupInput, setGroupMembersIn, updateGroupIn } from '../smd/group.js';
import {
  deleteHardwareLocationsIn,
  type HardwareLocationInput,
  type HardwareLocationView,
  listHardwareLocations,
  loadHardwareLocationsIn,
} from '../smd/hardware-inventory.js';
import {
  type ComponentEndpointInput,
  createComponentEndpointIn,
  createRedfishEndpointsIn,
  createServiceEndpointIn,
  deleteComponentEndpointIn,
  deleteRedfishEndpointIn,
  deleteServiceEndpointIn,
  type RedfishEndpointInput,
  replaceComponentEndpointIn,
  replaceRedfishEndpointIn,
  replaceServiceEndpointIn,
  type ServiceEndpointInput,
} from '../smd/redfish.js';
import {
  type ComponentEndpointView,
  findComponentEndpoint,
  findServiceEndpoint,
  listComponentEndpoints,
  listRedfishEndpoints,
  listServiceEndpoints,
  type RedfishEndpointView,
  type ServiceEndpointView,
} from '../smd/redfish-queries.js';

export const FABRICA_KINDS = [
  'Component',
  'ComponentEndpoint',
  'EthernetInterface',
  'Group',
  'Hardware',
  'RedfishEndpoint',
  'ServiceEndpoint',
] as const;
export type FabricaKind = (typeof FABRICA_KINDS)[number];

/** Fabrica's uid: the kind in lower case, a dash and 8 hex digits (4 random bytes). */
export function mintUid(kind: FabricaKind): string {
  return `${kind.toLowerCase()}-${randomBytes(4).toString('hex')}`;
}

export type StringMap = Record<string, string>;

/** The Fabrica status sub-resource: {phase?, message?, ready}. */
export interface FabricaStatus {
  phase?: string;
  message?: string;
  ready: boolean;
}

export interface FabricaMeta {
  uid: string;
  kind: FabricaKind;
  entityId: string;
  name: string;
  labels: StringMap;
  annotations: StringMap;
  status: FabricaStatus;
  createdAt: Date;
  updatedAt: Date;
}

const WITHOUT_PASSWORD = { password: true } as const;

type ComponentEntity = Prisma.ComponentGetPayload<object>;
/** An interface of the SMD EthernetInterfaces view (the same reads as /hsm/v2). */
type EthernetInterfaceEntity = EthernetInterfaceView & { createdAt: Date };
type GroupEntity = Prisma.GroupGetPayload<object> & { members: string[] };
type RedfishEndpointEntity = RedfishEndpointView;
type ComponentEndpointEntity = ComponentEndpointView;
type ServiceEndpointEntity = ServiceEndpointView;
/** A hardware location of the SMD view (a position with inventory data) keyed by its position's id. */
type HardwareEntity = HardwareLocationView & { id: string; createdAt: Date; updatedAt: Date };

/** The inventory entity each kind shows. */
export interface FabricaEntities {
  Component: ComponentEntity;
  ComponentEndpoint: ComponentEndpointEntity;
  EthernetInterface: EthernetInterfaceEntity;
  Group: GroupEntity;
  Hardware: HardwareEntity;
  RedfishEndpoint: RedfishEndpointEntity;
  ServiceEndpoint: ServiceEndpointEntity;
}

/** The service input each kind's spec is converted to. */
export interface FabricaInputs {
  Component: ComponentInput;
  ComponentEndpoint: ComponentEndpointInput;
  EthernetInterface: EthernetInterfaceInput;
  Group: GroupInput;
  Hardware: HardwareLocationInput;
  RedfishEndpoint: RedfishEndpointInput;
  ServiceEndpoint: ServiceEndpointInput;
}

export interface FabricaItem<K extends FabricaKind = FabricaKind> {
  kind: K;
  meta: FabricaMeta;
  entity: FabricaEntities[K];
  /** The inventory-service natural key (`id`): xname, MAC id, label or "<RedfishType>-<endpoint>". */
  naturalKey: string;
  createdAt: Date;
  updatedAt: Date;
}

/** What a client asks for besides the spec: name, labels and annotations (merged, never removed). */
export interface FabricaMetaInput {
  name?: string | null;
  labels?: StringMap;
  annotations?: StringMap;
}

export interface FabricaReplacement<K extends FabricaKind> extends FabricaMetaInput {
  /** The whole new spec as a service input; undefined leaves the entity as it is. */
  input?: FabricaInputs[K];
}

interface KindDefinition<K extends FabricaKind> {
  /** Live entities, in natural-key order. */
  list(db: Db | Tx): Promise<Array<FabricaEntities[K]>>;
  /** The live entity with this id, or null. */
  byId(db: Db | Tx, id: string): Promise<FabricaEntities[K] | null>;
  naturalKey(entity: FabricaEntities[K]): string;
  stamps(entity: FabricaEntities[K]): { createdAt: Date; updatedAt: Date };
  create(tx: Tx, input: FabricaInputs[K]): Promise<WriteResult<{ id: string }>>;
  /** Replaces the spec; refuses a change of the natural key. */
  replace(tx: Tx, entity: FabricaEntities[K], input: FabricaInputs[K]): Promise<WriteResult<unknown>>;
  remove(tx: Tx, entity: FabricaEntities[K]): Promise<WriteResult<unknown>>;
}

/** Refuses an input that would change the resource's natural key. */
function keepKey(given: unknown, current: string, field: string, normalize: (value: string) => string | undefined = (v) => v.trim()) {
  if (given === undefined || given === null || given === '') return;
  const next = typeof given === 'string' ? normalize(given) : undefined;
  if (next !== current) {
    throw new ValidationError(
      field,
      `is the resource's identity and cannot be changed from ${JSON.stringify(current)} to ${JSON.stringify(given)}: delete the resource and create another`,
    );
  }
}

const notDeleted = { deletedAt: null } as const;
const byStamps = (row: { createdAt: Date; updatedAt: Date }) => ({ createdAt: row.createdAt, updatedAt: row.updatedAt });
const later = (...dates: Array<Date | null | undefined>) => new Date(Math.max(...dates.map((d) => d?.getTime() ?? 0)));

const componentKind: KindDefinition<'Component'> = {
  list: (db) => db.component.findMany({ where: notDeleted, orderBy: [{ xname: 'asc' }] }),
  byId: (db, id) => db.component.findFirst({ where: { id, ...notDeleted } }),
  naturalKey: (row) => row.xname,
  stamps: byStamps,
  create: createComponentIn,
  replace(tx, row, input) {
    keepKey(input.xname, row.xname, 'xname', normalizeXname);
    const { xname: _key, ...fields } = input;
    return updateComponentIn(tx, row.xname, fields);
  },
  remove: (tx, row) => deleteComponentIn(tx, row.xname),
};

const ethernetInterfaceKind: KindDefinition<'EthernetInterface'> = {
  list: async (db) => {
    const views = await listEthernetInterfaces(db);
    const created = await db.interface.findMany({ where: ETHERNET_VIEW_WHERE, select: { id: true, createdAt: true } });
    const createdOf = new Map(created.map((row) => [row.id, row.createdAt]));
    return views.map((view) => ({ ...view, createdAt: createdOf.get(view.id) ?? view.updatedAt }));
  },
  byId: async (db, id) => {
    const row = await db.interface.findFirst({ where: { id, ...ETHERNET_VIEW_WHERE }, select: { macAddress: true, createdAt: true } });
    const view = row?.macAddress ? await findEthernetInterface(db, row.macAddress) : undefined;
    return view ? { ...view, createdAt: row?.createdAt ?? view.updatedAt } : null;
  },
  naturalKey: (row) => row.macAddress.replace(/:/g, ''),
  stamps: (row) => ({ createdAt: row.createdAt, updatedAt: row.updatedAt }),
  async create(tx, input) {
    const { result, changes } = await writeEthernetInterfacesIn(tx, [input], 'create', '');
    return { result: result[0], changes };
  },
  replace(tx, row, input) {
    keepKey(input.macAddress, row.macAddress, 'macAddress', normalizeMac);
    return writeEthernetInterfacesIn(tx, [{ ...input, macAddress: row.macAddress }], 'replace', '');
  },
  remove: (tx, row) => deleteInterfaceIn(tx, row.id),
};

async function withMembers(db: Db | Tx, groups: Array<Prisma.GroupGetPayload<object>>): Promise<GroupEntity[]> {
  if (groups.length === 0) return [];
  const rows = await db.groupMember.findMany({
    where: { groupId: { in: groups.map((g) => g.id) }, live: true, component: notDeleted },
    select: { groupId: true, component: { select: { xname: true } } },
  });
  const byGroup = new Map<string, string[]>();
  for (const row of rows) {
    if (!row.component) continue;
    const list = byGroup.get(row.groupId) ?? [];
    list.push(row.component.xname);
    byGroup.set(row.groupId, list);
  }
  return groups.map((group) => ({ ...group, members: (byGroup.get(group.id) ?? []).sort() }));
}

const groupKind: KindDefinition<'Group'> = {
  list: async (db) => withMembers(db, await db.group.findMany({ where: { ...notDeleted, kind: 'group' }, orderBy: [{ name: 'asc' }] })),
  byId: async (db, id) => {
    const group = await db.group.findFirst({ where: { id, ...notDeleted, kind: 'group' } });
    return group ? (await withMembers(db, [group]))[0] : null;
  },
  naturalKey: (row) => row.name,
  stamps: byStamps,
  create: (tx, input) => createGroupIn(tx, { ...input, kind: 'group' }),
  async replace(tx, row, input) {
    keepKey(input.name, row.name, 'name', (v) => v.trim().toLowerCase());
    const key = { kind: 'group', name: row.name };
    const fields = await updateGroupIn(tx, key, { description: input.description, exclusiveGroup: input.exclusiveGroup, tags: input.tags });
    const members = input.members === undefined ? undefined : await setGroupMembersIn(tx, key, input.members ?? []);
    return { result: members?.result ?? fields.result, changes: [...fields.changes, ...(members?.changes ?? [])] };
  },
  remove: (tx, row) => deleteGroupIn(tx, { kind: 'group', name: row.name }),
};

const redfishEndpointKind: KindDefinition<'RedfishEndpoint'> = {
  list: (db) => listRedfishEndpoints(db),
  byId: (db, id) => db.redfishEndpoint.findFirst({ where: { id, ...notDeleted }, omit: WITHOUT_PASSWORD }),
  naturalKey: (row) => row.xname,
  stamps: byStamps,
  async create(tx, input) {
    const { result, changes } = await createRedfishEndpointsIn(tx, [input]);
    return { result: result[0], changes };
  },
  replace(tx, row, input) {
    keepKey(input.xname, row.xname, 'xname', normalizeXname);
    return replaceRedfishEndpointIn(tx, { ...input, xname: row.xname });
  },
  remove: (tx, row) => deleteRedfishEndpointIn(tx, row.xname),
};

const componentEndpointKind: KindDefinition<'ComponentEndpoint'> = {
  list: (db) => listComponentEndpoints(db),
  byId: async (db, id) => {
    const row = await db.componentEndpoint.findFirst({ where: { id, ...notDeleted }, select: { xname: true } });
    return (row && (await findComponentEndpoint(db, row.xname))) ?? null;
  },
  naturalKey: (row) => row.xname,
  stamps: byStamps,
  create: createComponentEndpointIn,
  replace(tx, row, input) {
    keepKey(input.xname, row.xname, 'xname', normalizeXname);
    return replaceComponentEndpointIn(tx, { ...input, xname: row.xname });
  },
  remove: (tx, row) => deleteComponentEndpointIn(tx, row.xname),
};

const serviceEndpointKind: KindDefinition<'ServiceEndpoint'> = {
  list: (db) => listServiceEndpoints(db),
  byId: async (db, id) => {
    const row = await db.serviceEndpoint.findFirst({
      where: { id, ...notDeleted },
      select: { redfishType: true, redfishEndpoint: { select: { xname: true } } },
    });
    return (row && (await findServiceEndpoint(db, row.redfishType, row.redfishEndpoint.xname))) ?? null;
  },
  naturalKey: (row) => `${row.redfishType}-${row.redfishEndpoint.xname}`,
  stamps: byStamps,
  create: createServiceEndpointIn,
  replace(tx, row, input) {
    keepKey(input.redfishEndpointXname, row.redfishEndpoint.xname, 'redfishEndpointXname', normalizeXname);
    keepKey(input.redfishType, row.redfishType, 'redfishType');
    return replaceServiceEndpointIn(tx, { ...input, redfishEndpointXname: row.redfishEndpoint.xname, redfishType: row.redfishType });
  },
  remove: (tx, row) => deleteServiceEndpointIn(tx, row.redfishEndpoint.xname, row.redfishType),
};

/** The hardware locations with their positions' ids and timestamps. */
async function hardwareEntities(db: Db | Tx, xnames?: string[]): Promise<HardwareEntity[]> {
  const locations = await listHardwareLocations(db, xnames ? { xnames } : {});
  if (locations.length === 0) return [];
  const ids = locations.map((l) => l.componentId);
  const stamps = await db.component.findMany({
    where: ids.length <= CHUNK ? { id: { in: ids } } : notDeleted,
    select: { id: true, createdAt: true, updatedAt: true },
  });
  const stampOf = new Map(stamps.map((row) => [row.id, row]));
  return locations.flatMap((l) => {
    const stamp = stampOf.get(l.componentId);
    return stamp ? [{ ...l, id: l.componentId, createdAt: stamp.createdAt, updatedAt: stamp.updatedAt }] : [];
  });
}

const hardwareKind: KindDefinition<'Hardware'> = {
  list: (db) => hardwareEntities(db),
  byId: async (db, id) => {
    const row = await db.component.findFirst({ where: { id, ...notDeleted }, select: { xname: true } });
    return (row && (await hardwareEntities(db, [row.xname]))[0]) ?? null;
  },
  naturalKey: (row) => row.xname,
  stamps: byStamps,
  async create(tx, input) {
    const [taken] = await listHardwareLocations(tx, { xnames: [input.xname] });
    if (taken) throw new ConflictError('xname', `hardware inventory at ${input.xname} already exists`);
    const { changes } = await loadHardwareLocationsIn(tx, [input]);
    const component = await tx.component.findFirstOrThrow({ where: { xname: input.xname, ...notDeleted }, select: { id: true } });
    return { result: component, changes };
  },
  replace(tx, row, input) {
    keepKey(input.xname, row.xname, 'xname', normalizeXname);
    return loadHardwareLocationsIn(tx, [{ ...input, xname: row.xname }]);
  },
  remove: (tx, row) => deleteHardwareLocationsIn(tx, row.xname),
};

const KINDS: { [K in FabricaKind]: KindDefinition<K> } = {
  Component: componentKind,
  ComponentEndpoint: componentEndpointKind,
  EthernetInterface: ethernetInterfaceKind,
  Group: groupKind,
  Hardware: hardwareKind,
  RedfishEndpoint: redfishEndpointKind,
  ServiceEndpoint: serviceEndpointKind,
};

// ---------------------------------------------------------------------------------------
// Metadata rows

type MetaRow = Prisma.FabricaResourceGetPayload<object>;

function stringMap(value: unknown): StringMap {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return {};
  return Object.fromEntries(Object.entries(value).filter(([, v]) => typeof v === 'string')) as StringMap;
}

function statusOf(value: unknown): FabricaStatus {
  const raw = (value && typeof value === 'object' && !Array.isArray(value) ? value : {}) as Record<string, unknown>;
  const status: FabricaStatus = { ready: raw.ready === true };
  if (typeof raw.phase === 'string' && raw.phase !== '') status.phase = raw.phase;
  if (typeof raw.message === 'string' && raw.message !== '') status.message = raw.message;
  return { ...(status.phase ? { phase: status.phase } : {}), ...(status.message ? { message: status.message } : {}), ready: status.ready };
}

function metaOf(row: MetaRow): FabricaMeta {
  return {
    uid: row.uid,
    kind: row.kind as FabricaKind,
    entityId: row.entityId,
    name: row.name,
    labels: stringMap(row.labels),
    annotations: stringMap(row.annotations),
    status: statusOf(row.status),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

function itemOf<K extends FabricaKind>(kind: K, entity: FabricaEntities[K], meta: FabricaMeta): FabricaItem<K> {
  const def = KINDS[kind] as KindDefinition<K>;
  const stamps = def.stamps(entity);
  return {
    kind,
    meta,
    entity,
    naturalKey: def.naturalKey(entity),
    createdAt: stamps.createdAt,
    updatedAt: later(stamps.updatedAt, meta.updatedAt),
  };
}

const MAX_LABEL_KEY = 253;
const MAX_LABEL_VALUE = 63;
const MAX_ANNOTATION_VALUE = 64 * 1024;

/** Labels or annotations: an object of strings; label keys ≤ 253 and values ≤ 63 characters. */
export function checkStringMap(value: unknown, field: 'labels' | 'annotations'): StringMap | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw new ValidationError(field, 'must be an object of strings');
  const maxValue = field === 'labels' ? MAX_LABEL_VALUE : MAX_ANNOTATION_VALUE;
  for (const [key, entry] of Object.entries(value)) {
    if (key === '' || key.length > MAX_LABEL_KEY)
      throw new ValidationError(`${field}.${key}`, `keys must have 1 to ${MAX_LABEL_KEY} characters`);
    if (typeof entry !== 'string') throw new ValidationError(`${field}.${key}`, 'must be a string');
    if (entry.length > maxValue) throw new ValidationError(`${field}.${key}`, `must be at most ${maxValue} characters`);
  }
  return value as StringMap;
}

function checkName(value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new ValidationError('metadata.name', 'must be a string');
  if (value.length > 253) throw new ValidationError('metadata.name', 'must be at most 253 characters');
  return value;
}

/** A status as Fabrica keeps it: phase and message strings, ready a boolean; other keys dropped. */
export function checkStatus(value: unknown): FabricaStatus {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new ValidationError('status', 'must be a JSON object');
  const raw = value as Record<string, unknown>;
  for (const key of ['phase', 'message'] as const) {
    if (raw[key] !== undefined && raw[key] !== null && typeof raw[key] !== 'string')
      throw new ValidationError(`status.${key}`, 'must be a string');
  }
  if (raw.ready !== undefined && raw.ready !== null && typeof raw.ready !== 'boolean')
    throw new ValidationError('status.ready', 'must be true or false');
  return statusOf(raw);
}

const CHUNK = 500;

/**
 * The metadata of each entity, minting uids for those that have none (first projection).
 * Minted rows are written in one transaction; when a concurrent reader minted some of the
 * same entities first (or a uid collided), this one reads again instead of failing.
 */
async function metasFor<K extends FabricaKind>(db: Db, kind: K, entities: Array<FabricaEntities[K]>): Promise<Map<string, FabricaMeta>> {
  const def = KINDS[kind] as KindDefinition<K>;
  for (let attempt = 0; ; attempt++) {
    const existing = await db.fabricaResource.findMany({ where: { kind } });
    const byEntity = new Map(existing.map((row) => [row.entityId, metaOf(row)]));
    const missing = entities.filter((e) => !byEntity.has(e.id));
    if (missing.length === 0) return byEntity;
    const taken = new Set(existing.map((row) => row.uid));
    const rows = missing.map((entity) => {
      let uid = mintUid(kind);
      while (taken.has(uid)) uid = mintUid(kind);
      taken.add(uid);
      return { uid, kind, entityId: entity.id, name: def.naturalKey(entity), labels: {}, annotations: {}, status: { ready: false } };
    });
    try {
      await db.$transaction(async (tx) => {
        for (let i = 0; i < rows.length; i += CHUNK) await tx.fabricaResource.createMany({ data: rows.slice(i, i + CHUNK) });
      });
    } catch (error) {
      if ((error as { code?: string }).code !== 'P2002' || attempt >= 3) throw translateDatabaseError(error);
    }
  }
}

/** A uid no resource has yet (checked in the caller's transaction). */
async function freshUid(tx: Tx, kind: FabricaKind): Promise<string> {
  for (;;) {
    const uid = mintUid(kind);
    if (!(await tx.fabricaResource.findUnique({ where: { uid }, select: { uid: true } }))) return uid;
  }
}

async function loadItem<K extends FabricaKind>(db: Db | Tx, kind: K, uid: string): Promise<FabricaItem<K>> {
  const row = await db.fabricaResource.findUnique({ where: { uid } });
  const entity = row && row.kind === kind ? await (KINDS[kind] as KindDefinition<K>).byId(db, row.entityId) : null;
  if (!row || !entity) throw new NotFoundError(kind, uid, 'uid');
  return itemOf(kind, entity, metaOf(row));
}

function metaChange(action: 'created' | 'updated', before: MetaRow | null, after: MetaRow): Change {
  return { entityType: 'FabricaResource', entityId: after.uid, action, before: before ?? undefined, after };
}

// ---------------------------------------------------------------------------------------
// The service API

/** Every live resource of a kind, uids minted for those shown for the first time. */
export async function listFabricaResources<K extends FabricaKind>(ctx: ServiceContext, kind: K): Promise<Array<FabricaItem<K>>> {
  const entities = await (KINDS[kind] as KindDefinition<K>).list(ctx.db);
  const metas = await metasFor(ctx.db, kind, entities);
  return entities.map((entity) => itemOf(kind, entity, metas.get((entity as { id: string }).id) as FabricaMeta));
}

/** One live resource by uid; NOT_FOUND when there is none of this kind or its entity is gone. */
export function getFabricaResource<K extends FabricaKind>(ctx: ServiceContext, kind: K, uid: string): Promise<FabricaItem<K>> {
  return loadItem(ctx.db, kind, uid);
}

/** Creates the entity through its service and its metadata, in one transaction. */
export async function createFabricaResource<K extends FabricaKind>(
  ctx: ServiceContext,
  kind: K,
  input: FabricaInputs[K],
  meta: FabricaMetaInput = {},
): Promise<FabricaItem<K>> {
  const name = checkName(meta.name);
  const labels = checkStringMap(meta.labels, 'labels') ?? {};
  const annotations = checkStringMap(meta.annotations, 'annotations') ?? {};
  const def = KINDS[kind] as KindDefinition<K>;
  return write(ctx, async (tx) => {
    const created = await def.create(tx, input);
    const entity = await def.byId(tx, created.result.id);
    if (!entity) throw new NotFoundError(kind, created.result.id);
    // A new entity has no metadata yet; a Hardware position may have had some before.
    const before = await tx.fabricaResource.findUnique({ where: { kind_entityId: { kind, entityId: entity.id } } });
    const data = {
      name: name ?? def.naturalKey(entity),
      labels: { ...stringMap(before?.labels), ...labels },
      annotations: { ...stringMap(before?.annotations), ...annotations },
    };
    const after = before
      ? await tx.fabricaResource.update({ where: { uid: before.uid }, data })
      : await tx.fabricaResource.create({
          data: { ...data, uid: await freshUid(tx, kind), kind, entityId: entity.id, status: { ready: false } },
        });
    return {
      result: itemOf(kind, entity, metaOf(after)),
      changes: [...created.changes, metaChange(before ? 'updated' : 'created', before, after)],
    };
  });
}

/**
 * PUT and PATCH: `change` receives the current resource inside the transaction and answers
 * the replacement spec (as a service input) and metadata. The spec is replaced through the
 * entity's service, a non-empty name renames, labels and annotations are merged. The uid
 * never changes.
 */
export async function updateFabricaResource<K extends FabricaKind>(
  ctx: ServiceContext,
  kind: K,
  uid: string,
  change: (current: FabricaItem<K>) => FabricaReplacement<K>,
): Promise<FabricaItem<K>> {
  const def = KINDS[kind] as KindDefinition<K>;
  return write(ctx, async (tx) => {
    const current = await loadItem(tx, kind, uid);
    const replacement = change(current);
    const name = checkName(replacement.name);
    const labels = checkStringMap(replacement.labels, 'labels');
    const annotations = checkStringMap(replacement.annotations, 'annotations');
    const changes: Change[] = [];
    if (replacement.input !== undefined) changes.push(...(await def.replace(tx, current.entity, replacement.input)).changes);
    const before = await tx.fabricaResource.findUniqueOrThrow({ where: { uid } });
    const after = await tx.fabricaResource.update({
      where: { uid },
      data: {
        ...(name ? { name } : {}),
        labels: { ...current.meta.labels, ...labels },
        annotations: { ...current.meta.annotations, ...annotations },
      },
    });
    if (name || labels || annotations) changes.push(metaChange('updated', before, after));
    return { result: await loadItem(tx, kind, uid), changes };
  });
}

/** PUT and PATCH of /status: `change` answers the new status from the current resource. */
export async function setFabricaStatus<K extends FabricaKind>(
  ctx: ServiceContext,
  kind: K,
  uid: string,
  change: (current: FabricaItem<K>) => unknown,
): Promise<FabricaItem<K>> {
  return write(ctx, async (tx) => {
    const current = await loadItem(tx, kind, uid);
    const status = checkStatus(change(current));
    const before = await tx.fabricaResource.findUniqueOrThrow({ where: { uid } });
    const after = await tx.fabricaResource.update({ where: { uid }, data: { status: { ...status } } });
    return { result: await loadItem(tx, kind, uid), changes: [metaChange('updated', before, after)] };
  });
}

/**
 * Deletes the entity through its service (a soft delete: the API sees it gone). The metadata
 * row stays, so an entity restored later keeps its uid.
 */
export async function deleteFabricaResource<K extends FabricaKind>(ctx: ServiceContext, kind: K, uid: string): Promise<FabricaItem<K>> {
  const def = KINDS[kind] as KindDefinition<K>;
  return write(ctx, async (tx) => {
    const current = await loadItem(tx, kind, uid);
    const removed = await def.remove(tx, current.entity);
    return { result: current, changes: removed.changes };
  });
}

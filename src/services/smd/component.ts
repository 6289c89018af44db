// Components: xname positions with their SMD state. One or many are created or updated in
// one transaction, all or nothing; soft delete ends installations and suspends memberships.

import { createManyReturning } from '../../db/bulk-insert.js';
import { updateRowsById } from '../../db/bulk-update.js';
import type { Prisma, Tx } from '../../db/client.js';
import { findManyIn } from '../../db/where-in.js';
import { ConflictError, InventoryError, ValidationError } from '../../domain/errors.js';
import { groupBy } from '../../domain/group-by.js';
import { componentRoles, componentSubRoles } from '../../domain/site-roles.js';
import { requireXname } from '../../domain/smd-names.js';
import {
  defined,
  fieldPath,
  oneOf,
  optionalBoolean,
  optionalInt,
  optionalOneOf,
  optionalText,
  refuseRepeats,
  requireItems,
  requireObject,
  requireSomeChange,
} from '../../domain/validate.js';
import { ARCHES, CLASSES, COMPONENT_FLAGS, COMPONENT_STATES, NET_TYPES } from '../../domain/vocabulary.js';
import { normalizeXname } from '../../domain/xname.js';
import type { Change } from '../core/change-log.js';
import type { ServiceContext } from '../core/context.js';
import { findAny, findLiveByXname, restored, softDeleted } from '../core/lookup.js';
import { type WriteResult, write } from '../core/transaction.js';
import { reviveMemberships } from './group.js';
import { installDevicesIn } from './installation-bulk.js';
import { MAX_NID, nidNumber, withNumberNid } from './nid.js';

/** The SMD fields of a component; its Type is always derived from the xname. */
export interface ComponentFields {
  state?: string;
  flag?: string;
  enabled?: boolean;
  softwareStatus?: string | null;
  role?: string | null;
  subRole?: string | null;
  nid?: number | null;
  subtype?: string | null;
  netType?: string | null;
  arch?: string | null;
  class?: string | null;
  locked?: boolean;
  reservationDisabled?: boolean;
}

export interface ComponentInput extends ComponentFields {
  xname: string;
}

export interface UpdateOptions {
  /** SMD bulk PATCH semantics: xnames with no live component are skipped instead of refused. */
  skipMissing?: boolean;
}

type StoredComponent = Prisma.ComponentGetPayload<object>;
/** A component as the services answer it: its BIGINT NID read back as a number. */
export type ComponentRow = Omit<StoredComponent, 'nid'> & { nid: number | null };
const rowOf = (row: StoredComponent): ComponentRow => withNumberNid(row);
type ComponentData = ReturnType<typeof checkFields>;

export interface CheckedItem {
  path: string | undefined;
  xname: string;
  type: string;
  data: ComponentData;
}

/** A checked item and the live component it names. */
export type Target = CheckedItem & { id: string; before: ComponentRow };

const ENTITY = 'Component';

/** "" means unset for SMD's optional enumerations. */
function optionalEnum<T extends string>(value: unknown, allowed: readonly T[], field: string) {
  return value === '' ? null : optionalOneOf(value, allowed, field);
}

/** A Flag in its canonical spelling; SMD also accepts "warn" for Warning. */
function checkFlag(value: unknown, field: string) {
  return oneOf(typeof value === 'string' && /^\s*warn\s*$/i.test(value) ? 'Warning' : value, COMPONENT_FLAGS, field);
}

function checkFields(input: ComponentFields, path?: string) {
  const at = (name: string) => fieldPath(path, name);
  return defined({
    state: input.state === undefined ? undefined : oneOf(input.state, COMPONENT_STATES, at('state')),
    flag: input.flag === undefined ? undefined : checkFlag(input.flag, at('flag')),
    enabled: optionalBoolean(input.enabled, at('enabled')),
    softwareStatus: optionalText(input.softwareStatus, at('softwareStatus')),
    role: optionalEnum(input.role, componentRoles(), at('role')),
    subRole: optionalEnum(input.subRole, componentSubRoles(), at('subRole')),
    nid: optionalInt(input.nid, at('nid'), 0, MAX_NID),
    subtype: optionalText(input.subtype, at('subtype'), 64),
    netType: optionalEnum(input.netType, NET_TYPES, at('netType')),
    arch: optionalEnum(input.arch, ARCHES, at('arch')),
    class: optionalEnum(input.class, CLASSES, at('class')),
    locked: optionalBoolean(input.locked, at('locked')),
    reservationDisabled: optionalBoolean(input.reservationDisabled, at('reservationDisabled')),
  });
}

export function checkItem(input: ComponentInput, path?: string): CheckedItem {
  requireObject(input, path ?? 'input');
  const { xname, type } = requireXname(input.xname, fieldPath(path, 'xname'));
  return { path, xname, type, data: checkFields(input, path) };
}

function checkList(inputs: ComponentInput[], listField: string): CheckedItem[] {
  const items = requireItems(inputs, listField).map((input, i) => checkItem(input, `${listField}.${i}`));
  refuseRepeats(
    items,
    (item) => item.xname,
    (item) => fieldPath(item.path, 'xname'),
  );
  refuseRepeats(
    items,
    (item) => item.data.nid,
    (item) => fieldPath(item.path, 'nid'),
  );
  return items;
}

/**
 * Refuses NIDs held by other live components. `moving` are the batch's components whose
 * NID changes in this write: their current NIDs are free for others in the batch.
 */
async function refuseTakenNids(tx: Tx, items: Array<CheckedItem & { id?: string }>, moving: Set<string>) {
  const wanted = items.filter((item) => item.data.nid != null);
  if (wanted.length === 0) return;
  const holders = await tx.component.findMany({
    where: { deletedAt: null, nid: { in: wanted.map((item) => item.data.nid as number) } },
    select: { id: true, xname: true, nid: true },
  });
  for (const item of wanted) {
    const holder = holders.find((h) => nidNumber(h.nid) === item.data.nid && h.id !== item.id && !moving.has(h.id));
    if (holder) throw new ConflictError(fieldPath(item.path, 'nid'), `NID ${item.data.nid} is already used by component ${holder.xname}`);
  }
}

async function refuseTakenXnames(tx: Tx, items: CheckedItem[]) {
  const xnames = items.map((i) => i.xname);
  const taken = await findManyIn(tx, 'Component', 'xname', xnames, { select: ['xname'], live: true });
  if (taken.length === 0) return;
  const item = items.find((i) => i.xname === taken[0].xname) as CheckedItem;
  throw new ConflictError(fieldPath(item.path, 'xname'), `a live component ${item.xname} already exists`);
}

function inItemOrder<T extends { xname: string }>(rows: T[], items: Array<{ xname: string }>): T[] {
  const byXname = new Map(rows.map((row) => [row.xname, row]));
  return items.flatMap((item) => byXname.get(item.xname) ?? []);
}

/** Inserts the items in the caller's transaction, refusing xnames and NIDs already live. */
export async function insertIn(tx: Tx, items: CheckedItem[]): Promise<WriteResult<ComponentRow[]>> {
  if (items.length === 0) return { result: [], changes: [] };
  await refuseTakenXnames(tx, items);
  await refuseTakenNids(tx, items, new Set());
  const rows = (
    await createManyReturning<StoredComponent>(
      tx,
      'Component',
      items.map((item) => ({ ...item.data, xname: item.xname, type: item.type })),
    )
  ).map(rowOf);
  const ordered = inItemOrder(rows, items);
  return {
    result: ordered,
    changes: ordered.map((row): Change => ({ entityType: ENTITY, entityId: row.id, action: 'created', after: row })),
  };
}

/** The live components the items name; a missing one is NOT_FOUND unless skipped. */
export async function findTargets(tx: Tx, items: CheckedItem[], skipMissing = false): Promise<Target[]> {
  const xnames = items.map((i) => i.xname);
  const befores = (await findManyIn(tx, 'Component', 'xname', xnames, { live: true })).map(rowOf);
  const beforeOf = new Map(befores.map((row) => [row.xname, row]));
  const missing = items.find((item) => !beforeOf.has(item.xname));
  if (missing && !skipMissing) await findLiveByXname(tx, 'component', missing.xname, fieldPath(missing.path, 'xname'));
  return items.flatMap((item) => {
    const before = beforeOf.get(item.xname);
    return before ? [{ ...item, id: before.id, before }] : [];
  });
}

/**
 * The targets split by how they are written: a patch the same for many goes as one updateMany
 * (SMD's bulk state and flag changes); the rest, each with values of its own (an import's NIDs
 * and roles), through updateRowsById.
 */
function byPatch(items: Target[]): { same: Array<{ patch: ComponentData; ids: string[] }>; own: Target[] } {
  const groups = groupBy(items, (item) => JSON.stringify(item.data));
  const many = [...groups.values()].filter((group) => group.length > 1);
  return {
    same: many.map((group) => ({ patch: group[0].data, ids: group.map((item) => item.id) })),
    own: [...groups.values()].filter((group) => group.length === 1).map(([item]) => item),
  };
}

/** The fields of a patch that differ from the stored row. */
function changedFields(before: ComponentRow, data: ComponentData): ComponentData {
  return Object.fromEntries(
    Object.entries(data).filter(([field, value]) => before[field as keyof ComponentRow] !== value),
  ) as ComponentData;
}

/**
 * Writes each target's patch in the caller's transaction. Only fields that differ are
 * written: a target that already has them all is answered as it is, with no new revision
 * and no event (a no-op write leaves no trace).
 */
export async function patchIn(tx: Tx, all: Target[]): Promise<WriteResult<ComponentRow[]>> {
  const targets = all
    .map((item) => ({ ...item, data: changedFields(item.before, item.data) }))
    .filter((item) => Object.keys(item.data).length);
  if (targets.length === 0) return { result: all.map((item) => item.before), changes: [] };
  const moving = targets.filter((item) => item.data.nid !== undefined && item.data.nid !== item.before.nid);
  await refuseTakenNids(tx, moving, new Set(moving.map((item) => item.id)));
  // NIDs may be swapped within the batch: free the old ones before any is reassigned.
  if (moving.length > 1) await tx.component.updateMany({ where: { id: { in: moving.map((item) => item.id) } }, data: { nid: null } });
  const { same, own } = byPatch(targets);
  for (const { patch, ids } of same)
    await tx.component.updateMany({ where: { id: { in: ids } }, data: { ...patch, revision: { increment: 1 } } });
  const updates = own.map((item) => ({ id: item.id, revision: item.before.revision, data: item.data }));
  if ((await updateRowsById(tx, 'Component', updates)) !== updates.length)
    throw new ConflictError(fieldPath(own[0].path, 'xname'), 'a component changed after it was read: reload and retry');
  const targetIds = targets.map((item) => item.id);
  const afters = inItemOrder((await findManyIn(tx, 'Component', 'id', targetIds)).map(rowOf), targets);
  const beforeOf = new Map(targets.map((item) => [item.id, item.before]));
  const afterOf = new Map(afters.map((row) => [row.id, row]));
  return {
    result: all.map((item) => afterOf.get(item.id) ?? item.before),
    changes: afters.map(
      (after): Change => ({ entityType: ENTITY, entityId: after.id, action: 'updated', before: beforeOf.get(after.id), after }),
    ),
  };
}

export async function createComponent(ctx: ServiceContext, input: ComponentInput): Promise<ComponentRow> {
  const [row] = await write(ctx, (tx) => insertIn(tx, [checkItem(input)]));
  return row;
}

/** createComponent in the caller's transaction (for writes that span several services). */
export async function createComponentIn(tx: Tx, input: ComponentInput): Promise<WriteResult<ComponentRow>> {
  const { result, changes } = await insertIn(tx, [checkItem(input)]);
  return { result: result[0], changes };
}

/** updateComponent in the caller's transaction: the fields given change, null clears. */
export async function updateComponentIn(tx: Tx, xname: string, fields: ComponentFields): Promise<WriteResult<ComponentRow>> {
  const item = checkItem({ ...fields, xname });
  requireSomeChange(item.data, item.path);
  const { result, changes } = await patchIn(tx, await findTargets(tx, [item]));
  return { result: result[0], changes };
}

/** Creates every component or none; errors name the item (`components.3.state`). */
export async function createComponents(ctx: ServiceContext, inputs: ComponentInput[], listField = 'components'): Promise<ComponentRow[]> {
  const items = checkList(inputs, listField);
  return write(ctx, (tx) => insertIn(tx, items));
}

function applyUpdates(ctx: ServiceContext, items: CheckedItem[], options: UpdateOptions) {
  for (const item of items) requireSomeChange(item.data, item.path);
  return write(ctx, async (tx) => patchIn(tx, await findTargets(tx, items, options.skipMissing)));
}

/** Changes only the fields given; null clears an optional field. */
export async function updateComponent(ctx: ServiceContext, xname: string, fields: ComponentFields): Promise<ComponentRow> {
  const [row] = await applyUpdates(ctx, [checkItem({ ...fields, xname })], {});
  return row;
}

/** Each item names an xname and its own changes; every update is written or none. */
export async function updateComponents(
  ctx: ServiceContext,
  items: ComponentInput[],
  options: UpdateOptions = {},
  listField = 'components',
): Promise<ComponentRow[]> {
  return applyUpdates(ctx, checkList(items, listField), options);
}

/**
 * SMD POST/PUT /State/Components: State is required; new components are created; existing
 * ones are left as they are unless `force`, which overwrites State, Flag (default OK), Subtype,
 * NetType, Arch and Class, never Role, NID, Enabled or SoftwareStatus. All or nothing.
 */
export async function upsertComponents(
  ctx: ServiceContext,
  inputs: ComponentInput[],
  options: { force?: boolean } = {},
  listField = 'components',
) {
  const items = checkUpsertList(inputs, listField);
  return write(ctx, (tx) => upsertIn(tx, items, options.force ?? false));
}

function checkUpsertList(inputs: ComponentInput[], listField: string): CheckedItem[] {
  const items = checkList(inputs, listField);
  for (const item of items) if (item.data.state === undefined) throw new ValidationError(fieldPath(item.path, 'state'), 'is required');
  return items;
}

async function upsertIn(
  tx: Tx,
  items: CheckedItem[],
  force: boolean,
): Promise<WriteResult<{ created: ComponentRow[]; updated: ComponentRow[] }>> {
  const existing = await findTargets(tx, items, true);
  const known = new Set(existing.map((target) => target.xname));
  const created = await insertIn(
    tx,
    items.filter((item) => !known.has(item.xname)),
  );
  const forced = force ? existing.map((target) => ({ ...target, data: forcedFields(target.data) })) : [];
  const updated = await patchIn(tx, forced);
  return { result: { created: created.result, updated: updated.result }, changes: [...created.changes, ...updated.changes] };
}

const NODE_TYPES = new Set(['Node', 'VirtualNode']);

/**
 * SMD's fallback NID for a node without one (GetBogusNID):
 * (cabinet+1)·16384 + chassis·2048 + slot·32 + bmc·4 + node; a VirtualNode counts its v index
 * as the node. x0c0s0b0n0 → 16384, x1000c0s0b0n0 → 16400384.
 */
export function defaultNid(xname: string): number {
  const [cab, chassis, slot, bmc, node, virtual] = (xname.match(/\d+/g) ?? []).map(Number);
  return (cab + 1) * 16384 + chassis * 2048 + slot * 32 + bmc * 4 + (virtual ?? node);
}

/**
 * SMD POST and PUT /State/Components (the REST layer's decoding aside):
 * - a repeated xname counts once (the first), as SMD drops repeats;
 * - a Node or VirtualNode given without Role, NID or Class gets SMD's defaults for what it lacks
 *   (GetCompDefaults, without SLS): its Defaults/NodeMaps entry's NID, Role and SubRole, else NID
 *   defaultNid() and Role Compute; an explicit null NID means "no NID" and is kept;
 * - then upsertComponents' rules (State required; existing components untouched unless force).
 * NIDs are unique among live components here (SMD does not enforce it): a default NID held by
 * another component is a conflict. All or nothing.
 */
export async function upsertSmdComponents(
  ctx: ServiceContext,
  inputs: ComponentInput[],
  options: { force?: boolean } = {},
  listField = 'components',
) {
  // Every item is checked, repeats included, before the repeats are dropped (SMD's order).
  for (const [i, input] of requireItems(inputs, listField).entries()) {
    const item = checkItem(input, `${listField}.${i}`);
    if (item.data.state === undefined) throw new ValidationError(fieldPath(item.path, 'state'), 'is required');
  }
  const seen = new Set<string>();
  const unique = inputs.filter((input) => {
    const raw = (input as { xname?: unknown } | null)?.xname;
    if (typeof raw !== 'string') return true;
    const key = normalizeXname(raw);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const items = checkUpsertList(unique, listField);
  return write(ctx, async (tx) => {
    let nodes = items.filter(
      (item) => NODE_TYPES.has(item.type) && (item.data.role == null || item.data.nid === undefined || item.data.class == null),
    );
    if (nodes.length) {
      // Defaults matter only for components created here (existing ones keep Role and NID).
      const live = await tx.component.findMany({
        where: { deletedAt: null, xname: { in: nodes.map((n) => n.xname) } },
        select: { xname: true },
      });
      const existing = new Set(live.map((row) => row.xname));
      nodes = nodes.filter((node) => !existing.has(node.xname));
      const maps = await tx.nodeMap.findMany({ where: { xname: { in: nodes.map((n) => n.xname) } } });
      const mapOf = new Map(maps.map((m) => [m.xname, m]));
      for (const node of nodes) {
        const map = mapOf.get(node.xname);
        const mapRole = map?.role ? map : undefined;
        if (node.data.role == null) node.data.role = (mapRole?.role ?? 'Compute') as ComponentData['role'];
        if (node.data.subRole == null) node.data.subRole = (mapRole?.subRole ?? null) as ComponentData['subRole'];
        if (node.data.nid === undefined) node.data.nid = map ? nidNumber(map.nid) : defaultNid(node.xname);
      }
      refuseRepeats(
        items,
        (item) => item.data.nid,
        (item) => fieldPath(item.path, 'nid'),
      );
    }
    return upsertIn(tx, items, options.force ?? false);
  });
}

/**
 * SMD's bulk PATCH ops FlagOnly, Enabled, SoftwareStatus and Role: the same fields for every
 * xname named (repeats count once). Xnames without a live component, and components that
 * already have the values, are skipped; all or nothing. Answers with the components changed.
 */
export async function setComponentFields(
  ctx: ServiceContext,
  xnames: string[],
  fields: ComponentFields,
  listField = 'xnames',
): Promise<ComponentRow[]> {
  const keys = [...new Set(requireItems(xnames, listField).map((raw, i) => requireXname(raw, `${listField}.${i}`).xname))];
  const data = checkFields(fields);
  requireSomeChange(data);
  return write(ctx, async (tx) => {
    const befores = inItemOrder(
      (await tx.component.findMany({ where: { deletedAt: null, xname: { in: keys } } })).map(rowOf),
      keys.map((xname) => ({ xname })),
    );
    const targets = befores
      .filter((before) => Object.entries(data).some(([field, value]) => before[field as keyof ComponentRow] !== value))
      .map((before) => ({ path: undefined, xname: before.xname, type: before.type, id: before.id, before, data }));
    return patchIn(tx, targets);
  });
}

/**
 * SMD PATCH BulkNID: each item sets its own NID (null unsets it); a repeated xname counts once
 * (the first, as SMD drops repeats); xnames without a live component are skipped. NIDs may be
 * swapped within the request; a NID another component keeps is a conflict. All or nothing.
 */
export async function setComponentNids(
  ctx: ServiceContext,
  items: Array<{ xname: string; nid: number | null }>,
  listField = 'components',
): Promise<ComponentRow[]> {
  const seen = new Set<string>();
  const unique = requireItems(items, listField).filter((item) => {
    const key = typeof item?.xname === 'string' ? normalizeXname(item.xname) : undefined;
    if (key === undefined) return true;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return updateComponents(
    ctx,
    unique.map(({ xname, nid }) => ({ xname, nid })),
    { skipMissing: true },
    listField,
  );
}

/** Soft-deletes every live component (SMD DELETE /State/Components); answers with how many. */
export async function deleteAllComponents(ctx: ServiceContext): Promise<number> {
  return write(ctx, async (tx) => {
    const befores = (await tx.component.findMany({ where: { deletedAt: null } })).map(rowOf);
    if (befores.length === 0) return { result: 0, changes: [] };
    const now = new Date();
    const removals = await closeInstallations(tx, { component: { deletedAt: null } }, now);
    await tx.groupMember.updateMany({ where: { live: true, component: { deletedAt: null } }, data: { live: null } });
    const deleted = { ...softDeleted(), deletedAt: now };
    await tx.component.updateMany({ where: { deletedAt: null }, data: { ...deleted, revision: { increment: 1 } } });
    const changes: Change[] = befores.map((before) => ({
      entityType: ENTITY,
      entityId: before.id,
      action: 'deleted',
      before,
      after: { ...before, ...deleted, revision: before.revision + 1 },
    }));
    return { result: befores.length, changes: [...removals, ...changes] };
  });
}

function forcedFields(data: ComponentData): ComponentData {
  const { state, flag, subtype, netType, arch, class: hmsClass } = data;
  return { state, flag: flag ?? 'OK', subtype: subtype ?? null, netType: netType ?? null, arch: arch ?? null, class: hmsClass ?? null };
}

/** SMD's StateData rule: the current states each state may be reached from without force. */
const STATE_SOURCES: Partial<Record<(typeof COMPONENT_STATES)[number], readonly string[]>> = {
  Off: ['Off', 'On', 'Standby', 'Halt', 'Ready'],
  On: ['On', 'Off', 'Standby', 'Halt'],
  Standby: ['Standby', 'Ready'],
  Halt: ['Halt', 'Ready'],
  Ready: ['Ready', 'On', 'Off', 'Standby', 'Halt'],
};

export interface StateChange {
  state: string;
  /** Default OK. */
  flag?: string | null;
  force?: boolean | null;
}

/**
 * SMD StateData (single and bulk PATCH): sets State and Flag on the live components named.
 * Without force, components whose current state may not move to the new one are left as
 * they are, and Unknown, Empty and Populated are refused; Ready with Flag Warning only
 * touches components already Ready; a Locked flag stays. Unknown xnames are skipped.
 * Answers with the components changed.
 */
export async function setComponentStates(
  ctx: ServiceContext,
  xnames: string[],
  change: StateChange,
  listField = 'xnames',
): Promise<ComponentRow[]> {
  const state = oneOf(change.state, COMPONENT_STATES, 'state');
  const flag = change.flag == null ? 'OK' : checkFlag(change.flag, 'flag');
  const sources = change.force ? undefined : STATE_SOURCES[state];
  if (!change.force && !sources) throw new ValidationError('force', `changing the state to ${state} is not allowed without force`);
  const from = state === 'Ready' && flag === 'Warning' ? ['Ready'] : sources;
  const keys = requireItems(xnames, listField).map((raw, i) => requireXname(raw, `${listField}.${i}`).xname);
  return write(ctx, async (tx) => {
    const found = await tx.component.findMany({
      where: { deletedAt: null, xname: { in: keys }, ...(from ? { state: { in: [...from] } } : {}) },
    });
    const befores = inItemOrder(
      found.map(rowOf),
      keys.map((xname) => ({ xname })),
    );
    const targets = befores.flatMap((before) => {
      const data = { state, flag: before.flag === 'Locked' ? 'Locked' : flag };
      const unchanged = before.state === data.state && before.flag === data.flag;
      return unchanged ? [] : [{ path: undefined, xname: before.xname, type: before.type, id: before.id, before, data }];
    });
    return patchIn(tx, targets);
  });
}

/** Soft delete: ends the open installation and suspends group memberships (restored with it). */
export async function deleteComponent(ctx: ServiceContext, xname: string) {
  const key = requireXname(xname, 'xname').xname;
  return write(ctx, (tx) => deleteComponentIn(tx, key));
}

/** deleteComponent in the caller's transaction. */
export async function deleteComponentIn(tx: Tx, xname: string): Promise<WriteResult<ComponentRow>> {
  const key = requireXname(xname, 'xname').xname;
  const before = rowOf(await findLiveByXname(tx, 'component', key));
  const removals = await closeInstallations(tx, { componentId: before.id }, new Date());
  await tx.groupMember.updateMany({ where: { componentId: before.id, live: true }, data: { live: null } });
  const after = rowOf(await tx.component.update({ where: { id: before.id }, data: { ...softDeleted(), revision: { increment: 1 } } }));
  return { result: after, changes: [...removals, { entityType: ENTITY, entityId: after.id, action: 'deleted', before, after }] };
}

/** Brings a deleted component back with its memberships in live groups; 409 when its xname, NID or an exclusive membership is taken meanwhile. */
export async function restoreComponent(ctx: ServiceContext, id: string) {
  return write(ctx, async (tx) => {
    const before = rowOf(await findAny(tx, 'component', id));
    if (!before.deletedAt) return { result: before, changes: [] };
    const item: CheckedItem & { id: string } = { path: undefined, xname: before.xname, type: before.type, data: { nid: before.nid }, id };
    await refuseTakenXnames(tx, [item]);
    await refuseTakenNids(tx, [item], new Set());
    const after = rowOf(await tx.component.update({ where: { id }, data: { ...restored(), revision: { increment: 1 } } }));
    await reviveMemberships(tx, { componentId: id }, 'groups');
    return { result: after, changes: [{ entityType: ENTITY, entityId: id, action: 'restored', before, after }] };
  });
}

/**
 * Ends the open installations matching `where` and returns their 'removed' events, each on
 * the position it left (a position's history is what SMD's hardware history shows).
 */
async function closeInstallations(tx: Tx, where: Prisma.InstallationWhereInput, now: Date): Promise<Change[]> {
  const open = await tx.installation.findMany({ where: { ...where, open: true } });
  if (open.length === 0) return [];
  await tx.installation.updateMany({ where: { id: { in: open.map((i) => i.id) } }, data: { open: null, removedAt: now } });
  return open.map((before) => ({
    entityType: ENTITY,
    entityId: before.componentId,
    action: 'removed',
    before,
    after: { ...before, open: null, removedAt: now },
  }));
}

/**
 * Puts a device into a position. Whatever sat there leaves, and the device leaves wherever
 * it was; installing a device where it already is changes nothing.
 */
export function installDevice(ctx: ServiceContext, xname: string, deviceId: string, source = 'api') {
  return write(ctx, (tx) => installDeviceIn(tx, xname, deviceId, source));
}

/** Takes the installed device out of a position; NOT_FOUND when the position is empty. */
export async function removeDevice(ctx: ServiceContext, xname: string) {
  const key = requireXname(xname, 'xname').xname;
  return write(ctx, async (tx) => {
    const component = rowOf(await findLiveByXname(tx, 'component', key));
    const removals = await closeInstallations(tx, { componentId: component.id }, new Date());
    if (removals.length === 0) throw new InventoryError('NOT_FOUND', `no device is installed at ${key}`, 'xname');
    return { result: component, changes: removals };
  });
}

// --- tx-level variants for writes that span several services (SMD discovery, hardware inventory) ---

/**
 * upsertComponents in the caller's transaction: State required; missing components are
 * created, existing ones are left as they are unless `force` (then SMD's PUT fields are
 * overwritten). Answers with the components created and updated.
 */
export async function upsertComponentsIn(tx: Tx, inputs: ComponentInput[], options: { force?: boolean } = {}, listField = 'components') {
  return upsertIn(tx, checkUpsertList(inputs, listField), options.force ?? false);
}

/** installDevice in the caller's transaction, for a live position and a live device (installDevicesIn of one). */
export async function installDeviceIn(
  tx: Tx,
  xname: string,
  deviceId: string,
  source = 'api',
  now = new Date(),
): Promise<WriteResult<ComponentRow>> {
  const [installed] = await installDevicesIn(tx, [{ xname, deviceId }], { source, now });
  return installed;
}

/** Ends the open installations matching `where` in the caller's transaction; their 'removed' events. */
export function closeInstallationsIn(tx: Tx, where: Prisma.InstallationWhereInput, now = new Date()): Promise<Change[]> {
  return closeInstallations(tx, where, now);
}

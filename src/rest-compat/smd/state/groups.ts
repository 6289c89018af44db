// /groups, and the routes /partitions shares with it (partitions.ts): list with filters,
// create, get, patch, delete, and members. Writes go through services/smd/group.ts; its errors are
// answered with SMD's texts and codes (409 for a duplicate label, which ochami relies on).
import { ConflictError, InventoryError, NotFoundError, ValidationError } from '../../../domain/errors.js';
import { parseXname } from '../../../domain/xname.js';
import {
  addGroupMembers,
  createGroup,
  deleteGroup,
  type GroupKind,
  type GroupView,
  getGroup,
  invalidXnames,
  listGroupNames,
  listGroups,
  removeGroupMember,
  requireGroupField,
  setGroupMembers,
  updateGroup,
} from '../../../services/smd/index.js';
import { json, noContent } from '../../http/respond.js';
import type { RestRequest, RestRouter } from '../../http/router.js';
import { SmdError } from '../errors.js';
import { SMD_PREFIX } from '../index.js';
import { withFilterPrefix } from './component-filter.js';
import { createdUris, message, type Obj, optArray, optObject, optString, optStringList, readObject } from './wire.js';

/** What differs between /groups and /partitions: paths, key names and SMD's texts. */
interface Family {
  kind: GroupKind;
  base: string;
  names: string;
  param: 'label' | 'name';
  field: 'group label' | 'partition name';
  noun: string;
  duplicate: string;
  clash: string;
  goStruct: string;
}

export const GROUPS: Family = {
  kind: 'group',
  base: '/groups',
  names: '/labels',
  param: 'label',
  field: 'group label',
  noun: 'group',
  duplicate: 'operation would conflict with an existing group that has the same label or duplicate ids found in request.',
  clash: 'operation would conflict with an existing member in another exclusive group.',
  goStruct: 'sm.Group',
};

export const PARTITIONS: Family = {
  kind: 'partition',
  base: '/partitions',
  names: '/names',
  param: 'name',
  field: 'partition name',
  noun: 'partition',
  duplicate: 'operation would conflict with an existing partition that has the same name.',
  clash: 'operation would conflict with an existing member in another partition.',
  goStruct: 'sm.Partition',
};

const BAD_FIELD = 'group or partition field has invalid characters';

/** sm.Group / sm.Partition JSON. */
function groupJson(family: Family, g: GroupView): Obj {
  const out: Obj = { [family.param]: g.name };
  if (family.kind === 'group' || g.description) out.description = g.description ?? '';
  if (family.kind === 'group' && g.exclusiveGroup) out.exclusiveGroup = g.exclusiveGroup;
  if (g.tags.length) out.tags = g.tags;
  out.members = { ids: g.members };
  return out;
}

/** The service's conflicts in SMD's words: an exclusive-group or partition clash, a member already there, or a duplicate name. */
function conflictText(family: Family, error: ConflictError): string {
  const text = error.message;
  if (family.kind === 'group' ? /exclusive group/.test(text) : /partition only|another partition/.test(text)) return family.clash;
  if (/is already a member of (group|partition) \S+$/.test(text))
    return `operation would conflict with an existing member in the same ${family.noun}.`;
  return family.duplicate;
}

/** A member that is not an xname, or not a component, as SMD answers it. */
function memberError(family: Family, error: ValidationError, creating: boolean): SmdError {
  if (/linked component does not exist/.test(error.message)) return new SmdError(400, 'linked component does not exist');
  // OpenCHAMI's partition members need not be xnames; a member must still be a component here.
  if (family.kind === 'partition' && !creating) return new SmdError(400, 'linked component does not exist');
  return creating
    ? new SmdError(400, `couldn't validate ${family.noun}: got HMSTypeInvalid instead of valid type`)
    : new SmdError(400, 'invalid xname ID');
}

/** The group's name from the URL, lower-cased; SMD's 400 "Invalid group label." otherwise. */
const urlName = (family: Family, req: RestRequest) => requireGroupField(req.params[family.param] ?? '', family.field);

/**
 * Runs a group write, answering the service's errors as SMD does. `missing` is the 404 text
 * when the group does not exist (SMD words it per route).
 */
async function writeGroup<T>(family: Family, missing: string, work: () => Promise<T>, creating = false): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof NotFoundError && error.field === 'name') throw new SmdError(404, missing);
    if (error instanceof ValidationError && error.field?.startsWith('members')) throw memberError(family, error, creating);
    // A valid label that is not a partition name (p1, p1.2) names no partition.
    if (error instanceof ValidationError && error.field === 'name' && !creating) throw new SmdError(404, missing);
    if (error instanceof ValidationError && creating) {
      const reason =
        error.field === 'name' && family.kind === 'partition'
          ? 'Bad partition name. Must be p# or p#.#'
          : error.field === 'description'
            ? error.message
            : BAD_FIELD;
      throw new SmdError(400, `couldn't validate ${family.noun}: ${reason}`);
    }
    if (error instanceof ConflictError) throw new SmdError(409, conflictText(family, error));
    throw error;
  }
}

function uri(family: Family, ...parts: string[]): string {
  return [`${SMD_PREFIX}${family.base}`, ...parts].join('/');
}

async function list(family: Family, { query, ctx }: RestRequest): Promise<Response> {
  const partitionParam = family.kind === 'group' ? query.get('partition') : undefined;
  const partition =
    partitionParam === undefined || partitionParam === 'NULL' ? partitionParam : requireGroupField(partitionParam, 'partition name');
  const tags = query.all('tag').map((tag) => requireGroupField(tag, 'tag'));
  const namesParam = family.kind === 'group' ? 'group' : 'partition';
  const names = query.all(namesParam).map((name) => requireGroupField(name, family.kind === 'group' ? 'group label' : 'partition name'));
  const groups = await withFilterPrefix(() => listGroups(ctx.service, family.kind, { names, tags, partition }));
  return json(groups.map((g) => groupJson(family, g)));
}

async function create(family: Family, { request, ctx }: RestRequest): Promise<Response> {
  const body = await readObject(request, family.goStruct);
  const members = optObject(body, 'members', family.goStruct, 'sm.Members');
  const input = {
    kind: family.kind,
    name: optString(body, family.param, family.goStruct) ?? '',
    description: optString(body, 'description', family.goStruct),
    exclusiveGroup: family.kind === 'group' ? optString(body, 'exclusiveGroup', family.goStruct) : undefined,
    tags: optStringList(body, 'tags', family.goStruct),
    members: members ? optStringList(members, 'ids', 'sm.Members') : undefined,
  };
  const group = await writeGroup(family, '', () => createGroup(ctx.service, input), true);
  return createdUris([uri(family, group.name)], uri(family));
}

async function getOne(family: Family, req: RestRequest): Promise<Response> {
  const name = urlName(family, req);
  const partitionParam = family.kind === 'group' ? req.query.get('partition') : undefined;
  const partition =
    partitionParam === undefined || partitionParam === 'NULL' ? partitionParam : requireGroupField(partitionParam, 'partition name');
  const group = await withFilterPrefix(() => getGroup(req.ctx.service, family.kind, name, partition));
  if (!group) throw new SmdError(404, `No such ${family.noun}: ${name}`);
  return json(req.route.endsWith('/members') ? { ids: group.members } : groupJson(family, group));
}

async function patch(family: Family, req: RestRequest): Promise<Response> {
  const struct = `${family.goStruct}Patch`;
  const body = await readObject(req.request, struct);
  const description = optString(body, 'description', struct);
  const tags = optStringList(body, 'tags', struct);
  if (description === undefined && tags === undefined) throw new SmdError(400, 'Request must have at least one patch field.');
  const name = urlName(family, req);
  for (const tag of tags ?? []) requireGroupField(tag, 'tag');
  await writeGroup(family, `no such ${family.noun}.`, () =>
    updateGroup(req.ctx.service, { kind: family.kind, name }, { description, tags }),
  );
  return noContent();
}

async function remove(family: Family, req: RestRequest): Promise<Response> {
  const name = urlName(family, req);
  await writeGroup(family, `no such ${family.noun}.`, () => deleteGroup(req.ctx.service, { kind: family.kind, name }));
  return message('deleted 1 entry');
}

async function addMember(family: Family, req: RestRequest): Promise<Response> {
  const name = urlName(family, req);
  const body = await readObject(req.request, 'sm.MemberAddBody');
  const id = optString(body, 'id', 'sm.MemberAddBody') ?? '';
  const member = parseXname(id);
  if (!member && family.kind === 'group') throw new SmdError(400, 'invalid xname ID');
  await writeGroup(family, `No such ${family.noun}: ${name}`, () => addGroupMembers(req.ctx.service, { kind: family.kind, name }, [id]));
  return createdUris([uri(family, name, 'members', member?.xname ?? id)], uri(family));
}

/** PUT members (OpenCHAMI, groups only): the list replaces the members; an empty list answers 204. */
async function setMembers(family: Family, req: RestRequest): Promise<Response> {
  const name = urlName(family, req);
  const body = await readObject(req.request, 'sm.MemberPutBody');
  const ids = optArray(body, 'ids', 'sm.MemberPutBody', '[]string') ?? [];
  const invalid = invalidXnames(ids);
  // Go's %v of a []string.
  if (invalid.length) throw new SmdError(400, `invalid xname IDs: [${invalid.join(' ')}]`);
  const xnames = [...new Set(ids.map((id) => parseXname(id as string)?.xname as string))];
  await writeGroup(family, `No such ${family.noun}: ${name}`, () => setGroupMembers(req.ctx.service, { kind: family.kind, name }, xnames));
  return createdUris(
    xnames.map((x) => uri(family, name, 'members', x)),
    uri(family),
  );
}

async function removeMember(family: Family, req: RestRequest): Promise<Response> {
  const name = urlName(family, req);
  const member = parseXname(req.params.xname ?? '');
  if (!member) throw new SmdError(400, 'invalid xname ID');
  try {
    await writeGroup(family, `No such ${family.noun}: ${name}`, () =>
      removeGroupMember(req.ctx.service, { kind: family.kind, name }, member.xname),
    );
  } catch (error) {
    if (error instanceof InventoryError && error.code === 'NOT_FOUND' && error.field === 'xname')
      throw new SmdError(404, `${family.noun} has no such member.`);
    throw error;
  }
  return message('deleted 1 entry');
}

/** Mounts one family's routes (groups, or partitions without PUT members). */
export function mountGroupFamily(router: RestRouter, family: Family): void {
  const { base, param } = family;
  const on = (handler: (family: Family, req: RestRequest) => Promise<Response>) => (req: RestRequest) => handler(family, req);
  router.get(base, on(list));
  router.post(base, on(create));
  router.get(`${base}${family.names}`, async ({ ctx }) => json(await listGroupNames(ctx.service, family.kind)));
  router.get(`${base}/:${param}`, on(getOne));
  router.patch(`${base}/:${param}`, on(patch));
  router.delete(`${base}/:${param}`, on(remove));
  router.get(`${base}/:${param}/members`, on(getOne));
  router.post(`${base}/:${param}/members`, on(addMember));
  if (family.kind === 'group') router.put(`${base}/:${param}/members`, on(setMembers));
  router.delete(`${base}/:${param}/members/:xname`, on(removeMember));
}

export function mountGroupRoutes(router: RestRouter): void {
  mountGroupFamily(router, GROUPS);
}

// /groups, and the routes /partitions shares with it (partitions.ts): list with filters,
// create, get, patch, delete, and members. Writes go through services/smd/group.ts; its errors are
// answered with SMD's texts and codes (409 for a duplicate label, which ochami relies on).
import {
  badQueryParam,
  decodeGroup,
  decodeGroupPatch,
  decodeMemberAdd,
  decodeMembersPut,
  GROUP_WORDING,
  groupJson,
  groupTexts,
  groupWriteError,
  memberRemoveError,
  SMD_TEXTS,
  type SmdGroupKind,
  smdBadRequest,
  smdNotFound,
} from '../../../codecs/smd/index.js';
import { parseXname } from '../../../domain/xname.js';
import {
  addGroupMembers,
  createGroup,
  deleteGroup,
  getGroup,
  listGroupNames,
  listGroups,
  removeGroupMember,
  requireGroupField,
  setGroupMembers,
  updateGroup,
} from '../../../services/smd/index.js';
import { json, noContent, readJson } from '../../http/respond.js';
import type { RestRequest, RestRouter } from '../../http/router.js';
import { SMD_PREFIX } from '../prefix.js';
import { createdUris, message } from '../respond.js';

/** Where each kind lives: its collection and the path of its names. */
const PATHS: Record<SmdGroupKind, { base: string; names: string }> = {
  group: { base: '/groups', names: '/labels' },
  partition: { base: '/partitions', names: '/names' },
};

/** The group's name from the URL, lower-cased; SMD's 400 "Invalid group label." otherwise. */
const urlName = (kind: SmdGroupKind, req: RestRequest) =>
  requireGroupField(req.params[GROUP_WORDING[kind].param] ?? '', GROUP_WORDING[kind].field);

/** Runs a group write, answering the service's errors in SMD's words (`missing`: the 404 text). */
async function writeGroup<T>(kind: SmdGroupKind, missing: string, work: Promise<T>, creating = false): Promise<T> {
  return work.catch((error) => {
    throw groupWriteError(kind, error, missing, creating);
  });
}

function uri(kind: SmdGroupKind, ...parts: string[]): string {
  return [`${SMD_PREFIX}${PATHS[kind].base}`, ...parts].join('/');
}

/** The partition a group read is limited to (`?partition=`, "NULL": in none); groups only. */
function partitionOf(kind: SmdGroupKind, req: RestRequest): string | undefined {
  const partition = kind === 'group' ? req.query.get('partition') : undefined;
  return partition === undefined || partition === 'NULL' ? partition : requireGroupField(partition, 'partition name');
}

async function list(kind: SmdGroupKind, req: RestRequest): Promise<Response> {
  const partition = partitionOf(kind, req);
  const tags = req.query.all('tag').map((tag) => requireGroupField(tag, 'tag'));
  const names = req.query.all(kind).map((name) => requireGroupField(name, GROUP_WORDING[kind].field));
  const groups = await listGroups(req.ctx.service, kind, { names, tags, partition }).catch((error) => {
    throw badQueryParam(error);
  });
  return json(groups.map((g) => groupJson(g, kind)));
}

async function create(kind: SmdGroupKind, { request, ctx }: RestRequest): Promise<Response> {
  const input = decodeGroup(await readJson(request), 'strict', kind);
  const group = await writeGroup(kind, '', createGroup(ctx.service, input), true);
  return createdUris([uri(kind, group.name)], uri(kind));
}

async function getOne(kind: SmdGroupKind, req: RestRequest): Promise<Response> {
  const name = urlName(kind, req);
  const partition = partitionOf(kind, req);
  const group = await getGroup(req.ctx.service, kind, name, partition).catch((error) => {
    throw badQueryParam(error);
  });
  if (!group) throw smdNotFound(groupTexts(kind).noSuchNamed(name));
  return json(req.route.endsWith('/members') ? { ids: group.members } : groupJson(group, kind));
}

async function patch(kind: SmdGroupKind, req: RestRequest): Promise<Response> {
  const { description, tags } = decodeGroupPatch(await readJson(req.request), kind);
  const name = urlName(kind, req);
  for (const tag of tags ?? []) requireGroupField(tag, 'tag');
  await writeGroup(kind, groupTexts(kind).noSuch, updateGroup(req.ctx.service, { kind, name }, { description, tags }));
  return noContent();
}

async function remove(kind: SmdGroupKind, req: RestRequest): Promise<Response> {
  const name = urlName(kind, req);
  await writeGroup(kind, groupTexts(kind).noSuch, deleteGroup(req.ctx.service, { kind, name }));
  return message('deleted 1 entry');
}

async function addMember(kind: SmdGroupKind, req: RestRequest): Promise<Response> {
  const name = urlName(kind, req);
  const member = decodeMemberAdd(await readJson(req.request), kind);
  await writeGroup(kind, groupTexts(kind).noSuchNamed(name), addGroupMembers(req.ctx.service, { kind, name }, [member.id]));
  return createdUris([uri(kind, name, 'members', member.xname)], uri(kind));
}

/** PUT members (OpenCHAMI, groups only): the list replaces the members; an empty list answers 204. */
async function setMembers(kind: SmdGroupKind, req: RestRequest): Promise<Response> {
  const name = urlName(kind, req);
  const xnames = decodeMembersPut(await readJson(req.request));
  await writeGroup(kind, groupTexts(kind).noSuchNamed(name), setGroupMembers(req.ctx.service, { kind, name }, xnames));
  return createdUris(
    xnames.map((x) => uri(kind, name, 'members', x)),
    uri(kind),
  );
}

async function removeMember(kind: SmdGroupKind, req: RestRequest): Promise<Response> {
  const name = urlName(kind, req);
  const member = parseXname(req.params.xname ?? '');
  if (!member) throw smdBadRequest(SMD_TEXTS.invalidXnameId);
  await removeGroupMember(req.ctx.service, { kind, name }, member.xname).catch((error) => {
    throw memberRemoveError(kind, error, groupTexts(kind).noSuchNamed(name));
  });
  return message('deleted 1 entry');
}

/** Mounts one kind's routes (groups, or partitions without PUT members). */
export function mountGroupFamily(router: RestRouter, kind: SmdGroupKind): void {
  const { base, names } = PATHS[kind];
  const { param } = GROUP_WORDING[kind];
  const on = (handler: (kind: SmdGroupKind, req: RestRequest) => Promise<Response>) => (req: RestRequest) => handler(kind, req);
  router.get(base, on(list));
  router.post(base, on(create));
  router.get(`${base}${names}`, async ({ ctx }) => json(await listGroupNames(ctx.service, kind)));
  router.get(`${base}/:${param}`, on(getOne));
  router.patch(`${base}/:${param}`, on(patch));
  router.delete(`${base}/:${param}`, on(remove));
  router.get(`${base}/:${param}/members`, on(getOne));
  router.post(`${base}/:${param}/members`, on(addMember));
  if (kind === 'group') router.put(`${base}/:${param}/members`, on(setMembers));
  router.delete(`${base}/:${param}/members/:xname`, on(removeMember));
}

export function mountGroupRoutes(router: RestRouter): void {
  mountGroupFamily(router, 'group');
}

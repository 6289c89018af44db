// SMD groups and partitions (/groups, /partitions: sm.Group, sm.Partition; the Fabrica Group
// spec) ⇄ the group service, and SMD's wording for what the service refuses. A partition is a
// group with `name` for `label`, no exclusive group and at most one per component.
import { ConflictError, InventoryError, NotFoundError, ValidationError } from '../../domain/errors.js';
import { parseXname } from '../../domain/xname.js';
import type { GroupInput } from '../../services/smd/index.js';
import { SMD_TEXTS, SmdRuleError, smdConflict, smdNotFound } from './errors.js';
import { emptyAsNull, type FieldNames, type SmdDialect, smdObject, withoutUndefined } from './fields.js';
import { asObject, get, type Obj, optArray, optObject, optString, optStringList } from './go-json.js';

export type SmdGroupKind = 'group' | 'partition';

/** A group with its live members' xnames (sorted): the service's GroupView and Fabrica's Group entity both fit. */
export interface GroupRecord {
  name: string;
  description: string | null;
  exclusiveGroup: string | null;
  tags: unknown;
  members: readonly string[];
}

/** What SMD calls things, per kind: the key of the name, its Go struct, and its texts. */
export interface GroupWording {
  kind: SmdGroupKind;
  param: 'label' | 'name';
  field: 'group label' | 'partition name';
  noun: string;
  goStruct: string;
  duplicate: string;
  clash: string;
}

export const GROUP_WORDING: Readonly<Record<SmdGroupKind, GroupWording>> = {
  group: {
    kind: 'group',
    param: 'label',
    field: 'group label',
    noun: 'group',
    goStruct: 'sm.Group',
    duplicate: 'operation would conflict with an existing group that has the same label or duplicate ids found in request.',
    clash: 'operation would conflict with an existing member in another exclusive group.',
  },
  partition: {
    kind: 'partition',
    param: 'name',
    field: 'partition name',
    noun: 'partition',
    goStruct: 'sm.Partition',
    duplicate: 'operation would conflict with an existing partition that has the same name.',
    clash: 'operation would conflict with an existing member in another partition.',
  },
};

export const GROUP_FIELD_NAMES: FieldNames = {
  name: 'label',
  description: 'description',
  exclusiveGroup: 'exclusiveGroup',
  tags: 'tags',
  members: 'members.ids',
  input: 'spec',
};

export const PARTITION_FIELD_NAMES: FieldNames = { ...GROUP_FIELD_NAMES, name: 'name' };

/** "No such group: x" (GET, members), "no such group." (PATCH, DELETE), "group has no such member.". */
export const groupTexts = (kind: SmdGroupKind) => {
  const { noun } = GROUP_WORDING[kind];
  return {
    noSuchNamed: (name: string) => `No such ${noun}: ${name}`,
    noSuch: `no such ${noun}.`,
    noSuchMember: `${noun} has no such member.`,
  };
};

// --- encoding -----------------------------------------------------------------------------------

/** sm.Group / sm.Partition JSON: a partition shows its description only when it has one, and no exclusive group. */
export function groupJson(g: GroupRecord, kind: SmdGroupKind = 'group'): Obj {
  const out: Obj = { [GROUP_WORDING[kind].param]: g.name };
  if (kind === 'group' || g.description) out.description = g.description ?? '';
  if (kind === 'group' && g.exclusiveGroup) out.exclusiveGroup = g.exclusiveGroup;
  const tags = Array.isArray(g.tags) ? (g.tags as string[]) : [];
  if (tags.length) out.tags = tags;
  out.members = { ids: [...g.members] };
  return out;
}

// --- decoding -----------------------------------------------------------------------------------

function lenientMembers(value: unknown): string[] | null | undefined {
  if (value === undefined || value === null) return value;
  const members = smdObject(value, 'members');
  const ids = get(members, 'ids');
  if (ids === undefined || ids === null) return [];
  if (!Array.isArray(ids)) throw new ValidationError('members', 'ids must be a list of xnames');
  return ids as string[];
}

/**
 * A group or partition body as a service input (label or name → name). Keys not present stay
 * undefined.
 * - strict (POST /groups, /partitions): Go's types; strings as given.
 * - lenient (Fabrica specs, SMD dumps; `at` is the field named when the value is not an
 *   object): "" clears a field, members are checked by the service.
 */
export function decodeGroup(value: unknown, dialect: SmdDialect, kind: SmdGroupKind = 'group', at = 'input'): GroupInput {
  const { param, goStruct } = GROUP_WORDING[kind];
  if (dialect === 'lenient') {
    const body = smdObject(value, at);
    return withoutUndefined({
      kind,
      name: get(body, param) as string,
      description: emptyAsNull(get(body, 'description')) as string | null | undefined,
      exclusiveGroup: kind === 'group' ? (emptyAsNull(get(body, 'exclusiveGroup')) as string | null | undefined) : undefined,
      tags: get(body, 'tags') as string[] | null | undefined,
      members: lenientMembers(get(body, 'members')),
    });
  }
  const body = asObject(value, goStruct);
  const members = optObject(body, 'members', goStruct, 'sm.Members');
  return {
    kind,
    name: optString(body, param, goStruct) ?? '',
    description: optString(body, 'description', goStruct),
    exclusiveGroup: kind === 'group' ? optString(body, 'exclusiveGroup', goStruct) : undefined,
    tags: optStringList(body, 'tags', goStruct),
    members: members ? optStringList(members, 'ids', 'sm.Members') : undefined,
  };
}

/** Every field of a lenient group: its own, else cleared (a PUT that replaces the whole spec, a dump's record). */
export function groupReplacement(value: unknown, kind: SmdGroupKind = 'group', at = 'input'): GroupInput {
  return { description: null, exclusiveGroup: null, tags: null, members: [], ...decodeGroup(value, 'lenient', kind, at) };
}

/** PATCH (sm.GroupPatch / sm.PartitionPatch): description and tags, at least one of them. */
export function decodeGroupPatch(value: unknown, kind: SmdGroupKind): { description?: string; tags?: string[] } {
  const struct = `${GROUP_WORDING[kind].goStruct}Patch`;
  const body = asObject(value, struct);
  const description = optString(body, 'description', struct);
  const tags = optStringList(body, 'tags', struct);
  if (description === undefined && tags === undefined) throw new SmdRuleError(SMD_TEXTS.noPatchField);
  return { description, tags };
}

/** POST members (sm.MemberAddBody): the id as given, and its xname (a group's member must be one). */
export function decodeMemberAdd(value: unknown, kind: SmdGroupKind): { id: string; xname: string } {
  const body = asObject(value, 'sm.MemberAddBody');
  const id = optString(body, 'id', 'sm.MemberAddBody') ?? '';
  const member = parseXname(id);
  if (!member && kind === 'group') throw new SmdRuleError(SMD_TEXTS.invalidXnameId);
  return { id, xname: member?.xname ?? id };
}

/** PUT members (sm.MemberPutBody, OpenCHAMI): the xnames, normalised, repeats dropped; every invalid one is named. */
export function decodeMembersPut(value: unknown): string[] {
  const body = asObject(value, 'sm.MemberPutBody');
  const ids = optArray(body, 'ids', 'sm.MemberPutBody', '[]string') ?? [];
  const invalid = ids.filter((id) => typeof id !== 'string' || !parseXname(id)).map(String);
  // Go's %v of a []string.
  if (invalid.length) throw new SmdRuleError(`invalid xname IDs: [${invalid.join(' ')}]`);
  return [...new Set(ids.map((id) => parseXname(id as string)?.xname as string))];
}

// --- errors ---------------------------------------------------------------------------------------

/** The service's conflicts in SMD's words: an exclusive-group or partition clash, a member already there, or a duplicate name. */
function conflictText(wording: GroupWording, error: ConflictError): string {
  const text = error.message;
  if (wording.kind === 'group' ? /exclusive group/.test(text) : /partition only|another partition/.test(text)) return wording.clash;
  if (/is already a member of (group|partition) \S+$/.test(text))
    return `operation would conflict with an existing member in the same ${wording.noun}.`;
  return wording.duplicate;
}

/** A member that is not an xname, or not a component, as SMD answers it. */
function memberError(wording: GroupWording, error: ValidationError, creating: boolean): SmdRuleError {
  if (/linked component does not exist/.test(error.message)) return new SmdRuleError('linked component does not exist');
  // OpenCHAMI's partition members need not be xnames; a member must still be a component here.
  if (wording.kind === 'partition' && !creating) return new SmdRuleError('linked component does not exist');
  return creating
    ? new SmdRuleError(`couldn't validate ${wording.noun}: got HMSTypeInvalid instead of valid type`)
    : new SmdRuleError(SMD_TEXTS.invalidXnameId);
}

const BAD_FIELD = 'group or partition field has invalid characters';

/**
 * A group write's service error as SMD answers it. `missing` is the 404 text when the group does
 * not exist (SMD words it per route); `creating` is true for POST.
 */
export function groupWriteError(kind: SmdGroupKind, error: unknown, missing: string, creating = false): unknown {
  const wording = GROUP_WORDING[kind];
  if (error instanceof NotFoundError && error.field === 'name') return smdNotFound(missing);
  if (error instanceof ValidationError && error.field?.startsWith('members')) return memberError(wording, error, creating);
  // A valid label that is not a partition name (p1, p1.2) names no partition.
  if (error instanceof ValidationError && error.field === 'name' && !creating) return smdNotFound(missing);
  if (error instanceof ValidationError && creating) {
    const reason =
      error.field === 'name' && kind === 'partition'
        ? 'Bad partition name. Must be p# or p#.#'
        : error.field === 'description'
          ? error.message
          : BAD_FIELD;
    return new SmdRuleError(`couldn't validate ${wording.noun}: ${reason}`);
  }
  if (error instanceof ConflictError) return smdConflict(conflictText(wording, error));
  return error;
}

/** DELETE members/{xname}: as groupWriteError, and a member the group does not have is a 404. */
export function memberRemoveError(kind: SmdGroupKind, error: unknown, missing: string): unknown {
  const mapped = groupWriteError(kind, error, missing);
  if (mapped instanceof InventoryError && mapped.code === 'NOT_FOUND' && mapped.field === 'xname')
    return smdNotFound(groupTexts(kind).noSuchMember);
  return mapped;
}

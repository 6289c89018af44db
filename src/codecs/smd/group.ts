// SMD group JSON (/groups, Fabrica Group spec) ⇄ the group service. Partitions are not groups.
import { ValidationError } from '../../domain/errors.js';
import type { GroupInput } from '../../services/smd/index.js';
import { emptyAsNull, type FieldNames, pick, smdObject, withoutUndefined } from './fields.js';

/** A group with its live members' xnames (sorted). */
export interface GroupRecord {
  name: string;
  description: string | null;
  exclusiveGroup: string | null;
  tags: unknown;
  members: readonly string[];
}

/** SMD's sm.Group JSON. */
export interface SmdGroup {
  label: string;
  description: string;
  exclusiveGroup?: string;
  tags?: string[];
  members: { ids: string[] };
}

export const GROUP_FIELD_NAMES: FieldNames = {
  name: 'label',
  description: 'description',
  exclusiveGroup: 'exclusiveGroup',
  tags: 'tags',
  members: 'members.ids',
  input: 'spec',
};

export function smdGroup(row: GroupRecord): SmdGroup {
  const tags = Array.isArray(row.tags) ? (row.tags as string[]) : [];
  return withoutUndefined({
    label: row.name,
    description: row.description ?? '',
    exclusiveGroup: row.exclusiveGroup ?? undefined,
    tags: tags.length ? tags : undefined,
    members: { ids: [...row.members] },
  });
}

function memberIds(value: unknown): string[] | null | undefined {
  if (value === undefined || value === null) return value;
  const members = smdObject(value, 'members');
  const ids = pick(members, 'ids');
  if (ids === undefined || ids === null) return [];
  if (!Array.isArray(ids)) throw new ValidationError('members', 'ids must be a list of xnames');
  return ids as string[];
}

/** An SMD group body as a service input (label → name). Keys not present stay undefined. */
export function groupInputFromSmd(value: unknown, field = 'input'): GroupInput {
  const body = smdObject(value, field);
  return withoutUndefined({
    kind: 'group',
    name: pick(body, 'label') as string,
    description: emptyAsNull(pick(body, 'description')) as string | null | undefined,
    exclusiveGroup: emptyAsNull(pick(body, 'exclusiveGroup')) as string | null | undefined,
    tags: pick(body, 'tags') as string[] | null | undefined,
    members: memberIds(pick(body, 'members')),
  });
}

/** Every field of the group: the body's, else cleared (a PUT that replaces the whole spec). */
export function groupReplacementFromSmd(value: unknown, field = 'input'): GroupInput {
  return { description: null, exclusiveGroup: null, tags: null, members: [], ...groupInputFromSmd(value, field) };
}

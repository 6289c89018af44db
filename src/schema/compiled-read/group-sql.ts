// The compiled reads of Group: twin of builder.prismaNode('Group') in src/schema/types/group.ts
// (its scalar fields), and of Device.groups and Component.groups. memberCount, members
// (components, devices), template and history stay with the resolvers: here memberCount would be
// a count subquery per membership row, recounting a 10,000-member group for each of its members
// in a tree.
import { column, columns, dateTimes } from './field-kinds.js';
import type { FieldSql, TypeSql } from './fields.js';

/** The live groups of the parent's live memberships through `member` (deviceId or componentId), by name, then id. */
export const liveGroupsOf = (member: 'deviceId' | 'componentId'): FieldSql => ({
  kind: 'list',
  type: 'Group',
  from: (parent, alias) => ({
    rows: `"GroupMember" ${alias}_m JOIN "Group" ${alias} ON ${alias}."id" = ${alias}_m."groupId"`,
    where: `${alias}_m."${member}" = ${parent}."id" AND ${alias}_m."live" = true AND ${alias}."deletedAt" IS NULL`,
  }),
  orderBy: (alias) => `${alias}."name", ${alias}."id"`,
});

export const GROUP_TYPES: Readonly<Record<string, TypeSql>> = {
  Group: {
    model: 'Group',
    fields: {
      id: { kind: 'globalId' },
      uuid: column('id'),
      ...columns('name', 'kind', 'description', 'exclusiveGroup', 'tags', 'properties', 'revision'),
      ...dateTimes('createdAt', 'updatedAt', 'deletedAt'),
    },
  },
};

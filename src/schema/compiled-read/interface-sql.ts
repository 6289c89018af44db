// The compiled reads of Interface and IpAddress: twins of builder.prismaNode('Interface') and
// builder.prismaObject('IpAddress') in src/schema/types/interface.ts (history stays with the
// resolvers). A change to one of those fields is a change to its entry here.
import { column, columns, dateTimes, referenced } from './field-kinds.js';
import type { FieldSql, TypeSql } from './fields.js';

/** Live interfaces whose `owner` column is the parent's id, in `order` (Device.interfaces, Component.interfaces). */
export const liveInterfacesOf = (owner: 'deviceId' | 'componentId', order: 'name' | 'macAddress'): FieldSql => ({
  kind: 'list',
  type: 'Interface',
  from: (parent, alias) => ({
    rows: `"Interface" ${alias}`,
    where: `${alias}."${owner}" = ${parent}."id" AND ${alias}."deletedAt" IS NULL`,
  }),
  orderBy: (alias) => `${alias}."${order}", ${alias}."id"`,
});

export const INTERFACE_TYPES: Readonly<Record<string, TypeSql>> = {
  Interface: {
    model: 'Interface',
    fields: {
      id: { kind: 'globalId' },
      uuid: column('id'),
      ...columns('name', 'kind', 'macAddress', 'description', 'enabled', 'mgmtOnly', 'properties', 'revision', 'componentXname'),
      ...dateTimes('createdAt', 'updatedAt', 'deletedAt'),
      device: referenced('Device', 'deviceId'),
      component: referenced('Component', 'componentId'),
      ipAddresses: {
        kind: 'list',
        type: 'IpAddress',
        from: (parent, alias) => ({ rows: `"IpAddress" ${alias}`, where: `${alias}."interfaceId" = ${parent}."id"` }),
        orderBy: (alias) => `${alias}."address", ${alias}."id"`,
      },
      // The cable on the interface's live end (at most one: unique (interfaceId, live)).
      cable: {
        kind: 'object',
        type: 'Cable',
        from: (parent, alias) => ({
          rows: `"CableTermination" ${alias}_t JOIN "Cable" ${alias} ON ${alias}."id" = ${alias}_t."cableId"`,
          where: `${alias}_t."interfaceId" = ${parent}."id" AND ${alias}_t."live" = true`,
        }),
      },
    },
  },
  IpAddress: {
    model: 'IpAddress',
    fields: {
      // t.exposeID: the row id as it is, not a Relay id.
      ...columns('id', 'address', 'network'),
      interface: referenced('Interface', 'interfaceId'),
    },
  },
};

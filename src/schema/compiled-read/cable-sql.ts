// The compiled reads of Cable and CableTermination: twins of builder.prismaNode('Cable') and
// builder.prismaObject('CableTermination') in src/schema/types/cable.ts (history stays with the
// resolvers), and of Device.cables (cablesOfDevices, src/loaders/cable-lookup.ts). A change to
// one of those is a change to its entry here.
import { column, columns, dateTimes, referenced } from './field-kinds.js';
import type { FieldSql, TypeSql } from './fields.js';

/**
 * Device.cables: live cables with a live end on one of the device's interfaces, each once (a
 * cable between two of its ports too), by label, then id.
 */
export const deviceCables: FieldSql = {
  kind: 'list',
  type: 'Cable',
  from: (parent, alias) => ({
    rows: `"Cable" ${alias}`,
    where: `${alias}."deletedAt" IS NULL AND ${alias}."id" IN (SELECT ${alias}_t."cableId" FROM "Interface" ${alias}_i JOIN "CableTermination" ${alias}_t ON ${alias}_t."interfaceId" = ${alias}_i."id" WHERE ${alias}_i."deviceId" = ${parent}."id" AND ${alias}_t."live" = true)`,
  }),
  orderBy: (alias) => `${alias}."label", ${alias}."id"`,
};

export const CABLE_TYPES: Readonly<Record<string, TypeSql>> = {
  Cable: {
    model: 'Cable',
    fields: {
      id: { kind: 'globalId' },
      uuid: column('id'),
      ...columns('label', 'cableType', 'status', 'color', 'length', 'lengthUnit', 'properties', 'revision'),
      ...dateTimes('createdAt', 'updatedAt', 'deletedAt'),
      // The connected ends, A then B.
      terminations: {
        kind: 'list',
        type: 'CableTermination',
        from: (parent, alias) => ({
          rows: `"CableTermination" ${alias}`,
          where: `${alias}."cableId" = ${parent}."id" AND ${alias}."live" = true`,
        }),
        orderBy: (alias) => `${alias}."end"`,
      },
    },
  },
  CableTermination: {
    model: 'CableTermination',
    fields: {
      // t.exposeID: the row id as it is, not a Relay id.
      ...columns('id', 'end'),
      interface: referenced('Interface', 'interfaceId'),
      cable: referenced('Cable', 'cableId'),
    },
  },
};

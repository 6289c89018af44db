// The GraphQL fields a compiled read answers in SQL, each the same value its Pothos resolver
// gives: a column, a Relay id, or a relation (a list walked by a subquery, a to-one relation joined). Each entry is the SQL twin
// of a Pothos definition, named in its comment; those point back here. Device and Component are
// below; Interface and IpAddress, Cable and CableTermination, and Group each have their own file
// beside this one. Changing one means changing the other: test/graphql/compiled-reads.test.ts
// compares both paths on every field here. A document asking only for these is read in one SQL
// statement that builds the response JSON itself (see plan.ts and sql.ts); any other field
// sends the whole document down the ordinary resolver path.
import type { Db, Engine } from '../../services/core/index.js';
import { CABLE_TYPES, deviceCables } from './cable-sql.js';
import { column, columns, dateTimes, referenced } from './field-kinds.js';
import { GROUP_TYPES, liveGroupsOf } from './group-sql.js';
import { INTERFACE_TYPES, liveInterfacesOf } from './interface-sql.js';

/**
 * How a leaf value is written into the JSON: as stored (text, numbers, booleans, and jsonb,
 * which is JSON already), or as the DateTime scalar writes it.
 */
export type ColumnFormat = 'plain' | 'dateTime';

export type FieldSql =
  | { kind: 'column'; column: string; format: ColumnFormat }
  /** The Relay global id: base64("Type:" + id), as @pothos/plugin-relay encodes it. */
  | { kind: 'globalId' }
  | {
      /**
       * A list, or a to-one relation through a link table (a position's installation, a port's
       * cable end), read by a subquery per row (`LIMIT 1` for the latter). Not a join: inside a
       * list's correlated subquery PostgreSQL plans a join as if the list were read once and may
       * hash the whole link table for every parent row (a cabinet: 5.5 → 16.9 ms), and SQLite
       * materialises a parenthesised join whole.
       */
      kind: 'list' | 'object';
      type: string;
      /**
       * The related rows, `alias` being the related table, `parent` the row's. Only the parent's
       * "id" may be used: a list written as rows of its own (sql.ts) reads its parent from a level
       * that has no other column.
       */
      from: (parent: string, alias: string) => RelatedRows;
      orderBy?: (alias: string) => string;
    }
  | {
      /**
       * A to-one relation by a foreign key to the related row's primary key: a LEFT JOIN in the
       * parent's FROM, which PostgreSQL can memoize (100 DIMMs with their node: 0.38 against
       * 0.76 ms as a subquery per row) and both engines read by the key.
       */
      kind: 'object';
      type: string;
      /** The parent's column holding the related row's id. */
      foreignKey: string;
    };

/** The rows of a list, or of a to-one relation read by a subquery: `FROM rows WHERE where`. */
export interface RelatedRows {
  /** The related table aliased `alias`, or a join ending in it (a link table first). */
  rows: string;
  /** What ties them to the parent row, and any condition of their own. */
  where: string;
}

export interface TypeSql {
  /** The Prisma model (and table) the GraphQL type reads. */
  model: string;
  fields: Readonly<Record<string, FieldSql>>;
}

/** Device.children (src/schema/types/device.ts): live children by name, then id. */
const liveChildren: FieldSql = {
  kind: 'list',
  type: 'Device',
  from: (parent, alias) => ({
    rows: `"Device" ${alias}`,
    where: `${alias}."parentId" = ${parent}."id" AND ${alias}."deletedAt" IS NULL`,
  }),
  orderBy: (alias) => `${alias}."name", ${alias}."id"`,
};

export const COMPILED_TYPES: Readonly<Record<string, TypeSql>> = {
  // Twin of builder.prismaNode('Device') and builder.prismaObjectFields('Device') (position,
  // groups) in src/schema/types/device.ts.
  Device: {
    model: 'Device',
    fields: {
      id: { kind: 'globalId' },
      uuid: column('id'),
      ...columns('name', 'deviceType', 'manufacturer', 'model', 'partNumber', 'serialNumber', 'assetTag', 'description', 'status', 'role'),
      ...columns('rackPosition', 'rackFace', 'schemaVersion', 'revision', 'properties', 'providerMetadata', 'externalIds'),
      ...dateTimes('createdAt', 'updatedAt', 'deletedAt'),
      children: liveChildren,
      parent: referenced('Device', 'parentId'),
      // The component of the device's open installation (at most one: unique (deviceId, open)).
      position: {
        kind: 'object',
        type: 'Component',
        from: (parent, alias) => ({
          rows: `"Installation" ${alias}_i JOIN "Component" ${alias} ON ${alias}."id" = ${alias}_i."componentId"`,
          where: `${alias}_i."deviceId" = ${parent}."id" AND ${alias}_i."open" = true`,
        }),
      },
      interfaces: liveInterfacesOf('deviceId', 'name'),
      groups: liveGroupsOf('deviceId'),
      cables: deviceCables,
    },
  },
  // Twin of builder.prismaNode('Component') and builder.prismaObjectFields('Component') (device,
  // groups) in src/schema/types/component.ts.
  Component: {
    model: 'Component',
    fields: {
      id: { kind: 'globalId' },
      uuid: column('id'),
      ...columns(
        'xname',
        'type',
        'state',
        'flag',
        'enabled',
        'softwareStatus',
        'role',
        'subRole',
        'nid',
        'subtype',
        'netType',
        'arch',
        'class',
      ),
      ...columns('reservationDisabled', 'locked', 'revision'),
      ...dateTimes('createdAt', 'updatedAt', 'deletedAt'),
      interfaces: liveInterfacesOf('componentId', 'macAddress'),
      groups: liveGroupsOf('componentId'),
      // The device of the position's open installation (at most one: unique (componentId, open)).
      device: {
        kind: 'object',
        type: 'Device',
        from: (parent, alias) => ({
          rows: `"Installation" ${alias}_i JOIN "Device" ${alias} ON ${alias}."id" = ${alias}_i."deviceId"`,
          where: `${alias}_i."componentId" = ${parent}."id" AND ${alias}_i."open" = true`,
        }),
      },
    },
  },
  ...INTERFACE_TYPES,
  ...CABLE_TYPES,
  ...GROUP_TYPES,
};

/** What a root field's resolver is given, for the parts a compiled read shares with it. */
export interface RootContext {
  db: Db;
  engine: Engine;
}

/**
 * A Query field a compiled read can start from; its twin is the field's resolver (DEVICE_READ_ROOTS
 * in src/schema/types/device.ts, beside Query.devices and Query.device). `Args` is the field's
 * arguments as graphql-js coerces them for that resolver, typed from the same Pothos input types
 * (`typeof DeviceFilter.$inferInput` …). A hook throws NotCompilable (or the resolver's own
 * InventoryError) for arguments it leaves to the resolver, which then answers the whole document.
 */
export type RootSql<Args = never> =
  | {
      kind: 'connection';
      /** The node type, a key of COMPILED_TYPES. */
      type: string;
      /** The rows' Prisma `where`: the resolver's own (turned into SQL by prisma-where.ts). */
      where: (args: Args, ctx: RootContext) => Promise<unknown>;
      orderBy: (alias: string) => string;
      /** The page's row count, or undefined for paging the compiled read leaves to the resolver. */
      pageSize: (args: Args) => number | undefined;
    }
  | {
      kind: 'byId';
      type: string;
      /** The row id the resolver would look up. */
      id: (args: Args) => string;
    };

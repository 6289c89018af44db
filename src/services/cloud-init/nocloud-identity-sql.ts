// The one statement that answers a batch of NoCloud identity lookups: for every address asked,
// every node it may lead to (a live interface's IP, through the device installed in a position
// when the interface is the device's; or a WireGuard tunnel IP), each with the node's fields,
// its live interfaces (its own and its installed device's) with their addresses, its live SMD
// group names and its instance info, as JSON text; then the cluster defaults, and every cloud-init
// Group that may hang on those groups' names (which one is in force is cloud-init-groups.ts's
// rule, applied to these rows). A boot storm asks in batches; Prisma's nested reads took about
// fifteen statements a batch, each a round trip and a result to map, where this takes one
// (PostgreSQL then does the joins on its own core). Node rows come in lead order: interface
// addresses by creation, then tunnel addresses; the first row of an address is its node.
//
// Both engines take the same shape; they differ in how JSON is built and aggregated, how the list
// is bound (one parameter either way), and how a boolean and a stored Json value are read.
import { modelInfo } from '../../db/bulk-insert.js';
import type { Engine } from '../../db/engine-schema.js';
import { preparedWithLists } from '../../db/prepared-with-lists.js';
import type { ClusterDefaultsFields, InstanceInfoFields } from '../../domain/nocloud-metadata.js';
import { CLUSTER_DEFAULTS_ID } from './cloud-init.js';
import { HOLDER_KINDS } from './cloud-init-groups.js';

interface Dialect {
  /** `column` is one of the bound address list. */
  inList(column: string): string;
  object(fields: Record<string, string>): string;
  /** A JSON array of `value` over the rows of `from`, in `order`; `[]` when there are none. */
  array(value: string, from: string, order: string): string;
  /** A stored Json column as a JSON value. */
  json(column: string): string;
  /** A JSON expression as text the driver returns as a string. */
  text(json: string): string;
  /** A DateTime column as ISO text (as Date#toISOString writes it), NULL for NULL. */
  dateTime(column: string): string;
  /** The stored spelling of true. */
  true: string;
}

const postgresql: Dialect = {
  // The list through a sub-select, `(SELECT $1)`, which the planner cannot look into: a plan made
  // for the values at hand then costs what the generic plan costs, and PostgreSQL keeps the
  // generic one after its five trial runs. Bound directly, the list looked cheaper for a small
  // batch than the generic plan's assumed ten addresses, so every batch of a storm was re-planned:
  // 1.2-3.2 ms of planning against 0.5-0.9 ms of running for a batch of 3-9 addresses, both plans
  // the same index lookups (test/server/query-plans.test.ts holds both).
  inList: (column) => `${column} = ANY((SELECT $1::text[])::text[])`,
  object: (fields) => `json_build_object(${Object.entries(fields).flatMap(([key, value]) => [`'${key}'`, value])})`,
  array: (value, from, order) => `COALESCE((SELECT json_agg(${value} ORDER BY ${order}) FROM ${from}), '[]'::json)`,
  json: (column) => column,
  text: (json) => `(${json})::text`,
  // Prisma stores UTC in timestamp(3).
  dateTime: (column) => `to_char(${column}, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`,
  true: 'true',
};

const sqlite: Dialect = {
  // Prisma's SQLite adapter binds `?` in order: the list is passed once for each use.
  inList: (column) => `${column} IN (SELECT value FROM json_each(?))`,
  object: (fields) => `json_object(${Object.entries(fields).flatMap(([key, value]) => [`'${key}'`, value])})`,
  // json() keeps the aggregate's JSON subtype through the scalar subquery, so json_object nests it.
  array: (value, from, order) => `json((SELECT json_group_array(${value} ORDER BY ${order}) FROM ${from}))`,
  json: (column) => `json(${column})`,
  text: (json) => json,
  dateTime: (column) => `strftime('%Y-%m-%dT%H:%M:%fZ', ${column})`,
  true: '1',
};

/**
 * A row of the answer. `node`: one per lead, in lead order, with the address asked and the boot IP
 * and MAC it gives (IdentityNodeJson); `defaults`: the cluster defaults, when set
 * (ClusterDefaultsFields); `cloudInit`: a cloud-init Group of one of the nodes' group names
 * (CloudInitJson).
 */
export type IdentityRow =
  | { part: 'node'; address: string; bootIp: string; bootMac: string | null; json: string }
  | { part: 'defaults' | 'cloudInit'; address: null; bootIp: null; bootMac: null; json: string };

/** A `cloudInit` row: the template, its metadata and the group row it hangs on (DateTimes as ISO text). */
export interface CloudInitJson {
  group: { name: string; kind: string; deletedAt: string | null; description: string | null };
  updatedAt: string;
  metaData: Record<string, unknown>;
  template: string;
}

/** A `node` row. SQLite writes booleans as 0/1. */
export interface IdentityNodeJson {
  xname: string;
  nid: number | null;
  role: string | null;
  subRole: string | null;
  interfaces: Array<{
    id: string;
    name: string | null;
    macAddress: string | null;
    description: string | null;
    enabled: boolean | number;
    ipAddresses: Array<{ address: string; network: string | null }>;
  }>;
  groups: string[];
  instanceInfo: InstanceInfoFields | null;
}

const INSTANCE_INFO_FIELDS = [
  'instanceId',
  'localHostname',
  'hostname',
  'clusterName',
  'region',
  'availabilityZone',
  'cloudProvider',
  'instanceType',
  'cloudInitBaseUrl',
  'publicKeys',
] as const satisfies ReadonlyArray<keyof InstanceInfoFields>;

const CLUSTER_DEFAULTS_FIELDS = [
  'clusterName',
  'shortName',
  'nidLength',
  'baseUrl',
  'cloudProvider',
  'region',
  'availabilityZone',
  'publicKeys',
] as const satisfies ReadonlyArray<keyof ClusterDefaultsFields>;

/** `alias`'s columns of `model` of these names, as JSON fields of the same names (a stored Json column as JSON). */
function fieldsOf(d: Dialect, model: string, alias: string, names: readonly string[]): Record<string, string> {
  const types = modelInfo(model).types;
  return Object.fromEntries(names.map((name) => [name, types.get(name) === 'Json' ? d.json(`${alias}."${name}"`) : `${alias}."${name}"`]));
}

function statement(d: Dialect): string {
  // A position's interfaces and those of the device installed in it (UNION: once each).
  const columns = 'i."id", i."name", i."macAddress", i."description", i."enabled"';
  const nics = `(SELECT ${columns} FROM "Interface" i WHERE i."componentId" = c."id" AND i."deletedAt" IS NULL
      UNION
      SELECT ${columns} FROM "Installation" n JOIN "Interface" i ON i."deviceId" = n."deviceId" AND i."deletedAt" IS NULL
      WHERE n."componentId" = c."id" AND n."open" = ${d.true}) nic`;
  const addresses = d.array(
    d.object({ address: 'a."address"', network: 'a."network"' }),
    `"IpAddress" a WHERE a."interfaceId" = nic."id"`,
    'a."createdAt", a."id"',
  );
  const nic = d.object({
    id: 'nic."id"',
    name: 'nic."name"',
    macAddress: 'nic."macAddress"',
    description: 'nic."description"',
    enabled: 'nic."enabled"',
    ipAddresses: addresses,
  });
  const groups = d.array(
    'g."name"',
    `"GroupMember" m JOIN "Group" g ON g."id" = m."groupId" AND g."kind" = 'group' AND g."deletedAt" IS NULL
      WHERE m."componentId" = c."id" AND m."live" = ${d.true}`,
    'g."name"',
  );
  const instanceInfo = `(SELECT ${d.object(fieldsOf(d, 'InstanceInfo', 'ii', INSTANCE_INFO_FIELDS))} FROM "InstanceInfo" ii WHERE ii."componentId" = c."id")`;
  const node = d.object({
    xname: 'c."xname"',
    nid: 'c."nid"',
    role: 'c."role"',
    subRole: 'c."subRole"',
    interfaces: d.array(nic, nics, 'nic."id"'),
    groups,
    instanceInfo,
  });
  const defaults = d.object(fieldsOf(d, 'ClusterDefaults', 'cd', CLUSTER_DEFAULTS_FIELDS));
  const cloudInit = d.object({
    group: d.object({ name: 'h."name"', kind: 'h."kind"', deletedAt: d.dateTime('h."deletedAt"'), description: 'h."description"' }),
    updatedAt: d.dateTime('t."updatedAt"'),
    metaData: d.json('t."metaData"'),
    template: 't."template"',
  });
  const holderKinds = HOLDER_KINDS.map((kind) => `'${kind}'`).join(', ');
  return `WITH "lead" AS (
    SELECT ip."address" AS "address", ip."address" AS "bootIp", i."macAddress" AS "bootMac",
      COALESCE(i."componentId", n."componentId") AS "componentId", 0 AS "kind", ip."createdAt" AS "at", ip."id" AS "tie"
    FROM "IpAddress" ip
    JOIN "Interface" i ON i."id" = ip."interfaceId" AND i."deletedAt" IS NULL
    LEFT JOIN "Installation" n ON i."componentId" IS NULL AND n."deviceId" = i."deviceId" AND n."open" = ${d.true}
    WHERE ${d.inList('ip."address"')}
    UNION ALL
    SELECT w."tunnelIp", COALESCE(NULLIF(w."clientIp", ''), w."tunnelIp"), NULL, w."componentId", 1, NULL, w."id"
    FROM "WireguardPeer" w
    WHERE ${d.inList('w."tunnelIp"')}
  )
  SELECT 'node' AS "part", "lead"."address", "lead"."bootIp", "lead"."bootMac", ${d.text(node)} AS "json", "lead"."kind", "lead"."at", "lead"."tie"
  FROM "lead" JOIN "Component" c ON c."id" = "lead"."componentId" AND c."deletedAt" IS NULL
  UNION ALL
  SELECT 'defaults', NULL, NULL, NULL, ${d.text(defaults)}, 2, NULL, NULL
  FROM "ClusterDefaults" cd WHERE cd."id" = '${CLUSTER_DEFAULTS_ID}'
  UNION ALL
  SELECT 'cloudInit', NULL, NULL, NULL, ${d.text(cloudInit)}, 3, NULL, t."id"
  FROM "GroupTemplate" t JOIN "Group" h ON h."id" = t."groupId" AND h."kind" IN (${holderKinds})
  WHERE h."name" IN (
    -- CROSS JOIN: SQLite joins in this order (from the few leads, not from every member of a group).
    SELECT g."name" FROM "lead" CROSS JOIN "GroupMember" m CROSS JOIN "Group" g
    WHERE m."componentId" = "lead"."componentId" AND m."live" = ${d.true}
      AND g."id" = m."groupId" AND g."kind" = 'group' AND g."deletedAt" IS NULL
  )
  ORDER BY "kind", "at", "tie"`;
}

// Written on first use, not at start-up. Prepared on PostgreSQL: planning it cost more than running it (prepared-with-lists.ts).
let statements: Record<Engine, string> | undefined;

/** The statement and its parameters (the address list, bound as one value) for `engine`. */
export function identityStatement(engine: Engine, addresses: readonly string[]): [sql: string, ...params: unknown[]] {
  statements ??= { postgresql: preparedWithLists(statement(postgresql)), sqlite: statement(sqlite) };
  if (engine === 'postgresql') return [statements.postgresql, addresses];
  const list = JSON.stringify(addresses);
  return [statements.sqlite, list, list];
}

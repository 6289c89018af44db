// Compiled reads (src/schema/plugins/compiled-execution.ts, src/schema/compiled-read): on both
// engines a devices/device tree document, with interfaces, addresses, cables and their ends, and
// groups, is answered by one SQL statement that writes the JSON itself.
// Its answers must be the resolvers' answers, field for field: every document here is asked of
// the app (compiled where it can be) and executed by graphql-js over the same schema and data
// (the resolvers), and the two must be equal, on PostgreSQL and on SQLite (whose dialect writes
// booleans, Json, DateTimes and Relay ids its own way: src/schema/compiled-read/dialect.ts).
import fc from 'fast-check';
import { type ExecutionResult, execute, type GraphQLObjectType, getNullableType, isListType, isNonNullType, parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineOf } from '../../src/db/client.js';
import { withStatementScope } from '../../src/db/sql-counter.js';
import { generateCluster } from '../../src/fixtures/synthetic-cluster.js';
import { getDatamodel } from '../../src/generated/pothos-types.js';
import { createLoaders } from '../../src/loaders/index.js';
import { COMPILED_TYPES } from '../../src/schema/compiled-read/fields.js';
import { planRead } from '../../src/schema/compiled-read/plan.js';
import { readSql } from '../../src/schema/compiled-read/sql.js';
import { schema } from '../../src/schema/index.js';
import { DEVICE_READ_ROOTS } from '../../src/schema/types/device.js';
import { loadInventory } from '../../src/services/core/bulk-load.js';
import { write } from '../../src/services/core/transaction.js';
import { createDevice, deleteDevice } from '../../src/services/inventory/device.js';
import { createCable, createInterface, deleteCable, deleteInterface } from '../../src/services/inventory/index.js';
import { createGroup, deleteGroup, installDevice, removeDevice, setDeviceGroupsIn } from '../../src/services/smd/index.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';

let gw: TestGateway;
let nodeId: string;
/** A serial number JSON and SQL both have to escape. */
const AWKWARD_SERIAL = 'SN "quoted" \\ back\nline\ttab \u0001 é 日本 \u2028 \'single\' $1 ?2';

beforeAll(async () => {
  // Random selections may use many aliases, tokens and nested lists: this file tests answers, not limits.
  gw = await startTestGateway({ graphqlLimits: { maxAliases: 10_000, maxTokens: 100_000, maxDepth: 100, maxCost: 1e9 } });
  await loadInventory({ ...gw.service, source: 'seed' }, generateCluster({ nodes: 40 }));
  const first = await gw.gql(
    `{ devices(first: 1, filter: { deviceType: ["Node"] }) { edges { node { uuid position { xname } children { uuid } } } } }`,
  );
  const node = first.data.devices.edges[0].node;
  nodeId = node.uuid;
  // Values JSON must escape, a nameless device (sorts last), nested JSON, a deleted child.
  await createDevice(gw.service, {
    deviceType: 'Memory',
    parentId: nodeId,
    serialNumber: AWKWARD_SERIAL,
    description: '',
    providerMetadata: { redfish: { uri: '/redfish/v1/Systems/1/Memory/9', 'odd key': [1, 2.5, true, null, { deep: 'x' }] } },
  } as never);
  await deleteDevice(gw.service, node.children[0].uuid);
  await networkEdgeCases(node.position.xname);
  await installationEdgeCases();
}, 120_000);

let removed: string;
let reinstalled: string;

/** Two nodes of the first page of nodes: one taken out of its position, one taken out and put back. */
async function installationEdgeCases() {
  const nodes = await gw.gql(`{ devices(first: 3, filter: { deviceType: ["Node"] }) { edges { node { uuid position { xname } } } } }`);
  const [, second, third] = nodes.data.devices.edges.map((e: { node: { uuid: string; position: { xname: string } } }) => e.node);
  await removeDevice(gw.service, second.position.xname);
  await installDevice(gw.service, second.position.xname, second.uuid);
  await removeDevice(gw.service, third.position.xname);
  [reinstalled, removed] = [second.uuid, third.uuid];
}

/**
 * On the first node: interfaces with a null name (ordered first on SQLite, last on PostgreSQL),
 * two addresses in text order, one also on the node's position, and a deleted one; a cable between two of its
 * own ports (listed once) with no label, a cable with only one end, and a deleted cable; direct
 * memberships of a group and a partition of the same name, and of a deleted group.
 */
async function networkEdgeCases(xname: string) {
  const ctx = gw.service;
  const port = (name: string | null, mac: string, extra: object = {}) =>
    createInterface(ctx, { deviceId: nodeId, name, macAddress: mac, ...extra });
  const unnamed = await port(null, '02:00:00:00:99:01', {
    ipAddresses: [{ address: '10.9.0.2', network: 'NMN' }, { address: '10.9.0.10' }],
  });
  const ib = await port('ib0', '02:00:00:00:99:02', { kind: 'infiniband', xname, mgmtOnly: true });
  const eth9 = await port('eth9', '02:00:00:00:99:03', { properties: { speed: 100, lanes: [1, 2], note: 'é "q"' } });
  const eth8 = await port('eth8', '02:00:00:00:99:04');
  await deleteInterface(ctx, (await port('zz-deleted', '02:00:00:00:99:05')).id);
  await createCable(ctx, { aInterfaceId: unnamed.id, bInterfaceId: eth9.id, length: 2.5, lengthUnit: 'm', color: 'red' });
  await createCable(ctx, { label: 'Ω loop "b only"', bInterfaceId: ib.id, length: 0.1, cableType: 'hdr' });
  await deleteCable(ctx, (await createCable(ctx, { label: 'gone', aInterfaceId: eth8.id })).id);
  const group = await createGroup(ctx, { kind: 'group', name: 'p1', description: 'same name as partition p1', tags: ['a'] });
  const zeta = await createGroup(ctx, { kind: 'group', name: 'zeta', exclusiveGroup: 'letters' });
  const gone = await createGroup(ctx, { kind: 'group', name: 'gone' });
  const partition = await gw.db.prisma.group.findFirstOrThrow({ where: { kind: 'partition', name: 'p1' } });
  await write(ctx, (tx) => setDeviceGroupsIn(tx, nodeId, 'group', [group.id, zeta.id, gone.id]));
  await write(ctx, (tx) => setDeviceGroupsIn(tx, nodeId, 'partition', [partition.id]));
  await deleteGroup(ctx, { kind: 'group', name: 'gone' });
}

afterAll(() => gw.close());

/** The resolvers' answer: graphql-js over the schema, with the context yoga would build. */
async function byResolvers(document: string, variables?: Record<string, unknown>): Promise<ExecutionResult> {
  const db = gw.db.prisma;
  const contextValue = { db, engine: gw.db.engine, loaders: createLoaders(), service: { db, source: 'graphql' as const } };
  return JSON.parse(JSON.stringify(await execute({ schema, document: parse(document), variableValues: variables, contextValue })));
}

/** Asks the app and the resolvers; they must agree. Returns the app's SQL statement count. */
async function same(document: string, variables?: Record<string, unknown>): Promise<number> {
  return (await compared(document, variables)).statements;
}

/** Asks the app and the resolvers; they must agree. Returns the app's answer and statement count. */
async function compared(document: string, variables?: Record<string, unknown>) {
  const app = await gw.gql(document, variables);
  const expected = await byResolvers(document, variables);
  expect(expected.errors, 'the document itself must be fine').toBeUndefined();
  expect({ data: app.data, errors: app.errors }).toEqual({ data: expected.data, errors: undefined });
  return app;
}

/** The SQL statements the resolvers take for `document`. */
async function resolverStatements(document: string): Promise<number> {
  const scope = { statements: 0 };
  await withStatementScope(scope, () => byResolvers(document));
  return scope.statements;
}

const leaves = (type: string) =>
  Object.entries(COMPILED_TYPES[type]?.fields ?? {})
    .filter(([, sql]) => sql.kind === 'column' || sql.kind === 'globalId')
    .map(([name]) => name);

/** The relations of a compiled type: field name and the type it leads to. */
const relations = (type: string) =>
  Object.entries(COMPILED_TYPES[type]?.fields ?? {}).flatMap(([name, sql]) =>
    sql.kind === 'list' || sql.kind === 'object' ? [{ name, type: sql.type }] : [],
  );

const every = (type: string) => `${leaves(type).join(' ')} __typename`;

/** Every leaf of each type on the way: interfaces with addresses and cable ends, cables, groups. */
const NETWORK = `interfaces { ${every('Interface')}
    ipAddresses { ${every('IpAddress')} interface { uuid } }
    cable { ${every('Cable')} terminations { ${every('CableTermination')} interface { name device { name } component { xname } } cable { uuid } } }
    device { name } component { xname device { name } groups { name } } }
  cables { ${every('Cable')} terminations { end interface { name macAddress device { name } } } }
  groups { ${every('Group')} }`;

const EVERY_DEVICE_FIELD = `${every('Device')}
  parent { id name __typename }
  position { ${every('Component')} interfaces { name macAddress } groups { ${every('Group')} } device { uuid } }
  ${NETWORK}`;

/** A dashboard's cabinet tree that also asks for interfaces, addresses, cables with both ends and groups. */
const DASHBOARD = `{ devices(first: 500, filter: { deviceType: ["Cabinet"] }) { totalCount edges { node { name position { xname state }
  children { name interfaces { name } cables { label }
    children { name children { name deviceType position { xname nid state groups { name kind } } groups { name }
      interfaces { name macAddress ipAddresses { address network } cable { label terminations { end interface { name device { name } } } } }
      cables { label length terminations { end interface { name macAddress device { name } } } }
      children { name deviceType interfaces { name macAddress ipAddresses { address } cable { label terminations { end interface { name device { name } } } } } } } } } } } } }`;

describe('compiled reads answer as the resolvers do', () => {
  it('each compiled field exists in the schema, as a list or object like its SQL, and is null only where its column can be', () => {
    for (const [typeName, { model, fields }] of Object.entries(COMPILED_TYPES)) {
      const type = schema.getType(typeName) as GraphQLObjectType;
      const columns = new Map(getDatamodel().datamodel.models[model]?.fields.map((f) => [f.name, f]));
      for (const [name, sql] of Object.entries(fields)) {
        const field = type.getFields()[name];
        expect(field, `${typeName}.${name}`).toBeDefined();
        if (sql.kind === 'column') {
          expect(columns.get(sql.column), `${model}.${sql.column}`).toBeDefined();
          if (isNonNullType(field?.type)) expect(columns.get(sql.column)?.isRequired, `${typeName}.${name} is non-null`).toBe(true);
        }
        if (sql.kind === 'list' || sql.kind === 'object')
          expect(isListType(getNullableType(field?.type)), `${typeName}.${name}`).toBe(sql.kind === 'list');
        if ('from' in sql) {
          // A list written as rows of its own reads its parent from a level holding only its id (sql.ts).
          const { rows, where } = sql.from('PARENT', 'related');
          const uses = `${rows} ${where}`.match(/PARENT\.("[^"]*"|\w+)/g) ?? [];
          expect(uses.length, `${typeName}.${name} ties to its parent`).toBeGreaterThan(0);
          for (const use of uses) expect(use, `${typeName}.${name} reads only its parent's id`).toBe('PARENT."id"');
        }
      }
    }
  });

  it('every compiled field, on a page of devices and under children, in one statement', async () => {
    const statements = await same(`{ __typename devices(first: 60) { __typename totalCount edges { __typename node {
      ${EVERY_DEVICE_FIELD}
      children { ${EVERY_DEVICE_FIELD} children { name serialNumber } }
    } } } }`);
    expect(statements).toBe(1);
  });

  it("a node's interfaces, addresses, cables and groups, with every edge case, in one statement", async () => {
    const answer = await compared(`query($id: ID!) { device(id: $id) { ${NETWORK} } }`, { id: nodeId });
    expect(answer.statements).toBe(1);
    const { interfaces, cables, groups } = answer.data.device;
    // Live interfaces only; the null name is first or last as each engine orders NULLs.
    expect(interfaces.map((i: { name: string | null }) => i.name).sort()).toEqual(['eth8', 'eth9', 'ib0', null].sort());
    const unnamed = interfaces.find((i: { name: string | null }) => i.name === null);
    expect(unnamed.ipAddresses.map((a: { address: string }) => a.address)).toEqual(['10.9.0.10', '10.9.0.2']);
    expect(unnamed.cable.terminations.map((t: { interface: { name: string } }) => t.interface.name)).toEqual([null, 'eth9']);
    expect(interfaces.find((i: { name: string | null }) => i.name === 'eth8').cable).toBeNull();
    // The cable between two of its ports once, the one-ended one; not the deleted one.
    expect(cables.map((c: { length: number; terminations: unknown[] }) => [c.length, c.terminations.length])).toEqual(
      expect.arrayContaining([
        [2.5, 2],
        [0.1, 1],
      ]),
    );
    expect(cables).toHaveLength(2);
    expect(groups.map((g: { name: string; kind: string }) => g.name)).toEqual(['p1', 'p1', 'zeta']);
  });

  it('a dashboard tree with interfaces, cables and groups: one statement where the resolvers take many', async () => {
    const answer = await compared(DASHBOARD);
    const resolvers = await resolverStatements(DASHBOARD);
    console.info(`dashboard tree on ${gw.db.engine}: compiled ${answer.statements} statement, resolvers ${resolvers}`);
    expect(answer.statements).toBe(1);
    expect(resolvers).toBeGreaterThan(10);
    expect(JSON.stringify(answer.data)).toMatch(
      /"terminations":\[\{"end":"A","interface":\{"name":"eth0","device":\{"name":"x\d+c\d+s\d+b0n\d-nic0"\}\}\},\{"end":"B"/,
    );
  });

  it('the bench tree and list documents, whole', async () => {
    const tree = `{ devices(first: 500, filter: { deviceType: ["Cabinet"] }) { totalCount edges { node { name position { xname state }
      children { name children { name children { name position { xname nid } children { name deviceType serialNumber } } } } } } } }`;
    expect(await same(tree)).toBe(1);
    await same(
      `{ devices(first: 100, filter: { deviceType: ["Memory"], manufacturer: "Micron" }) { edges { node { name serialNumber parent { name } } } } }`,
    );
  });

  it('a to-one relation through closed installations: no row for a removed device, one for a reinstalled one', async () => {
    const answer = await compared(`{ devices(first: 3, filter: { deviceType: ["Node"] }) { edges { node { uuid name
      position { xname device { uuid position { xname } } } children { name position { xname } } } } } }`);
    const nodes = answer.data.devices.edges.map((e: { node: { uuid: string; position: unknown } }) => e.node);
    expect(nodes.map((n: { uuid: string }) => n.uuid)).toEqual(expect.arrayContaining([removed, reinstalled]));
    expect(nodes).toHaveLength(3);
    expect(nodes.find((n: { uuid: string }) => n.uuid === removed).position).toBeNull();
    expect(nodes.find((n: { uuid: string }) => n.uuid === reinstalled).position.device.uuid).toBe(reinstalled);
    expect(answer.statements).toBe(1);
  });

  it('filters, paging and ids as the resolvers read them', async () => {
    const node = `query($id: ID!) { device(id: $id) { name children { name serialNumber description providerMetadata deletedAt } } }`;
    const global = Buffer.from(`Device:${nodeId}`).toString('base64');
    // Lists of lists under a root looked up by id: rows of their own on PostgreSQL, `null` for no device.
    const tree = `query($id: ID!) { device(id: $id) { name children { name children { name } } parent { name } } }`;
    for (const id of [nodeId, global, '00000000-0000-4000-8000-000000000000']) {
      await same(node, { id });
      await same(tree, { id });
    }
    const page = `query($f: DeviceFilter, $n: Int) { devices(first: $n, filter: $f) { totalCount edges { node { uuid name deviceType } } } }`;
    for (const [f, n] of [
      [{ deviceType: ['Memory'], includeDeleted: true }, 500],
      [{ deviceType: ['Memory', 'GPU'] }, 0],
      [{ roots: true }, 10],
      [{ parentId: nodeId, includeDeleted: true }, null],
      [{ manufacturer: 'NVIDIA', deviceType: [] }, 3],
      [{ property: { key: 'cooling', value: 'liquid' } }, 5],
      // Values the PostgreSQL statement quotes into its text (dialect.literal): one found, one not.
      [{ serialNumber: AWKWARD_SERIAL }, 5],
      [{ manufacturer: "O'Brien \\ E'x' $1 ?1 --", deviceType: ['Memory'] }, 2],
      [null, undefined],
    ] as const) {
      await same(page, { f, n });
    }
  });

  it("on PostgreSQL filter values and page sizes are in the statement's text, for a document's first 16 sets of variables", async () => {
    const engine = engineOf(gw.service.db);
    const plan = planRead(
      schema,
      parse(
        'query($s: String, $n: Int) { devices(first: $n, filter: { deviceType: ["Memory"], serialNumber: $s }) { edges { node { name } } } }',
      ),
      undefined,
      DEVICE_READ_ROOTS,
    );
    const statementFor = (s: string) => readSql(plan, { s, n: 2 }, { db: gw.service.db, engine });
    const first = await statementFor(AWKWARD_SERIAL);
    if (engine === 'sqlite') {
      // No plans kept across statements: everything is bound.
      expect(first.params).toEqual(expect.arrayContaining(['Memory', AWKWARD_SERIAL, 2]));
      return;
    }
    expect(first.params).toEqual([]);
    expect(first.sql).toContain(`'Memory'::text`);
    for (let i = 1; i < 16; i += 1) expect((await statementFor(`sn-${i}`)).params).toEqual([]);
    const bound = await statementFor('sn-16');
    expect(bound.params).toHaveLength(3);
    expect(bound.params).toEqual(expect.arrayContaining(['Memory', 'sn-16', 2]));
    expect((await statementFor(AWKWARD_SERIAL)).params, 'a set of variables seen before keeps its text').toEqual([]);
  });

  it('aliases, fragments and repeated fields merge as GraphQL merges them', async () => {
    await same(`query Tree { a: devices(first: 2, filter: { deviceType: ["Chassis"] }) { ...Page } b: devices(first: 1) { totalCount } }
      fragment Page on QueryDevicesConnection { count: totalCount edges { node { ...D children { x: name ... on Node { id } } } } edges { node { children { uuid } } } }
      fragment D on Device { label: name name position { xname } position { state } }`);
    // Each `edges` of a root page is rows of its own in the statement, the empty page's too.
    await same(
      `{ c: devices(first: 3) { e1: edges { node { name } } total: totalCount e2: edges { node { uuid } } } d: devices(first: 0) { edges { node { name } } } }`,
    );
  });

  it('random selections of compiled fields', async () => {
    const leaf = (type: string) => fc.constantFrom(...leaves(type), '__typename');
    const alias = fc.option(fc.constantFrom('a', 'b', 'k_1'), { nil: undefined });
    const fields = (type: string, depth: number): fc.Arbitrary<string> => {
      const own = fc.uniqueArray(fc.tuple(leaf(type), alias), { minLength: 1, maxLength: 5, selector: ([f, a]) => a ?? f });
      // Any of the type's compiled relations, nested: children, parent, position, interfaces,
      // their addresses and cable, its ends, groups … (every list or object of COMPILED_TYPES).
      const nested =
        depth > 0
          ? fc
              .subarray(relations(type))
              .chain((picked) =>
                fc.tuple(...picked.map(({ name, type: related }) => fields(related, depth - 1).map((inner) => `${name} { ${inner} }`))),
              )
          : fc.constant([] as string[]);
      return fc.tuple(own, nested).map(([leafs, rel]) => [...leafs.map(([f, a]) => (a ? `${a}${f}: ${f}` : f)), ...rel].join(' '));
    };
    await fc.assert(
      fc.asyncProperty(fields('Device', 3), fc.integer({ min: 0, max: 12 }), async (selection, first) => {
        const document = `{ devices(first: ${first}, filter: { deviceType: ["Chassis", "MgmtSwitch", "NodeBMC", "Node", "NIC", "Memory"] }) { edges { node { ${selection} } } } }`;
        expect(await same(document), 'compiled: one statement').toBe(1);
      }),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 25), seed: Number(process.env.PROPERTY_SEED ?? 1449153990) },
    );
  });
});

describe('what stays with the resolvers', () => {
  it('cursors, pageInfo, @include and other fields are answered by the resolvers', async () => {
    const cursor = (await gw.gql(`{ devices(first: 1) { edges { cursor } } }`)).data.devices.edges[0].cursor;
    // With totalCount the resolvers need two statements at least; a compiled read needs one.
    for (const document of [
      `{ devices(first: 2, after: "${cursor}") { totalCount edges { node { name } } } }`,
      `{ devices(first: 2) { totalCount pageInfo { hasNextPage } edges { node { name } } } }`,
      `query($c: Boolean!) { devices(first: 2) { totalCount edges { node { name @include(if: $c) } } } }`,
      `{ devices(first: 2) { totalCount edges { node { name descendants(maxDepth: 1) { name } } } } }`,
      `{ devices(first: 2, filter: { xnamePrefix: "x1000c0" }) { totalCount edges { node { name } } } }`,
      // A count per group row would recount a large group for each member (compiled-read/group-sql.ts).
      `{ devices(first: 2) { totalCount edges { node { name groups { memberCount } } } } }`,
    ]) {
      const statements = await same(document, { c: true });
      expect(statements, document).toBeGreaterThan(1);
    }
    expect(await same(`{ devices(first: 2) { totalCount edges { node { name } } } }`)).toBe(1);
  });

  it('a failed statement answers as a failed resolver: typed 503 when the database is away, null and an error otherwise', async () => {
    const prisma = gw.db.prisma as unknown as { $queryRawUnsafe: (...args: unknown[]) => Promise<unknown> };
    const original = prisma.$queryRawUnsafe;
    try {
      prisma.$queryRawUnsafe = () => Promise.reject(Object.assign(new Error("Can't reach database server"), { code: 'P1001' }));
      const away = await gw.gql(`{ devices(first: 1) { totalCount } }`);
      expect(away.data).toBeNull();
      expect(away.errors?.[0]).toMatchObject({ path: ['devices'], extensions: { code: 'SERVICE_UNAVAILABLE' } });

      prisma.$queryRawUnsafe = () => Promise.reject(new Error('syntax error at or near "SELECT"'));
      const broken = await gw.gql(`{ __typename device(id: "${nodeId}") { name } }`);
      expect(broken.data).toEqual({ __typename: 'Query', device: null });
      expect(broken.errors?.[0]?.path).toEqual(['device']);
    } finally {
      prisma.$queryRawUnsafe = original;
    }
  });
});

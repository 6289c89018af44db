// Compiled reads (src/schema/plugins/compiled-execution.ts, src/schema/compiled-read): on both
// engines a devices/device tree document is answered by one SQL statement that writes the JSON itself.
// Its answers must be the resolvers' answers, field for field: every document here is asked of
// the app (compiled where it can be) and executed by graphql-js over the same schema and data
// (the resolvers), and the two must be equal, on PostgreSQL and on SQLite (whose dialect writes
// booleans, Json, DateTimes and Relay ids its own way: src/schema/compiled-read/dialect.ts).
import fc from 'fast-check';
import { type ExecutionResult, execute, type GraphQLObjectType, getNullableType, isListType, isNonNullType, parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCluster } from '../../src/fixtures/synthetic-cluster.js';
import { getDatamodel } from '../../src/generated/pothos-types.js';
import { createLoaders } from '../../src/loaders/index.js';
import { COMPILED_TYPES } from '../../src/schema/compiled-read/fields.js';
import { schema } from '../../src/schema/index.js';
import { loadInventory } from '../../src/services/core/bulk-load.js';
import { createDevice, deleteDevice } from '../../src/services/inventory/device.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';

let gw: TestGateway;
let nodeId: string;

beforeAll(async () => {
  // Random selections may use many aliases and tokens: this file tests answers, not limits.
  gw = await startTestGateway({ graphqlLimits: { maxAliases: 10_000, maxTokens: 100_000, maxDepth: 100 } });
  await loadInventory({ ...gw.service, source: 'seed' }, generateCluster({ nodes: 40 }));
  const first = await gw.gql(`{ devices(first: 1, filter: { deviceType: ["Node"] }) { edges { node { uuid children { uuid } } } } }`);
  const node = first.data.devices.edges[0].node;
  nodeId = node.uuid;
  // Values JSON must escape, a nameless device (sorts last), nested JSON, a deleted child.
  await createDevice(gw.service, {
    deviceType: 'Memory',
    parentId: nodeId,
    serialNumber: 'SN "quoted" \\ back\nline\ttab \u0001 é 日本 \u2028',
    description: '',
    providerMetadata: { redfish: { uri: '/redfish/v1/Systems/1/Memory/9', 'odd key': [1, 2.5, true, null, { deep: 'x' }] } },
  } as never);
  await deleteDevice(gw.service, node.children[0].uuid);
}, 120_000);

afterAll(() => gw.close());

/** The resolvers' answer: graphql-js over the schema, with the context yoga would build. */
async function byResolvers(document: string, variables?: Record<string, unknown>): Promise<ExecutionResult> {
  const db = gw.db.prisma;
  const contextValue = { db, engine: gw.db.engine, loaders: createLoaders(), service: { db, source: 'graphql' as const } };
  return JSON.parse(JSON.stringify(await execute({ schema, document: parse(document), variableValues: variables, contextValue })));
}

/** Asks the app and the resolvers; they must agree. Returns the app's SQL statement count. */
async function same(document: string, variables?: Record<string, unknown>): Promise<number> {
  const app = await gw.gql(document, variables);
  const expected = await byResolvers(document, variables);
  expect(expected.errors, 'the document itself must be fine').toBeUndefined();
  expect({ data: app.data, errors: app.errors }).toEqual({ data: expected.data, errors: undefined });
  return app.statements;
}

const leaves = (type: string) =>
  Object.entries(COMPILED_TYPES[type]?.fields ?? {})
    .filter(([, sql]) => sql.kind === 'column' || sql.kind === 'globalId')
    .map(([name]) => name);

const EVERY_DEVICE_FIELD = `${leaves('Device').join(' ')} __typename
  parent { id name __typename }
  position { ${leaves('Component').join(' ')} __typename }`;

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

  it('the bench tree and list documents, whole', async () => {
    const tree = `{ devices(first: 500, filter: { deviceType: ["Cabinet"] }) { totalCount edges { node { name position { xname state }
      children { name children { name children { name position { xname nid } children { name deviceType serialNumber } } } } } } } }`;
    expect(await same(tree)).toBe(1);
    await same(
      `{ devices(first: 100, filter: { deviceType: ["Memory"], manufacturer: "Micron" }) { edges { node { name serialNumber parent { name } } } } }`,
    );
  });

  it('filters, paging and ids as the resolvers read them', async () => {
    const node = `query($id: ID!) { device(id: $id) { name children { name serialNumber description providerMetadata deletedAt } } }`;
    const global = Buffer.from(`Device:${nodeId}`).toString('base64');
    for (const id of [nodeId, global, '00000000-0000-4000-8000-000000000000']) await same(node, { id });
    const page = `query($f: DeviceFilter, $n: Int) { devices(first: $n, filter: $f) { totalCount edges { node { uuid name deviceType } } } }`;
    for (const [f, n] of [
      [{ deviceType: ['Memory'], includeDeleted: true }, 500],
      [{ deviceType: ['Memory', 'GPU'] }, 0],
      [{ roots: true }, 10],
      [{ parentId: nodeId, includeDeleted: true }, null],
      [{ manufacturer: 'NVIDIA', deviceType: [] }, 3],
      [{ property: { key: 'cooling', value: 'liquid' } }, 5],
      [null, undefined],
    ] as const) {
      await same(page, { f, n });
    }
  });

  it('aliases, fragments and repeated fields merge as GraphQL merges them', async () => {
    await same(`query Tree { a: devices(first: 2, filter: { deviceType: ["Chassis"] }) { ...Page } b: devices(first: 1) { totalCount } }
      fragment Page on QueryDevicesConnection { count: totalCount edges { node { ...D children { x: name ... on Node { id } } } } edges { node { children { uuid } } } }
      fragment D on Device { label: name name position { xname } position { state } }`);
  });

  it('random selections of compiled fields', async () => {
    const leaf = (type: string) => fc.constantFrom(...leaves(type), '__typename');
    const alias = fc.option(fc.constantFrom('a', 'b', 'k_1'), { nil: undefined });
    const fields = (type: string, depth: number): fc.Arbitrary<string> => {
      const own = fc.uniqueArray(fc.tuple(leaf(type), alias), { minLength: 1, maxLength: 5, selector: ([f, a]) => a ?? f });
      const nested =
        type === 'Device' && depth > 0
          ? fc
              .subarray(['children', 'parent', 'position'])
              .chain((names) =>
                fc.tuple(
                  ...names.map((name) =>
                    fields(name === 'position' ? 'Component' : 'Device', depth - 1).map((inner) => `${name} { ${inner} }`),
                  ),
                ),
              )
          : fc.constant([] as string[]);
      return fc.tuple(own, nested).map(([leafs, rel]) => [...leafs.map(([f, a]) => (a ? `${a}${f}: ${f}` : f)), ...rel].join(' '));
    };
    await fc.assert(
      fc.asyncProperty(fields('Device', 3), fc.integer({ min: 0, max: 12 }), async (selection, first) => {
        await same(
          `{ devices(first: ${first}, filter: { deviceType: ["Chassis", "Node", "Memory"] }) { edges { node { ${selection} } } } }`,
        );
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

// GraphQL query limits over real HTTP: the bench's dashboard documents pass the defaults; a
// document too deep, too costly, with too many aliases or tokens, or asking for too large a
// page is refused with a 400 and a clear error before one SQL statement runs; introspection
// can be turned off; persisted-only runs stored documents by hash and nothing else; unexpected
// errors (a real driver error) are masked with a request id.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getIntrospectionQuery } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIST_DOCUMENT, TREE_DOCUMENT } from '../../bench/lib/cases.js';
import { generateCluster } from '../../src/fixtures/synthetic-cluster.js';
import { loadPersistedDocuments } from '../../src/schema/plugins/limits.js';
import { ConfigError, parseCommandLine } from '../../src/server/config.js';
import { loadInventory } from '../../src/services/core/bulk-load.js';
import { startTestGateway, type TestGateway, type TestGatewayOptions } from '../support/gateway.js';
import { type RunningServer, serveOnLoopback } from '../support/http-server.js';

interface Reply {
  status: number;
  statements: number;
  requestId: string | null;
  text: string;
  body: { data?: any; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> };
}

interface Served {
  gw: TestGateway;
  server: RunningServer;
  post(body: unknown, accept?: string): Promise<Reply>;
}

const served: Served[] = [];
const scratch = mkdtempSync(join(tmpdir(), 'graphql-limits-'));

async function serve(options: TestGatewayOptions = {}): Promise<Served> {
  const gw = await startTestGateway(options);
  const server = await serveOnLoopback(gw.app);
  const post = async (body: unknown, accept = 'application/graphql-response+json'): Promise<Reply> => {
    const response = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await response.text();
    return {
      status: response.status,
      statements: Number(response.headers.get('x-sql-statements')),
      requestId: response.headers.get('x-request-id'),
      text,
      body: JSON.parse(text),
    };
  };
  const entry = { gw, server, post };
  served.push(entry);
  return entry;
}

afterAll(async () => {
  for (const { gw, server } of served) {
    await server.close();
    await gw.close();
  }
  rmSync(scratch, { recursive: true, force: true });
});

/** A refusal: 400, the code, a message matching `message`, and no SQL run at all. */
function expectRefused(reply: Reply, code: string, message: RegExp) {
  expect(reply.status, reply.text).toBe(400);
  expect(reply.body.data ?? null).toBeNull();
  expect(reply.body.errors?.[0].extensions?.code, reply.text).toBe(code);
  expect(reply.body.errors?.[0].message).toMatch(message);
  expect(reply.statements, 'refused before any SQL').toBe(0);
}

// The bench tree with every level paged through childrenConnection: depth 16.
const CONNECTION_TREE = `{ devices(first: 20, filter: { deviceType: ["Cabinet"] }) { edges { node { name
  childrenConnection(first: 10) { edges { node { name
    childrenConnection(first: 10) { edges { node { name
      childrenConnection(first: 10) { edges { node { name position { xname }
        childrenConnection(first: 20) { edges { node { name deviceType } } } } } }
    } } }
  } } }
} } } }`;

describe('default limits', () => {
  let gateway: Served;
  beforeAll(async () => {
    gateway = await serve();
    await loadInventory({ ...gateway.gw.service, source: 'seed' }, generateCluster({ nodes: 24 }));
  }, 120_000);

  it.each([
    ['the bench 5-level tree', TREE_DOCUMENT],
    ['the bench filtered list', LIST_DOCUMENT],
    ['the tree through childrenConnection (depth 16)', CONNECTION_TREE],
    [
      "GraphiQL's introspection query",
      getIntrospectionQuery({ descriptions: true, inputValueDeprecation: true, specifiedByUrl: true, directiveIsRepeatable: true }),
    ],
  ])('%s runs', async (_name, query) => {
    const reply = await gateway.post({ query });
    expect(reply.status, reply.text).toBe(200);
    expect(reply.body.errors).toBeUndefined();
    expect(JSON.stringify(reply.body.data).length).toBeGreaterThan(200);
  });

  it('the bench tree is well inside the cost limit: three of it in one request still run', async () => {
    const threeTrees = `{ ${[1, 2, 3].map((i) => `t${i}: ${TREE_DOCUMENT.slice(2, -2)}`).join(' ')} }`;
    const reply = await gateway.post({ query: threeTrees });
    expect(reply.status, reply.text).toBe(200);
    expect(reply.body.data.t3.edges.length).toBeGreaterThan(0);
  });

  it('refuses a query nested too deep', async () => {
    const query = `{ devices(first: 1) { edges { node { ${'parent { '.repeat(20)}name${' }'.repeat(20)} } } } }`;
    const reply = await gateway.post({ query });
    expectRefused(reply, 'QUERY_LIMIT_EXCEEDED', /too deep: depth 24, at most 20 \(--max-depth\)/);
    expect(reply.body.errors?.[0].extensions).toMatchObject({ limit: 'depth', max: 20, actual: 24 });
  });

  it('counts depth through fragments and introspection fields too', async () => {
    const nested = `__type(name: "Device") { ${'fields { type { '.repeat(10)}name${' } }'.repeat(10)} }`;
    expectRefused(await gateway.post({ query: `{ ${nested} }` }), 'QUERY_LIMIT_EXCEEDED', /too deep/);
    const viaFragment = `query { devices(first: 1) { ...Deep } } fragment Deep on QueryDevicesConnection { edges { node { ${'parent { '.repeat(18)}name${' }'.repeat(18)} } } }`;
    expectRefused(await gateway.post({ query: viaFragment }), 'QUERY_LIMIT_EXCEEDED', /too deep: depth 22/);
  });

  // Positions and their interfaces are not tree rows: each list counts its page or 10 per parent.
  const INTERFACES = '{ components(first: 500) { edges { node { interfaces { ipAddresses { address } } } } } }';

  it('refuses a query whose answer could hold too many rows, before any SQL', async () => {
    // 500 components + 5,000 interfaces + 50,000 addresses: one runs, two do not.
    expect((await gateway.post({ query: INTERFACES })).status).toBe(200);
    const twice = `{ a: ${INTERFACES.slice(2, -2)} b: ${INTERFACES.slice(2, -2)} }`;
    const reply = await gateway.post({ query: twice });
    expectRefused(
      reply,
      'QUERY_LIMIT_EXCEEDED',
      /too costly: an estimated 111000 rows, at most 100000 \(--max-cost\); page \(first\/after\), narrow/,
    );
    expect(reply.body.errors?.[0].extensions).toMatchObject({ limit: 'cost', max: 100_000, actual: 111_000 });
  });

  it('refuses the cost through variables, checked on every request (verdicts kept per variables)', async () => {
    const query = `query($n: Int) { a: ${INTERFACES.slice(2, -2).replace('500', '$n')} b: ${INTERFACES.slice(2, -2).replace('500', '$n')} }`;
    // Alternating: the same document's kept verdict for one set of variables is never another's.
    for (let round = 0; round < 2; round++) {
      expect((await gateway.post({ query, variables: { n: 5 } })).status).toBe(200);
      expectRefused(await gateway.post({ query, variables: { n: 500 } }), 'QUERY_LIMIT_EXCEEDED', /too costly/);
      expectRefused(await gateway.post({ query, variables: { n: 501 } }), 'BAD_USER_INPUT', /first: 501/);
    }
  });

  it('refuses too many aliases', async () => {
    const aliases = Array.from({ length: 31 }, (_, i) => `a${i}: name`).join(' ');
    const reply = await gateway.post({ query: `{ devices(first: 1) { edges { node { ${aliases} } } } }` });
    expectRefused(reply, 'QUERY_LIMIT_EXCEEDED', /Too many aliases: 31, at most 30 \(--max-aliases\)/);
  });

  it('refuses a document with too many tokens before parsing it all', async () => {
    const reply = await gateway.post({ query: `{ devices(first: 1) { edges { node { ${'name '.repeat(2_000)} } } } }` });
    expectRefused(reply, 'QUERY_LIMIT_EXCEEDED', /more than 2000 tokens \(--max-tokens\)/);
  });

  it.each([
    ['a root connection', '{ devices(first: 501) { totalCount } }', /devices\(first: 501\): a page holds 0 to 500 items/],
    [
      'a nested connection',
      '{ devices(first: 1) { edges { node { childrenConnection(last: 600) { totalCount } } } } }',
      /childrenConnection\(last: 600\)/,
    ],
    ['a list with a page size', '{ devices(first: 1) { edges { node { history(last: 1000) { seq } } } } }', /history\(last: 1000\)/],
    ['a negative page', '{ devices(first: -1) { totalCount } }', /devices\(first: -1\)/],
    ['a variable default', 'query($n: Int = 10000) { changes(last: $n) { edges { cursor } } }', /changes\(last: 10000\)/],
  ])('refuses too large a page: %s, naming the argument', async (_name, query, message) => {
    const reply = await gateway.post({ query });
    expectRefused(reply, 'BAD_USER_INPUT', message);
    expect(reply.body.errors?.[0].extensions?.field).toMatch(/^(first|last)$/);
  });

  it('refuses a page size given as a variable', async () => {
    const reply = await gateway.post({ query: 'query($n: Int) { devices(first: $n) { totalCount } }', variables: { n: 501 } });
    expectRefused(reply, 'BAD_USER_INPUT', /devices\(first: 501\)/);
    expect(reply.body.errors?.[0].extensions).toMatchObject({ field: 'first', max: 500, actual: 501 });
  });

  it('answers 400 with application/json too', async () => {
    const reply = await gateway.post({ query: '{ devices(first: 501) { totalCount } }' }, 'application/json');
    expectRefused(reply, 'BAD_USER_INPUT', /a page holds/);
  });
});

describe('locked down: persisted documents only, no introspection, tighter limits', () => {
  const TREE_HASH = createHash('sha256').update(TREE_DOCUMENT).digest('hex');
  const DEEP = '{ devices(first: 1) { edges { node { parent { parent { parent { parent { parent { name } } } } } } } } }';
  const DEEP_HASH = createHash('sha256').update(DEEP).digest('hex');
  let gateway: Served;

  beforeAll(async () => {
    const file = join(scratch, 'persisted.json');
    writeFileSync(
      file,
      JSON.stringify({ [TREE_HASH]: TREE_DOCUMENT, [DEEP_HASH]: DEEP, introspect: '{ __schema { queryType { name } } }' }),
    );
    gateway = await serve({ graphqlLimits: { persistedDocuments: file, persistedOnly: true, introspection: false, maxDepth: 8 } });
    await loadInventory({ ...gateway.gw.service, source: 'seed' }, generateCluster({ nodes: 4 }));
  }, 120_000);

  const byHash = (sha256Hash: string) => ({ extensions: { persistedQuery: { version: 1, sha256Hash } } });

  it('runs a persisted document by its hash', async () => {
    const reply = await gateway.post(byHash(TREE_HASH));
    expect(reply.status, reply.text).toBe(200);
    expect(reply.body.data.devices.totalCount).toBeGreaterThan(0);
    expect(reply.statements).toBeGreaterThan(0);
  });

  it('refuses an ad-hoc document, even a trivial one', async () => {
    expectRefused(await gateway.post({ query: '{ __typename }' }), 'PERSISTED_QUERY_ONLY', /Only persisted documents run here/);
  });

  it('refuses an unknown hash', async () => {
    expectRefused(await gateway.post(byHash('0'.repeat(64))), 'PERSISTED_QUERY_NOT_FOUND', /No persisted document has this hash/);
  });

  it('still applies the limits and the introspection switch to persisted documents', async () => {
    expectRefused(await gateway.post(byHash(DEEP_HASH)), 'QUERY_LIMIT_EXCEEDED', /depth 9, at most 8/);
    const introspection = await gateway.post(byHash('introspect'));
    expect(introspection.status).toBe(400);
    expect(introspection.body.errors?.[0].message).toMatch(/introspection has been disabled/);
    expect(introspection.statements).toBe(0);
  });
});

describe('introspection off, ad-hoc documents allowed', () => {
  let gateway: Served;
  beforeAll(async () => {
    const file = join(scratch, 'persisted-optional.json');
    writeFileSync(file, JSON.stringify({ count: '{ devices { totalCount } }' }));
    gateway = await serve({ graphqlLimits: { introspection: false, persistedDocuments: file } });
  }, 120_000);

  it('refuses __schema and __type but answers __typename and ordinary queries', async () => {
    for (const query of ['{ __schema { types { name } } }', '{ __type(name: "Device") { name } }']) {
      const reply = await gateway.post({ query });
      expect(reply.status).toBe(400);
      expect(reply.body.errors?.[0].message).toMatch(/introspection has been disabled/);
    }
    const plain = await gateway.post({ query: '{ __typename devices { totalCount } }' });
    expect(plain.body).toEqual({ data: { __typename: 'Query', devices: { totalCount: 0 } } });
    const persisted = await gateway.post({ extensions: { persistedQuery: { version: 1, sha256Hash: 'count' } } });
    expect(persisted.body).toEqual({ data: { devices: { totalCount: 0 } } });
  });
});

describe('masked errors (production)', () => {
  let gateway: Served;
  beforeAll(async () => {
    gateway = await serve({ exposeErrors: false });
    await gateway.gw.db.prisma.$executeRawUnsafe('ALTER TABLE "Rack" RENAME COLUMN "name" TO "name_was_renamed"');
  }, 120_000);

  it('answers a driver error as "Unexpected error." with the request id, and nothing of the SQL', async () => {
    const reply = await gateway.post({ query: '{ racks { edges { node { name } } } }' });
    expect(reply.statements, 'the query reached the database').toBeGreaterThan(0);
    expect(reply.body.errors).toHaveLength(1);
    expect(reply.body.errors?.[0].message).toBe('Unexpected error.');
    expect(reply.body.errors?.[0].extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR', requestId: reply.requestId });
    expect(reply.requestId).toBeTruthy();
    expect(reply.text).not.toMatch(/name_was_renamed|prisma|select|no such column|does not exist|sqlite|postgres|stack|\.ts:/i);
  });

  it('keeps typed errors: message, code and field', async () => {
    const reply = await gateway.post({
      query: 'mutation { updateDevice(id: "8c1f6a52-6e8e-4d0b-9a59-2b5a3c7d9e10", input: { name: "x" }) { name } }',
    });
    expect(reply.body.errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND', field: 'id' });
    expect(reply.body.errors?.[0].message).not.toBe('Unexpected error.');
    expect(reply.body.errors?.[0].extensions?.requestId).toBeUndefined();
  });
});

describe('configuration', () => {
  it('has the limits as options, with their defaults', () => {
    const { config } = parseCommandLine([], {});
    expect(config).toMatchObject({
      maxDepth: 20,
      maxCost: 100_000,
      maxAliases: 30,
      maxTokens: 2_000,
      maxPageSize: 500,
      introspection: true,
      persistedOnly: false,
    });
    const set = parseCommandLine(['--max-depth', '12', '--max-page-size', '1000', '--no-introspection'], {
      GRAPHQL_MAX_COST: '5000',
    }).config;
    expect(set).toMatchObject({ maxDepth: 12, maxPageSize: 1000, maxCost: 5000, introspection: false });
  });

  it('refuses bad limits and persisted-document files with a clear message', () => {
    expect(() => parseCommandLine(['--max-depth', '0'], {})).toThrow(/--max-depth: must be 1 or more/);
    expect(() => parseCommandLine(['--max-page-size', '20000'], {})).toThrow(/must be 1-10000/);
    expect(() => parseCommandLine(['--persisted-only'], {})).toThrow(ConfigError);
    const bad = join(scratch, 'bad.json');
    writeFileSync(bad, JSON.stringify({ abc: '{ devices { ' }));
    expect(() => parseCommandLine(['--persisted-documents', bad], {})).toThrow(/"abc": Syntax Error/);
    expect(() => loadPersistedDocuments(join(scratch, 'missing.json'))).toThrow(/missing\.json/);
  });
});

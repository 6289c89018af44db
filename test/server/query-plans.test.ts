// Every page the faces serve is read through an index: the SQL each list request really runs
// (captured from Prisma's query log) is EXPLAINed on this engine — SQLite's EXPLAIN QUERY PLAN,
// PostgreSQL's EXPLAIN (FORMAT JSON) with sequential scans disabled, as on a table too big to
// scan — and a full table scan, or a sort over a scan that no condition bounds, fails the test:
// that is a page whose cost grows with the table instead of with the page.
// Totals are not checked: an exact count reads every match, and is computed only when asked.
import Sqlite from 'better-sqlite3';
import pg from 'pg';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdapterFactory } from '../../src/db/adapter.js';
import { bindEngine, type Db } from '../../src/db/client.js';
import { parseDatabaseUrl } from '../../src/db/database-url.js';
import { generateCluster } from '../../src/fixtures/synthetic-cluster.js';
import { PrismaClient as PgClient } from '../../src/generated/postgresql/client.js';
import { PrismaClient as SqliteClient } from '../../src/generated/sqlite/client.js';
import { createApp } from '../../src/server/app.js';
import { createMetrics } from '../../src/server/metrics.js';
import { identityStatement } from '../../src/services/cloud-init/nocloud-identity-sql.js';
import { loadInventory } from '../../src/services/core/bulk-load.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

/** Prisma's query log, as both engines' clients emit it. */
interface QueryLog {
  $on(event: 'query', listener: (event: { query: string; params: string }) => void): void;
}

interface Statement {
  sql: string;
  params: unknown[];
}

let db: TestDatabase;
let logging: { $disconnect(): Promise<void> };
let app: ReturnType<typeof createApp>;
const captured: Statement[] = [];
let explain: (statement: Statement) => Promise<string[]>;
let closeExplain: () => Promise<void>;

// The cost limit's tree profile (src/services/core/tree-profile-queries.ts) reads the whole
// Device table once a minute by design; it is not part of any page.
const TREE_PROFILE = /GROUP BY "deviceType"|per_parent|WITH RECURSIVE tree\(root/;

beforeAll(async () => {
  db = await createTestDatabase();
  await loadInventory({ db: db.prisma, source: 'seed', actor: 'test' }, generateCluster({ nodes: 16, seed: 5 }), { engine: db.engine });
  // A second client on the same database with Prisma's query log on, serving the app: the log
  // gives the exact SQL and parameters of every statement a request runs.
  const target = parseDatabaseUrl(db.url);
  const options = { adapter: createAdapterFactory(target), log: [{ emit: 'event' as const, level: 'query' as const }] };
  const client = db.engine === 'sqlite' ? new SqliteClient(options) : new PgClient(options);
  (client as unknown as QueryLog).$on('query', (event) => captured.push({ sql: event.query, params: JSON.parse(event.params) }));
  logging = client;
  bindEngine(client as unknown as Parameters<typeof bindEngine>[0], db.prisma);
  app = createApp({ database: { ...db, prisma: client as unknown as Db }, logger: pino({ level: 'silent' }), metrics: createMetrics() });

  if (db.engine === 'sqlite') {
    const direct = new Sqlite(target.url.replace(/^file:/, ''), { readonly: true });
    // No ANALYZE: the gateway never runs it, so its planner works without statistics too.
    explain = async ({ sql, params }) =>
      sqlitePlanLines(direct.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params.map(sqliteValue)) as SqliteNode[]);
    closeExplain = async () => {
      direct.close();
    };
  } else {
    const direct = schemaSession();
    await direct.connect();
    await direct.query('ANALYZE');
    await direct.query('SET enable_seqscan = off');
    explain = async ({ sql, params }) => {
      const { rows } = await direct.query({ text: `EXPLAIN (FORMAT JSON) ${sql}`, values: params });
      return pgPlanLines((rows[0] as { 'QUERY PLAN': Array<{ Plan: PgNode }> })['QUERY PLAN'][0]?.Plan as PgNode);
    };
    closeExplain = () => direct.end();
  }
}, 120_000);

afterAll(async () => {
  await closeExplain?.();
  await logging?.$disconnect();
  await db?.destroy();
});

/** A session of its own on the test's PostgreSQL database, in the test's schema, no Prisma. */
function schemaSession(): pg.Client {
  const schema = new URL(db.url).searchParams.get('schema') as string;
  return new pg.Client({ connectionString: db.url.replace(/[?&]schema=[^&]*/, ''), options: `-c search_path="${schema}"` });
}

const sqliteValue = (value: unknown) => (typeof value === 'boolean' ? Number(value) : value);

interface PgNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Index Cond'?: string;
  'Recheck Cond'?: string;
  Plans?: PgNode[];
}

/** One line per plan node, `Node Type [on relation] [using index] [cond]`, indented by depth. */
function pgPlanLines(node: PgNode, depth = 0): string[] {
  const cond = node['Index Cond'] ?? node['Recheck Cond'];
  const line = `${'  '.repeat(depth)}${node['Node Type']}${node['Relation Name'] ? ` on ${node['Relation Name']}` : ''}${
    node['Index Name'] ? ` using ${node['Index Name']}` : ''
  }${cond ? ` cond ${cond}` : ''}`;
  return [line, ...(node.Plans ?? []).flatMap((child) => pgPlanLines(child, depth + 1))];
}

interface SqliteNode {
  id: number;
  parent: number;
  detail: string;
}

/** SQLite's plan rows, each indented by its depth (as pgPlanLines), so a step's siblings are known. */
function sqlitePlanLines(nodes: SqliteNode[]): string[] {
  const depth = new Map<number, number>([[0, -1]]);
  return nodes.map((node) => {
    const d = (depth.get(node.parent) ?? -1) + 1;
    depth.set(node.id, d);
    return `${'  '.repeat(d)}${node.detail}`;
  });
}

const depthOf = (line: string) => line.length - line.trimStart().length;

/** The lines of the same scope as plan[i]: its siblings under the same parent. */
function siblingsOf(plan: string[], i: number): string[] {
  const depth = depthOf(plan[i] as string);
  const within = (j: number) => depthOf(plan[j] as string) >= depth;
  let first = i;
  while (first > 0 && within(first - 1)) first--;
  let last = i;
  while (last + 1 < plan.length && within(last + 1)) last++;
  return plan.slice(first, last + 1).filter((line) => depthOf(line) === depth);
}

/**
 * SQLite's scans of a table, not of the statement's constant row, a bound list (json_each), or
 * the page or a WITH's rows, which SQLite runs as a co-routine or materializes and reads back from.
 */
function tableScans(plan: string[], lines: string[]): string[] {
  const pages = new Set(plan.flatMap((line) => /^(?:CO-ROUTINE|MATERIALIZE) (\S+)/.exec(line.trim())?.[1] ?? []));
  return lines.filter((line) => {
    const scanned = /^SCAN (.+)$/.exec(line.trim())?.[1];
    return scanned !== undefined && scanned !== 'CONSTANT ROW' && !scanned.startsWith('json_each') && !pages.has(scanned);
  });
}

type Fetch = () => Response | Promise<Response>;

/** Why a plan reads more than its page, or undefined when it does not. */
function unboundedRead(plan: string[]): string | undefined {
  if (db.engine === 'sqlite') {
    // `SCAN t` alone is a walk in the table's own order (an INTEGER PRIMARY KEY such as
    // ChangeEvent.seq is the table's B-tree) that stops at the page's LIMIT; sorting the scan
    // first reads all of it. A sort of rows already bounded (a compiled read's answer rows, read
    // from the page's co-routine) is not.
    for (const [i, line] of plan.entries()) {
      if (!/USE TEMP B-TREE FOR (RIGHT PART OF )?ORDER BY/.test(line)) continue;
      const [scan] = tableScans(plan, siblingsOf(plan, i));
      if (scan) return `a sort of a whole scan (${scan.trim()})`;
    }
    return undefined;
  }
  if (plan.some((line) => line.trim().startsWith('Seq Scan'))) return 'a sequential scan';
  // A Sort is fine over rows an index condition bounds (the children of a page), not over a whole index.
  for (const [i, line] of plan.entries()) {
    if (!line.trim().startsWith('Sort')) continue;
    const depth = depthOf(line);
    const below: string[] = [];
    for (const next of plan.slice(i + 1)) {
      if (depthOf(next) <= depth) break;
      below.push(next);
    }
    // …nor over a LIMITed page (a compiled read's answer: its pieces, read from levels under the page).
    if (!below.some((l) => l.includes(' cond ') || l.trim().startsWith('Limit'))) return 'a sort of a whole scan';
  }
  return undefined;
}

/** The statements a request runs (tree-profile statements aside) and each one's plan. */
async function plansOf(request: Fetch): Promise<Array<Statement & { plan: string[] }>> {
  captured.length = 0;
  const response = await request();
  const text = await response.text();
  expect(response.status, text).toBe(200);
  expect(text).not.toContain('"errors"');
  const statements = captured.filter((s) => !TREE_PROFILE.test(s.sql) && /^\s*(SELECT|WITH)/i.test(s.sql));
  expect(statements.length).toBeGreaterThan(0);
  const plans: Array<Statement & { plan: string[] }> = [];
  for (const s of statements) plans.push({ ...s, plan: await explain(s) });
  return plans;
}

/**
 * Prisma's "no limit" on a list that is not the rows of a page (those load by
 * `IN (…)`): the page would read every row from its start on, in order, however well indexed
 * (Prisma 7 pages that way after a cursor, which src/schema/keyset-connection.ts replaces).
 */
function unlimited({ sql, params }: Statement): boolean {
  if (!/ORDER BY/.test(sql) || / IN \(/.test(sql)) return false;
  // SQLite says "no limit" as `LIMIT -1`; PostgreSQL leaves the LIMIT out.
  if (/LIMIT (\?|\$\d+) OFFSET (\?|\$\d+)\s*$/.test(sql)) return Number(params.at(-2)) === -1;
  return !/LIMIT/.test(sql);
}

async function expectIndexed(request: Fetch) {
  for (const { sql, params, plan } of await plansOf(request)) {
    expect(unlimited({ sql, params }), `a page without a LIMIT:\n${sql}`).toBe(false);
    const why = unboundedRead(plan);
    expect(why, `${why}:\n${sql}\n${plan.join('\n')}`).toBeUndefined();
  }
}

const gql = (query: string) => () =>
  app.fetch(
    new Request('http://gateway.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ query }),
    }),
  );
const get = (path: string) => () => app.fetch(new Request(`http://gateway.test${path}`));

async function endCursor(query: string): Promise<string> {
  const body = (await (await gql(query)()).json()) as { data: Record<string, { pageInfo: { endCursor: string } }> };
  return (Object.values(body.data)[0] as { pageInfo: { endCursor: string } }).pageInfo.endCursor;
}

describe('GraphQL connections', () => {
  for (const [list, fields] of [
    ['devices', 'id name'],
    ['components', 'id xname'],
    ['changes', 'seq'],
    ['interfaces', 'id macAddress'],
    ['groups', 'id name'],
    ['cables', 'id label'],
    ['locations', 'id name'],
    ['racks', 'id name'],
  ] as const) {
    it(`${list}: the first page and a page after a cursor`, async () => {
      await expectIndexed(gql(`{ ${list}(first: 50) { edges { node { ${fields} } } } }`));
      const after = await endCursor(`{ ${list}(first: 5) { pageInfo { endCursor } } }`);
      if (after) await expectIndexed(gql(`{ ${list}(first: 50, after: "${after}") { edges { node { ${fields} } } } }`));
    });
  }

  it('devices of one type, first page and after a cursor', async () => {
    await expectIndexed(gql('{ devices(first: 50, filter: { deviceType: ["Node"] }) { edges { node { id name } } } }'));
    const after = await endCursor('{ devices(first: 5, filter: { deviceType: ["Node"] }) { pageInfo { endCursor } } }');
    await expectIndexed(gql(`{ devices(first: 50, after: "${after}", filter: { deviceType: ["Node"] }) { edges { node { id } } } }`));
  });
});

/**
 * A table a correlated subquery reads whole, once per parent row. unboundedRead lets SQLite's
 * plain `SCAN` pass (a page's walk that stops at its LIMIT); in a subquery it has no LIMIT to stop
 * at. Not scans of tables: the statement's constant row, a bound list (json_each), and the page
 * or a WITH's rows, which SQLite runs as a co-routine or materializes and reads back from.
 */
function subqueryScan(plan: string[]): string | undefined {
  if (db.engine !== 'sqlite') return plan.find((line) => line.trim().startsWith('Seq Scan'));
  return tableScans(plan, plan)[0];
}

describe('compiled GraphQL reads', () => {
  // One statement: each relation is a correlated subquery, which must find its rows by an index
  // on the parent's key (string_agg's own sort is then of one parent's rows).
  it("a tree's interfaces, addresses, cables with both ends and groups: every subquery through an index", async () => {
    const ends = 'terminations { end interface { name device { name } component { xname } } }';
    const request = gql(`{ devices(first: 50, filter: { deviceType: ["Node"] }) { edges { node { name
        groups { name } position { xname groups { name } interfaces { macAddress } device { name } }
        interfaces { name ipAddresses { address } cable { label ${ends} } }
        cables { label ${ends} }
        children { name interfaces { name cable { label } } } } } } }`);
    await expectIndexed(request);
    const [statement, ...more] = await plansOf(request);
    expect(more, 'one statement').toEqual([]);
    expect(subqueryScan(statement?.plan ?? []), statement?.plan.join('\n')).toBeUndefined();
  });

  it('the check fails a subquery that reads its table whole for every row', async () => {
    // Device.model has no index: each page row's subquery scans Device.
    const plan = await explain({
      sql: `SELECT (SELECT count(*) FROM "Device" d WHERE d."model" = p."name") FROM (SELECT * FROM "Device" WHERE "deletedAt" IS NULL ORDER BY "name", "id" LIMIT 5) p`,
      params: [],
    });
    expect(subqueryScan(plan), plan.join('\n')).toBeDefined();
  });
});

describe('NoCloud', () => {
  // A boot storm's batches: the nodes behind a list of addresses, with everything their documents need.
  it('the identity statement of a batch: every table through an index', async () => {
    const rows = await (db.prisma as Db).ipAddress.findMany({ select: { address: true }, take: 8, orderBy: { address: 'asc' } });
    const [sql, ...params] = identityStatement(db.engine, [...rows.map((r) => r.address), '192.0.2.1']);
    const plan = await explain({ sql, params });
    // Its sorts are of the batch's own rows (SQLite: of the materialized leads), so only scans count.
    expect(subqueryScan(plan), plan.join('\n')).toBeUndefined();
  });

  it('PostgreSQL plans the identity statement alike for any batch, so it keeps one generic plan', async () => {
    if (db.engine !== 'postgresql') return; // SQLite keeps no plans across statements
    const session = schemaSession();
    await session.connect();
    try {
      const rows = await (db.prisma as Db).ipAddress.findMany({ select: { address: true }, take: 12, orderBy: { address: 'asc' } });
      const addresses = rows.map((r) => r.address);
      // A plan made for one address costs what a plan for twelve does: the planner cannot see the list.
      const cost = async (list: string[]) => {
        const [text, ...values] = identityStatement('postgresql', list);
        const { rows: explained } = await session.query({ text: `EXPLAIN (FORMAT JSON) ${text}`, values });
        return (explained[0] as { 'QUERY PLAN': Array<{ Plan: { 'Total Cost': number } }> })['QUERY PLAN'][0]?.Plan['Total Cost'];
      };
      expect(await cost(addresses.slice(0, 1))).toBe(await cost(addresses));
      // Prepared once and run ten times, as the gateway's session runs it (pg-adapter.ts), with batches of 1-3 addresses.
      for (let run = 0; run < 10; run += 1) {
        const [text, ...values] = identityStatement('postgresql', addresses.slice(run, run + 1 + (run % 3)));
        await session.query({ name: 'identity', text, values });
      }
      const { rows: plans } = await session.query(
        `SELECT generic_plans AS "generic", custom_plans AS "custom" FROM pg_prepared_statements WHERE name = 'identity'`,
      );
      // Five trial runs planned for their values, then the generic plan for the rest.
      expect(plans.map((p) => ({ generic: Number(p.generic), custom: Number(p.custom) }))).toEqual([{ generic: 5, custom: 5 }]);
    } finally {
      await session.end();
    }
  });
});

describe('REST lists', () => {
  it('inventory v1 devices: an uncounted first page and a cursor page', async () => {
    await expectIndexed(get('/apis/inventory/v1/devices?limit=50&count=false'));
    const first = (await (await get('/apis/inventory/v1/devices?limit=5&count=false')()).json()) as { next: string };
    await expectIndexed(get(`/apis/inventory/v1/devices?limit=50&cursor=${first.next}`));
  });

  it('history events: a page, a page after a seq, and one subject', async () => {
    await expectIndexed(get('/apis/history/v1/events?limit=50'));
    await expectIndexed(get('/apis/history/v1/events?limit=50&after=20'));
    const device = (await (await get('/apis/inventory/v1/devices?limit=1&count=false')()).json()) as { items: Array<{ id: string }> };
    await expectIndexed(get(`/apis/history/v1/events?limit=50&subject=${device.items[0]?.id}`));
  });
});

describe('the check itself', () => {
  it('fails a list ordered by a column no index serves', async () => {
    // Device.model has no index: ordering a page by it scans and sorts the whole table.
    const plan = await explain({
      sql: 'SELECT "id" FROM "Device" WHERE "deletedAt" IS NULL ORDER BY "model", "id" LIMIT 50',
      params: [],
    });
    expect(unboundedRead(plan)).toBeDefined();
  });

  it("fails Prisma's own cursor paging, which reads every row past the cursor", async () => {
    captured.length = 0;
    const [first] = await (db.prisma as Db).device.findMany({ take: 1, orderBy: [{ name: 'asc' }, { id: 'asc' }] });
    const client = logging as unknown as Db;
    await client.device.findMany({ cursor: { id: first?.id as string }, skip: 1, take: 5, orderBy: [{ name: 'asc' }, { id: 'asc' }] });
    expect(captured.some(unlimited)).toBe(true);
  });
});

// The measured documents and their floors: the same data fetched by one hand-written SQL
// statement on the driver (better-sqlite3 / pg, no Prisma, no GraphQL), shaped in JS into the
// GraphQL response and JSON.stringify'd. The bench checks once that both answers are equal.
import type { Engine } from '../../src/db/engine-schema.js';
import type { BenchDatabase, RawQuery } from './database.js';
import type { BenchRequest } from './http-client.js';

export interface BenchCase {
  name: string;
  description: string;
  /** The request to time; `iteration` lets a write case use fresh keys every time. */
  request: (iteration: number) => BenchRequest;
  /**
   * The same work the floor way (hand-written SQL on the driver + JSON.stringify); returns the
   * answer to compare with the gateway's, or undefined when there is nothing to compare.
   */
  floor?: (db: BenchDatabase, engine: Engine, iteration: number) => Promise<string | undefined>;
  /** Puts an answer in a comparable form (e.g. sorts a list SMD leaves unordered). */
  normalize?: (answer: unknown) => unknown;
}

/** A GraphQL document as a bench request. */
export function graphql(document: string): (iteration: number) => BenchRequest {
  const body = JSON.stringify({ query: document });
  return () => ({ method: 'POST', path: '/graphql', body });
}

/** The 5-level tree of test/graphql/query-budget.test.ts. */
export const TREE_DOCUMENT = `{ devices(first: 500, filter: { deviceType: ["Cabinet"] }) { totalCount edges { node { name position { xname state } children { name children { name children { name position { xname nid } children { name deviceType serialNumber } } } } } } } }`;

export const LIST_MANUFACTURER = 'Micron';
export const LIST_DOCUMENT = `{ devices(first: 100, filter: { deviceType: ["Memory"], manufacturer: "${LIST_MANUFACTURER}" }) { edges { node { name serialNumber parent { name } } } } }`;

const TRIVIAL_DOCUMENT = '{ __typename }';

const live = (_engine: Engine, alias: string) => `${alias}."deletedAt" IS NULL`;
const isOpen = (engine: Engine, alias: string) => (engine === 'sqlite' ? `${alias}."open" = 1` : `${alias}."open" = true`);

function treeSql(engine: Engine): string {
  // One row per leaf path; ORDER BY reproduces the gateway's (name, id) order on every level.
  return `
SELECT cab."id" AS cab_id, cab."name" AS cab_name, cc."xname" AS cab_xname, cc."state" AS cab_state,
       ch."id" AS ch_id, ch."name" AS ch_name,
       bl."id" AS bl_id, bl."name" AS bl_name,
       nd."id" AS nd_id, nd."name" AS nd_name, nc."xname" AS nd_xname, nc."nid" AS nd_nid,
       fr."id" AS fr_id, fr."name" AS fr_name, fr."deviceType" AS fr_type, fr."serialNumber" AS fr_serial
FROM "Device" cab
LEFT JOIN "Installation" ci ON ci."deviceId" = cab."id" AND ${isOpen(engine, 'ci')}
LEFT JOIN "Component" cc ON cc."id" = ci."componentId"
LEFT JOIN "Device" ch ON ch."parentId" = cab."id" AND ${live(engine, 'ch')}
LEFT JOIN "Device" bl ON bl."parentId" = ch."id" AND ${live(engine, 'bl')}
LEFT JOIN "Device" nd ON nd."parentId" = bl."id" AND ${live(engine, 'nd')}
LEFT JOIN "Installation" ni ON ni."deviceId" = nd."id" AND ${isOpen(engine, 'ni')}
LEFT JOIN "Component" nc ON nc."id" = ni."componentId"
LEFT JOIN "Device" fr ON fr."parentId" = nd."id" AND ${live(engine, 'fr')}
WHERE cab."deviceType" = 'Cabinet' AND ${live(engine, 'cab')}
ORDER BY cab."name", cab."id", ch."name", ch."id", bl."name", bl."id", nd."name", nd."id", fr."name", fr."id"`;
}

type Obj = Record<string, unknown>;

/** Nests the flat rows into the GraphQL response shape of TREE_DOCUMENT. */
async function treeFloor(raw: RawQuery, engine: Engine): Promise<string> {
  const rows = await raw(treeSql(engine));
  const edges: Obj[] = [];
  let cab: Obj | undefined;
  let ch: Obj | undefined;
  let bl: Obj | undefined;
  let nd: Obj | undefined;
  let cabId: unknown;
  let chId: unknown;
  let blId: unknown;
  let ndId: unknown;
  for (const r of rows) {
    if (r.cab_id !== cabId) {
      cabId = r.cab_id;
      chId = blId = ndId = undefined;
      cab = { name: r.cab_name, position: r.cab_xname == null ? null : { xname: r.cab_xname, state: r.cab_state }, children: [] };
      edges.push({ node: cab });
    }
    if (r.ch_id == null) continue;
    if (r.ch_id !== chId) {
      chId = r.ch_id;
      blId = ndId = undefined;
      ch = { name: r.ch_name, children: [] };
      (cab?.children as Obj[]).push(ch);
    }
    if (r.bl_id == null) continue;
    if (r.bl_id !== blId) {
      blId = r.bl_id;
      ndId = undefined;
      bl = { name: r.bl_name, children: [] };
      (ch?.children as Obj[]).push(bl);
    }
    if (r.nd_id == null) continue;
    if (r.nd_id !== ndId) {
      ndId = r.nd_id;
      // NIDs are BIGINT since the 64-bit migration: pg answers one as a string, GraphQL's Int as a number.
      const nid = r.nd_nid == null ? null : Number(r.nd_nid);
      nd = { name: r.nd_name, position: r.nd_xname == null ? null : { xname: r.nd_xname, nid }, children: [] };
      (bl?.children as Obj[]).push(nd);
    }
    if (r.fr_id == null) continue;
    (nd?.children as Obj[]).push({ name: r.fr_name, deviceType: r.fr_type, serialNumber: r.fr_serial });
  }
  return JSON.stringify({ data: { devices: { totalCount: edges.length, edges } } });
}

async function listFloor(raw: RawQuery, engine: Engine): Promise<string> {
  const p = engine === 'sqlite' ? ['?', '?'] : ['$1', '$2'];
  // The 100 rows first, then their parents: joining before the LIMIT would join every match.
  const rows = await raw(
    `SELECT d."name" AS name, d."serialNumber" AS serial, p."name" AS parent_name, p."id" AS parent_id
     FROM (SELECT "id", "name", "serialNumber", "parentId" FROM "Device"
           WHERE "deviceType" = ${p[0]} AND "manufacturer" = ${p[1]} AND "deletedAt" IS NULL
           ORDER BY "name", "id" LIMIT 100) d
     LEFT JOIN "Device" p ON p."id" = d."parentId"
     ORDER BY d."name", d."id"`,
    ['Memory', LIST_MANUFACTURER],
  );
  const edges = rows.map((r) => ({
    node: { name: r.name, serialNumber: r.serial, parent: r.parent_id == null ? null : { name: r.parent_name } },
  }));
  return JSON.stringify({ data: { devices: { edges } } });
}

/** The GraphQL suite, run at every --sizes device count. */
export const GRAPHQL_CASES: BenchCase[] = [
  {
    name: 'tree',
    description: '5-level tree: cabinets → chassis → blades → nodes → DIMMs/GPUs/NIC, positions on 2 levels',
    request: graphql(TREE_DOCUMENT),
    floor: (db, engine) => treeFloor(db.raw, engine),
  },
  {
    name: 'list',
    description: `filtered list: 100 Memory devices of ${LIST_MANUFACTURER} with their parent`,
    request: graphql(LIST_DOCUMENT),
    floor: (db, engine) => listFloor(db.raw, engine),
  },
  { name: 'trivial', description: '{ __typename }: the fixed cost of a request', request: graphql(TRIVIAL_DOCUMENT) },
];

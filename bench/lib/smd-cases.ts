// The SMD suite (npm run bench -- --suites smd): the two lists every SMD client reads, and a
// 10,000-component bulk POST, each against its floor in the same run.

import { componentJson, type EthernetInterfaceRecord, ethernetInterfaceJson } from '../../src/codecs/smd/index.js';
import type { Engine } from '../../src/db/engine-schema.js';
import type { SmdComponentRow } from '../../src/services/smd/component-queries.js';
import type { BenchCase } from './cases.js';
import type { BenchDatabase } from './database.js';

type Obj = Record<string, unknown>;
const bool = (v: unknown) => v === true || v === 1 || v === 1n;
const byId = (answer: unknown, key: string) =>
  [...(((answer as Obj)[key] as Obj[]) ?? (answer as Obj[]))].sort((a, b) => String(a.ID).localeCompare(String(b.ID)));

async function componentsFloor(db: BenchDatabase): Promise<string> {
  const rows = await db.raw(
    `SELECT "xname", "type", "state", "flag", "enabled", "softwareStatus", "role", "subRole", "nid", "subtype",
            "netType", "arch", "class", "reservationDisabled", "locked"
     FROM "Component" WHERE "deletedAt" IS NULL`,
  );
  const components = rows.map((r) =>
    componentJson({
      ...(r as unknown as SmdComponentRow),
      enabled: bool(r.enabled),
      reservationDisabled: bool(r.reservationDisabled),
      locked: bool(r.locked),
      nid: r.nid == null ? null : Number(r.nid),
    }),
  );
  return JSON.stringify({ Components: components });
}

async function interfacesFloor(db: BenchDatabase): Promise<string> {
  const rows = await db.raw(
    `SELECT i."macAddress" AS mac, i."description" AS description, i."updatedAt" AS updated, c."xname" AS xname, c."type" AS ctype,
            a."address" AS address, a."network" AS network
     FROM "Interface" i
     LEFT JOIN "Component" c ON c."id" = i."componentId"
     LEFT JOIN "IpAddress" a ON a."interfaceId" = i."id"
     WHERE i."deletedAt" IS NULL AND i."macAddress" IS NOT NULL AND i."kind" NOT IN ('hsn', 'infiniband')
     ORDER BY i."macAddress", a."address"`,
  );
  const records: EthernetInterfaceRecord[] = [];
  let current: EthernetInterfaceRecord | undefined;
  for (const r of rows) {
    if (current?.macAddress !== r.mac) {
      current = {
        macAddress: String(r.mac),
        description: r.description as string | null,
        updatedAt: new Date(r.updated as string),
        componentXname: r.xname as string | null,
        componentType: r.ctype as string | null,
        ipAddresses: [],
      };
      records.push(current);
    }
    if (r.address != null && current)
      (current.ipAddresses as Array<{ address: string; network: string | null }>).push({
        address: String(r.address),
        network: r.network as string | null,
      });
  }
  const out = records.map(ethernetInterfaceJson);
  return JSON.stringify(out);
}

export const BULK_COMPONENTS = 10_000;

/** 10,000 new nodes with cabinets and NIDs of their own per iteration (x3000+ / x5000+ for the floor). */
function bulkNodes(firstCabinet: number, iteration: number) {
  const nodes: Array<{ xname: string; nid: number }> = [];
  const cabinet0 = firstCabinet + iteration * 40;
  for (let i = 0; i < BULK_COMPONENTS; i += 1) {
    const cabinet = cabinet0 + Math.floor(i / 256);
    const chassis = Math.floor((i % 256) / 32);
    const slot = Math.floor((i % 32) / 2);
    nodes.push({ xname: `x${cabinet}c${chassis}s${slot}b0n${i % 2}`, nid: firstCabinet * 1000 + iteration * BULK_COMPONENTS + i });
  }
  return nodes;
}

/** The floor of the bulk POST: the same rows by multi-row INSERTs in one transaction. */
async function bulkFloor(db: BenchDatabase, engine: Engine, iteration: number): Promise<undefined> {
  const nodes = bulkNodes(5000, iteration);
  const columns = ['"id"', '"xname"', '"type"', '"state"', '"flag"', '"enabled"', '"role"', '"nid"', '"updatedAt"'];
  const perStatement = Math.floor(30_000 / columns.length);
  await db.exec(async (run) => {
    for (let start = 0; start < nodes.length; start += perStatement) {
      const chunk = nodes.slice(start, start + perStatement);
      const values: unknown[] = [];
      const tuples = chunk.map((node) => {
        const base = values.length;
        values.push(
          crypto.randomUUID(),
          node.xname,
          'Node',
          'On',
          'OK',
          engine === 'sqlite' ? 1 : true,
          'Compute',
          node.nid,
          new Date().toISOString(),
        );
        const marks = columns.map((_, c) => (engine === 'sqlite' ? '?' : `$${base + c + 1}`));
        return `(${marks.join(', ')})`;
      });
      await run(`INSERT INTO "Component" (${columns.join(', ')}) VALUES ${tuples.join(', ')}`, values);
    }
  });
  return undefined;
}

export const SMD_CASES: BenchCase[] = [
  {
    name: 'smd-components',
    description: 'GET /hsm/v2/State/Components: every component (PCS, BSS, coresmd …)',
    request: () => ({ method: 'GET', path: '/hsm/v2/State/Components' }),
    floor: (db) => componentsFloor(db),
    normalize: (answer) => byId(answer, 'Components'),
  },
  {
    name: 'smd-interfaces',
    description: 'GET /hsm/v2/Inventory/EthernetInterfaces: every interface with its IPs (coresmd, cloud-init)',
    request: () => ({ method: 'GET', path: '/hsm/v2/Inventory/EthernetInterfaces' }),
    floor: (db) => interfacesFloor(db),
  },
  {
    name: 'smd-bulk-post',
    description: `POST /hsm/v2/State/Components with ${BULK_COMPONENTS.toLocaleString('en')} new nodes (validation, change log, one transaction)`,
    request: (iteration) => ({
      method: 'POST',
      path: '/hsm/v2/State/Components',
      body: JSON.stringify({
        Components: bulkNodes(3000, iteration).map((n) => ({ ID: n.xname, State: 'On', Flag: 'OK', Role: 'Compute', NID: n.nid })),
      }),
    }),
    floor: (db, engine, iteration) => bulkFloor(db, engine, iteration),
  },
];

// Reads of the SMD EthernetInterfaces view: live interfaces with a MAC (not HSN/InfiniBand),
// their addresses and the xname of the position that owns them. The list is one SQL statement
// (interfaces ⟕ owning position ⟕ addresses, ordered so each interface's rows are adjacent)
// grouped in one pass; filters are applied in SQL where that narrows the rows, and exactly in
// JS on the grouped rows, so both engines answer the same.
import type { Db, Tx } from '../../db/client.js';
import { xnameType } from '../../domain/xname.js';
import { Prisma } from '../../generated/sqlite/client.js';
import type { ServiceContext } from '../core/context.js';

/** What a read function reads through: a service context (REST routes) or a client/transaction. */
export type ReadSource = ServiceContext | Db | Tx;

/** The Prisma client or transaction behind a read source. */
export function readerOf(source: ReadSource): Db | Tx {
  return 'source' in source && 'db' in source ? source.db : (source as Db | Tx);
}

export interface IpAddressView {
  address: string;
  network: string | null;
}

export interface EthernetInterfaceView {
  /** The Interface row id (for writes). */
  id: string;
  macAddress: string;
  description: string | null;
  updatedAt: Date;
  /** SMD ComponentID: the owning position's xname, or the xname kept by name; null for none. */
  componentXname: string | null;
  /** The HMS type of componentXname; null for none. */
  componentType: string | null;
  ipAddresses: IpAddressView[];
}

/** Every list is ORed within itself; the lists are ANDed. */
export interface EthernetInterfaceFilter {
  /** Colon-form MACs (SMD `id` after conversion); other strings match nothing. */
  ids?: string[];
  macAddresses?: string[];
  /** "" matches interfaces with no address. */
  ipAddresses?: string[];
  /** "" matches interfaces with no address or with an address without a network. */
  networks?: string[];
  /** Normalised xnames; "" matches interfaces with no ComponentID. */
  componentXnames?: string[];
  types?: string[];
  newerThan?: Date;
  olderThan?: Date;
}

/** Lists longer than this are filtered in JS only (SQLite binds at most 999 parameters per statement through Prisma). */
const MAX_SQL_LIST = 500;

interface RawRow {
  id: string;
  mac: string;
  description: string | null;
  updated: Date;
  xname: string | null;
  ctype: string | null;
  kept: string | null;
  address: string | null;
  network: string | null;
}

const small = (list: string[] | undefined): list is string[] => list !== undefined && list.length > 0 && list.length <= MAX_SQL_LIST;

function sqlConditions(filter: EthernetInterfaceFilter): Prisma.Sql[] {
  const where: Prisma.Sql[] = [];
  if (small(filter.ids)) where.push(Prisma.sql`i."macAddress" IN (${Prisma.join(filter.ids)})`);
  if (small(filter.macAddresses)) where.push(Prisma.sql`i."macAddress" IN (${Prisma.join(filter.macAddresses)})`);
  if (small(filter.componentXnames)) {
    const named = filter.componentXnames.filter((x) => x !== '');
    const parts: Prisma.Sql[] = [];
    if (named.length) parts.push(Prisma.sql`c."xname" IN (${Prisma.join(named)}) OR i."componentXname" IN (${Prisma.join(named)})`);
    if (named.length < filter.componentXnames.length) parts.push(Prisma.sql`(i."componentId" IS NULL AND i."componentXname" IS NULL)`);
    where.push(Prisma.sql`(${Prisma.join(parts, ' OR ')})`);
  }
  if (small(filter.types)) where.push(Prisma.sql`(c."type" IN (${Prisma.join(filter.types)}) OR i."componentId" IS NULL)`);
  if (small(filter.ipAddresses)) {
    const named = filter.ipAddresses.filter((a) => a !== '');
    const parts: Prisma.Sql[] = [];
    if (named.length)
      parts.push(
        Prisma.sql`EXISTS (SELECT 1 FROM "IpAddress" a WHERE a."interfaceId" = i."id" AND a."address" IN (${Prisma.join(named)}))`,
      );
    if (named.length < filter.ipAddresses.length)
      parts.push(Prisma.sql`NOT EXISTS (SELECT 1 FROM "IpAddress" a WHERE a."interfaceId" = i."id")`);
    where.push(Prisma.sql`(${Prisma.join(parts, ' OR ')})`);
  }
  return where;
}

function selectRows(db: Db | Tx, conditions: Prisma.Sql[]): Promise<RawRow[]> {
  const extra = conditions.length ? Prisma.sql` AND ${Prisma.join(conditions, ' AND ')}` : Prisma.empty;
  return db.$queryRaw<RawRow[]>`
    SELECT i."id" AS "id", i."macAddress" AS "mac", i."description" AS "description", i."updatedAt" AS "updated",
           c."xname" AS "xname", c."type" AS "ctype",
           i."componentXname" AS "kept",
           a."address" AS "address", a."network" AS "network"
    FROM "Interface" i
    LEFT JOIN "Component" c ON c."id" = i."componentId"
    LEFT JOIN "IpAddress" a ON a."interfaceId" = i."id"
    WHERE i."deletedAt" IS NULL AND i."macAddress" IS NOT NULL AND i."kind" NOT IN ('hsn', 'infiniband')${extra}
    ORDER BY i."macAddress", a."address"`;
}

function group(rows: RawRow[]): EthernetInterfaceView[] {
  const out: EthernetInterfaceView[] = [];
  let current: EthernetInterfaceView | undefined;
  for (const r of rows) {
    if (current === undefined || current.id !== r.id) {
      let xname = r.xname;
      let type = r.ctype;
      if (xname === null && r.kept != null) {
        xname = r.kept;
        type = xname ? (xnameType(xname) ?? null) : null;
      }
      current = {
        id: r.id,
        macAddress: r.mac,
        description: r.description,
        updatedAt: r.updated,
        componentXname: xname,
        componentType: type,
        ipAddresses: [],
      };
      out.push(current);
    }
    if (r.address !== null) current.ipAddresses.push({ address: r.address, network: r.network });
  }
  return out;
}

function matcher(filter: EthernetInterfaceFilter): ((view: EthernetInterfaceView) => boolean) | undefined {
  const tests: Array<(v: EthernetInterfaceView) => boolean> = [];
  const setOf = (list: string[]) => new Set(list);
  if (filter.ids?.length) {
    const ids = setOf(filter.ids);
    tests.push((v) => ids.has(v.macAddress));
  }
  if (filter.macAddresses?.length) {
    const macs = setOf(filter.macAddresses);
    tests.push((v) => macs.has(v.macAddress));
  }
  if (filter.ipAddresses?.length) {
    const ips = setOf(filter.ipAddresses);
    tests.push((v) => (v.ipAddresses.length === 0 ? ips.has('') : v.ipAddresses.some((a) => ips.has(a.address))));
  }
  if (filter.networks?.length) {
    const networks = setOf(filter.networks);
    tests.push((v) => (v.ipAddresses.length === 0 ? networks.has('') : v.ipAddresses.some((a) => networks.has(a.network ?? ''))));
  }
  if (filter.componentXnames?.length) {
    const xnames = setOf(filter.componentXnames);
    tests.push((v) => xnames.has(v.componentXname ?? ''));
  }
  if (filter.types?.length) {
    const types = setOf(filter.types);
    tests.push((v) => types.has(v.componentType ?? ''));
  }
  const { newerThan, olderThan } = filter;
  if (newerThan) tests.push((v) => v.updatedAt.getTime() > newerThan.getTime());
  if (olderThan) tests.push((v) => v.updatedAt.getTime() < olderThan.getTime());
  if (tests.length === 0) return undefined;
  return (v) => tests.every((t) => t(v));
}

/** The SMD EthernetInterfaces matching `filter`, ordered by MAC; one SQL statement. */
export async function listEthernetInterfaces(source: ReadSource, filter: EthernetInterfaceFilter = {}): Promise<EthernetInterfaceView[]> {
  const views = group(await selectRows(readerOf(source), sqlConditions(filter)));
  const test = matcher(filter);
  return test ? views.filter(test) : views;
}

/** The interface of the SMD view with this (colon-form) MAC, or undefined. */
export async function findEthernetInterface(source: ReadSource, macAddress: string): Promise<EthernetInterfaceView | undefined> {
  const [view] = await listEthernetInterfaces(source, { macAddresses: [macAddress] });
  return view;
}

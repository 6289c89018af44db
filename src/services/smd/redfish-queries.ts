// Reads of Redfish, component and service endpoints for the SMD routes: live rows, passwords
// never selected, filtered with SMD's value semantics (each field: plain values ORed, negated
// values excluded; fields ANDed). Rows come back plain; the routes shape SMD's JSON.
import type { Db, Prisma, Tx } from '../../db/client.js';
import { type ReadSource, readerOf } from '../inventory/interface-queries.js';

/** One filter field: keep rows whose value is one of `in` (when given) and none of `notIn`. */
export interface ValueFilter {
  in: string[];
  notIn: string[];
}

/** Lists longer than this are applied in JS only (SQLite binds at most 999 parameters through Prisma). */
const MAX_SQL_LIST = 500;

function condition(filter: ValueFilter | undefined): Prisma.StringFilter | undefined {
  if (!filter || filter.in.length > MAX_SQL_LIST || filter.notIn.length > MAX_SQL_LIST) return undefined;
  const out: Prisma.StringFilter = {};
  if (filter.in.length) out.in = filter.in;
  if (filter.notIn.length) out.notIn = filter.notIn;
  return Object.keys(out).length ? out : undefined;
}

function passes(filter: ValueFilter | undefined, value: string | null | undefined): boolean {
  if (!filter) return true;
  const v = value ?? '';
  if (filter.in.length > 0 && !filter.in.includes(v)) return false;
  return !filter.notIn.includes(v);
}

const WITHOUT_PASSWORD = { password: true } as const;

export type RedfishEndpointView = Prisma.RedfishEndpointGetPayload<{ omit: typeof WITHOUT_PASSWORD }>;

export interface RedfishEndpointFilter {
  ids?: ValueFilter;
  fqdns?: ValueFilter;
  types?: ValueFilter;
  uuids?: ValueFilter;
  macAddrs?: ValueFilter;
  ipAddresses?: ValueFilter;
  lastStatuses?: ValueFilter;
}

const lastStatusOf = (row: RedfishEndpointView) => {
  const info = row.discoveryInfo as Record<string, unknown> | null;
  return typeof info?.LastDiscoveryStatus === 'string' ? info.LastDiscoveryStatus : '';
};

/** Live Redfish endpoints matching `filter`, by xname; never with their password. */
export async function listRedfishEndpoints(source: ReadSource, filter: RedfishEndpointFilter = {}): Promise<RedfishEndpointView[]> {
  const where: Prisma.RedfishEndpointWhereInput = { deletedAt: null };
  const columns = [
    ['xname', filter.ids],
    ['fqdn', filter.fqdns],
    ['type', filter.types],
    ['uuid', filter.uuids],
    ['macAddr', filter.macAddrs],
    ['ipAddress', filter.ipAddresses],
  ] as const;
  for (const [column, f] of columns) {
    const c = condition(f);
    if (c) Object.assign(where, { [column]: c });
  }
  const rows = await readerOf(source).redfishEndpoint.findMany({ where, omit: WITHOUT_PASSWORD, orderBy: [{ xname: 'asc' }] });
  return rows.filter((row) => columns.every(([column, f]) => passes(f, row[column])) && passes(filter.lastStatuses, lastStatusOf(row)));
}

export async function findRedfishEndpoint(source: ReadSource, xname: string): Promise<RedfishEndpointView | null> {
  return readerOf(source).redfishEndpoint.findFirst({ where: { xname, deletedAt: null }, omit: WITHOUT_PASSWORD });
}

export interface EndpointRef {
  xname: string;
  fqdn: string | null;
}

/** The xname and FQDN of every live Redfish endpoint, by row id (one query, no IN list). */
async function endpointRefs(db: Db | Tx, ids?: string[]): Promise<Map<string, EndpointRef>> {
  const where: Prisma.RedfishEndpointWhereInput = { deletedAt: null, ...(ids && ids.length <= MAX_SQL_LIST ? { id: { in: ids } } : {}) };
  const rows = await db.redfishEndpoint.findMany({ where, select: { id: true, xname: true, fqdn: true } });
  return new Map(rows.map((r) => [r.id, { xname: r.xname, fqdn: r.fqdn }]));
}

export type ComponentEndpointView = Prisma.ComponentEndpointGetPayload<object> & { redfishEndpoint: EndpointRef };

export interface ComponentEndpointFilter {
  ids?: ValueFilter;
  redfishEndpoints?: ValueFilter;
  types?: ValueFilter;
  redfishTypes?: ValueFilter;
}

/** Live component endpoints matching `filter`, by xname, each with its Redfish endpoint's xname and FQDN. */
export async function listComponentEndpoints(source: ReadSource, filter: ComponentEndpointFilter = {}): Promise<ComponentEndpointView[]> {
  const where: Prisma.ComponentEndpointWhereInput = { deletedAt: null };
  const ids = condition(filter.ids);
  if (ids) where.xname = ids;
  const types = condition(filter.types);
  if (types) where.type = types;
  const redfishTypes = condition(filter.redfishTypes);
  if (redfishTypes) where.redfishType = redfishTypes;
  const eps = condition(filter.redfishEndpoints);
  if (eps) where.redfishEndpoint = { xname: eps };
  const db = readerOf(source);
  const rows = await db.componentEndpoint.findMany({ where, orderBy: [{ xname: 'asc' }] });
  const refs = await endpointRefs(db, [...new Set(rows.map((r) => r.redfishEndpointId))]);
  const out: ComponentEndpointView[] = [];
  for (const row of rows) {
    const ref = refs.get(row.redfishEndpointId);
    if (!ref) continue;
    if (
      !passes(filter.ids, row.xname) ||
      !passes(filter.types, row.type) ||
      !passes(filter.redfishTypes, row.redfishType) ||
      !passes(filter.redfishEndpoints, ref.xname)
    )
      continue;
    out.push({ ...row, redfishEndpoint: ref });
  }
  return out;
}

export async function findComponentEndpoint(source: ReadSource, xname: string): Promise<ComponentEndpointView | undefined> {
  const [row] = await listComponentEndpoints(source, { ids: { in: [xname], notIn: [] } });
  return row;
}

export type ServiceEndpointView = Prisma.ServiceEndpointGetPayload<object> & { redfishEndpoint: EndpointRef };

export interface ServiceEndpointFilter {
  services?: ValueFilter;
  redfishEndpoints?: ValueFilter;
}

/** Live service endpoints matching `filter`, by service then Redfish endpoint. */
export async function listServiceEndpoints(source: ReadSource, filter: ServiceEndpointFilter = {}): Promise<ServiceEndpointView[]> {
  const where: Prisma.ServiceEndpointWhereInput = { deletedAt: null };
  const services = condition(filter.services);
  if (services) where.redfishType = services;
  const eps = condition(filter.redfishEndpoints);
  if (eps) where.redfishEndpoint = { xname: eps };
  const db = readerOf(source);
  const rows = await db.serviceEndpoint.findMany({ where, orderBy: [{ redfishType: 'asc' }] });
  const refs = await endpointRefs(db, [...new Set(rows.map((r) => r.redfishEndpointId))]);
  const out: ServiceEndpointView[] = [];
  for (const row of rows) {
    const ref = refs.get(row.redfishEndpointId);
    if (!ref || !passes(filter.services, row.redfishType) || !passes(filter.redfishEndpoints, ref.xname)) continue;
    out.push({ ...row, redfishEndpoint: ref });
  }
  return out.sort((a, b) => a.redfishType.localeCompare(b.redfishType) || a.redfishEndpoint.xname.localeCompare(b.redfishEndpoint.xname));
}

export async function findServiceEndpoint(
  source: ReadSource,
  service: string,
  redfishEndpointXname: string,
): Promise<ServiceEndpointView | undefined> {
  const [row] = await listServiceEndpoints(source, {
    services: { in: [service], notIn: [] },
    redfishEndpoints: { in: [redfishEndpointXname], notIn: [] },
  });
  return row;
}

// SMD's DiscoveryStatus records. Status 0 is the one SMD keeps: NotStarted until a discovery
// runs, then InProgress and Complete as the crawl of POST /Inventory/Discover goes
// (services/discovery/smd-discover.ts writes it).
import { type ReadSource, readerOf } from '../inventory/interface-queries.js';

export interface DiscoveryStatusView {
  id: number;
  status: string;
  lastUpdateTime: Date;
  details: unknown;
}

/** SMD's status record 0 before any discovery request. */
const INITIAL: DiscoveryStatusView = { id: 0, status: 'NotStarted', lastUpdateTime: new Date(0), details: {} };

export async function listDiscoveryStatus(source: ReadSource): Promise<DiscoveryStatusView[]> {
  const rows = await readerOf(source).discoveryStatus.findMany({ orderBy: [{ id: 'asc' }] });
  return rows.length ? rows : [INITIAL];
}

export async function findDiscoveryStatus(source: ReadSource, id: number): Promise<DiscoveryStatusView | undefined> {
  const db = readerOf(source);
  const row = await db.discoveryStatus.findUnique({ where: { id } });
  return row ?? (id === 0 && (await db.discoveryStatus.count()) === 0 ? INITIAL : undefined);
}

// --demo: the demo cluster's BMCs, simulated (src/simulator/redfish) on 127.0.10.1 upward, so
// that SMD's Discover, `inventory-gateway discover --all` and Collection scans have real
// Redfish to crawl. The demo's RedfishEndpoints are pointed at them (FQDN = address, with the
// simulator's credentials, sealed like any BMC password). Only the demo's own endpoints are
// touched: those of a demo seeded by this start, or pointed at the simulator by an earlier one;
// a database holding a real site is never rewritten.
import type { Database } from '../db/client.js';
import { DEMO_NODES } from '../fixtures/seed.js';
import { listRedfishEndpoints, updateRedfishEndpoint } from '../services/smd/index.js';
import { DEFAULT_LISTEN } from '../simulator/redfish/defaults.js';
import { type BmcSimulator, startBmcSimulator } from '../simulator/redfish/index.js';
import type { Logger } from './logger.js';

/** Two nodes per BMC in the synthetic cluster. */
const DEMO_BMCS = DEMO_NODES / 2;

/** An address the simulator hands out (127.0.10.x, with or without a port). */
const SIMULATED = new RegExp(`^${DEFAULT_LISTEN.split('.').slice(0, 3).join('\\.')}\\.\\d+(:\\d+)?$`);

export async function startDemoBmcs(database: Database, logger: Logger, seededNow: boolean): Promise<BmcSimulator | undefined> {
  const ctx = { db: database.prisma, source: 'system' as const, actor: 'demo' };
  const endpoints = new Map((await listRedfishEndpoints(ctx, {})).map((e) => [e.xname, e]));
  const ours = (xname: string) => {
    const endpoint = endpoints.get(xname);
    return endpoint !== undefined && (seededNow || SIMULATED.test(endpoint.fqdn ?? ''));
  };
  let simulator: BmcSimulator;
  try {
    simulator = await startBmcSimulator({ count: DEMO_BMCS, listen: DEFAULT_LISTEN, port: 0 });
  } catch (error) {
    logger.warn({ err: error }, 'demo: cannot start the simulated BMCs; discovery has nothing to crawl');
    return undefined;
  }
  let pointed = 0;
  for (const bmc of simulator.bmcs) {
    if (!ours(bmc.xname)) continue;
    // Hostname and Domain as SMD derives them from such an FQDN (what a POST of it stores).
    const [hostname, ...domain] = bmc.address.split('.');
    await updateRedfishEndpoint(ctx, bmc.xname, {
      hostname,
      domain: domain.join('.'),
      fqdn: bmc.address,
      ipAddress: bmc.host,
      username: bmc.user,
      password: bmc.password,
    });
    pointed++;
  }
  logger.info(
    { bmcs: simulator.bmcs.length, endpoints: pointed, first: simulator.bmcs[0]?.address },
    'demo: simulated BMCs answer Redfish; POST /hsm/v2/Inventory/Discover or `inventory-gateway discover --all` crawls them',
  );
  return simulator;
}

// Shared steps of the discovery tests: a gateway with quick crawl settings, simulated BMCs
// registered as SMD RedfishEndpoints, and waiting (bounded) for an Operation to finish.
import { expect } from 'vitest';
import { configureDiscovery } from '../../src/services/discovery/index.js';
import type { BmcSimulator } from '../../src/simulator/redfish/index.js';
import type { TestGateway } from '../support/gateway.js';

export const COLLECTION = '/apis/collection/v1';

/** Crawl settings for tests: short timeouts and leases, so faults and restarts show quickly. */
export function quickCrawls(gw: TestGateway, overrides: Parameters<typeof configureDiscovery>[1] = {}) {
  return configureDiscovery(gw.db.prisma, { timeoutMs: 1500, retries: 1, backoffMs: 20, leaseMs: 3000, concurrency: 8, ...overrides });
}

/** Registers the simulator's BMCs through SMD's POST /Inventory/RedfishEndpoints, FQDN = address. */
export async function registerBmcs(gw: TestGateway, sim: BmcSimulator, bmcs = sim.bmcs) {
  for (const bmc of bmcs) {
    const reply = await gw.rest('POST', '/hsm/v2/Inventory/RedfishEndpoints', {
      ID: bmc.xname,
      FQDN: bmc.address,
      User: bmc.user,
      Password: bmc.password,
    });
    expect(reply.status, reply.text).toBe(201);
  }
}

/** The Operation once done (polled every 50 ms for at most `ms`). */
export async function finished(gw: TestGateway, name: string, ms = 30_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const reply = await gw.rest('GET', `${COLLECTION}/operations/${name}`);
    expect(reply.status, reply.text).toBe(200);
    if (reply.body.done) return reply.body;
    if (Date.now() > deadline) throw new Error(`operation ${name} not done after ${ms} ms: ${reply.text}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Starts a scan of targets; answers the running Operation's name. */
export async function startScan(gw: TestGateway, body: unknown): Promise<string> {
  const reply = await gw.rest('POST', `${COLLECTION}/scans`, body);
  expect(reply.status, reply.text).toBe(202);
  expect(reply.body).toMatchObject({ done: false, metadata: { '@type': 'type.googleapis.com/openchami.collection.v1.CrawlMetadata' } });
  return reply.body.name as string;
}

export async function diffOf(gw: TestGateway, scanId: string) {
  const reply = await gw.rest('GET', `${COLLECTION}/scans/${scanId}/diff`);
  expect(reply.status, reply.text).toBe(200);
  return reply.body;
}

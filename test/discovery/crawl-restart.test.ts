// A crawl outlives its replica: one whose lease lapsed (its replica stopped) is resumed by
// another and finished; one interrupted too often is marked failed; a lease is claimed by one
// replica however many try at once; a live lease is left alone. And the opt-in policy that
// applies additions at once.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bindEngine } from '../../src/db/client.js';
import { claimCrawl, createCrawlIn, MAX_ATTEMPTS } from '../../src/services/discovery/crawl-store.js';
import { crawlsInFlight, resumeOrphanedCrawls } from '../../src/services/discovery/index.js';
import { resolveTargets, targetsKey } from '../../src/services/discovery/targets.js';
import { type BmcSimulator, startBmcSimulator } from '../../src/simulator/redfish/index.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { diffOf, finished, quickCrawls, registerBmcs, startScan } from './support.js';

let gw: TestGateway;
let sim: BmcSimulator;
beforeAll(async () => {
  gw = await startTestGateway();
  quickCrawls(gw);
  sim = await startBmcSimulator({ count: 3, listen: '127.0.14.1', port: 0, stopAfterMs: 300_000 });
  await registerBmcs(gw, sim);
});
afterAll(async () => {
  await Promise.all(crawlsInFlight());
  await sim?.close();
  await gw?.close();
});

/** A scan crawl as a replica that then stopped left it: created, claimed by `owner` for `leaseMs`, never finished. */
async function abandonedCrawl(xnames: string[], owner: string, leaseMs: number, attempts = 0) {
  const db = gw.db.prisma;
  const id = `crawl-${randomUUID()}`;
  await db.$transaction(async (tx) => {
    bindEngine(tx, db);
    const targets = await resolveTargets(tx, { xnames }, 100);
    await createCrawlIn(tx, { id, kind: 'scan', targets, targetsKey: targetsKey(targets), options: { policy: 'review' } });
  });
  expect(await claimCrawl(db, id, owner, leaseMs)).toBe(true);
  if (attempts) await db.crawl.update({ where: { id }, data: { attempts } });
  return id;
}

describe('restarts and replicas', () => {
  it('resumes a crawl whose replica stopped, and finishes it', async () => {
    const id = await abandonedCrawl([sim.bmcs[0]!.xname], 'stopped-replica', 1);
    await new Promise((resolve) => setTimeout(resolve, 10));
    const report = await resumeOrphanedCrawls(gw.db.prisma);
    expect(report).toEqual({ resumed: [id], failed: [] });
    const operation = await finished(gw, `operations/${id}`);
    expect(operation.metadata).toMatchObject({ state: 'DONE', targetsDone: 1 });
    expect(operation.result.response.discovered).toBe(1);
    const crawl = await gw.db.prisma.crawl.findUniqueOrThrow({ where: { id } });
    expect(crawl).toMatchObject({ status: 'done', active: null, attempts: 2 });
  });

  it('marks failed, never running forever, a crawl interrupted too often', async () => {
    const id = await abandonedCrawl([sim.bmcs[1]!.xname], 'stopped-replica', 1, MAX_ATTEMPTS);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(await resumeOrphanedCrawls(gw.db.prisma)).toEqual({ resumed: [], failed: [id] });
    const operation = await finished(gw, `operations/${id}`);
    expect(operation).toMatchObject({ done: true, metadata: { state: 'FAILED' }, result: { error: { code: 10 } } });
    expect(operation.result.error.message).toContain('interrupted');
    // The targets are free again.
    await finished(gw, await startScan(gw, { targets: { xnames: [sim.bmcs[1]!.xname] } }));
  });

  it('leaves a crawl alone while another replica holds its lease, and lets one replica of many claim it', async () => {
    const id = await abandonedCrawl([sim.bmcs[2]!.xname], 'live-replica', 60_000);
    expect(await resumeOrphanedCrawls(gw.db.prisma)).toEqual({ resumed: [], failed: [] });
    expect(await claimCrawl(gw.db.prisma, id, 'other-replica', 60_000)).toBe(false);
    await gw.db.prisma.crawl.update({ where: { id }, data: { leaseUntil: new Date(Date.now() - 1) } });
    const claims = await Promise.all(['r1', 'r2', 'r3', 'r4'].map((owner) => claimCrawl(gw.db.prisma, id, owner, 60_000)));
    expect(claims.filter(Boolean)).toHaveLength(1);
    await gw.db.prisma.crawl.update({ where: { id }, data: { active: null, status: 'failed' } });
  });
});

describe('policy approve-additions', () => {
  it('applies new devices at once and leaves nothing to review when nothing else changed', async () => {
    const xname = sim.bmcs[2]!.xname;
    const before = await gw.db.prisma.device.count({ where: { deletedAt: null } });
    const operation = await finished(gw, await startScan(gw, { targets: { xnames: [xname] }, policy: 'approve-additions' }));
    expect(operation.result.response).toMatchObject({ status: 'applied', proposed: { creates: 0, updates: 0, moves: 0, removals: 0 } });
    const created = operation.result.response.autoApproved.created;
    expect(created).toBeGreaterThan(10);
    expect(await gw.db.prisma.device.count({ where: { deletedAt: null } })).toBe(before + created);
    const diff = await diffOf(gw, operation.result.response.scanId);
    expect(diff.status).toBe('applied');
    // A swap is a removal too: with this policy the new DIMM goes in, the old one waits for review.
    const swap = sim.replaceDimm(xname, 0);
    const again = await finished(gw, await startScan(gw, { targets: { xnames: [xname] }, policy: 'approve-additions' }));
    expect(again.result.response).toMatchObject({ status: 'proposed', autoApproved: { created: 1 }, proposed: { removals: 1 } });
    expect((await diffOf(gw, again.result.response.scanId)).removals.map((r: any) => r.serialNumber)).toEqual([swap.old]);
  });
});

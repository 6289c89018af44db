// `export smd | import smd` is a fixed point: importing what the gateway exports changes
// nothing, on the same store (0 changes, no new revision, no event) — including the hardware
// inventory, whose FRU IDs, statuses and ordinals the export derives for rows that never had
// them written, and NIDs above 2^31.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedCluster } from '../../src/fixtures/seed.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
  await seedCluster(gw.db, { nodes: 8 });
  // A node whose NID needs 64 bits, and a site-style endpoint posted without a Hostname.
  expect(
    (await gw.rest('POST', '/hsm/v2/State/Components', { Components: [{ ID: 'x9200c0s0b0n0', State: 'On', NID: 9_999_999_999 }] })).status,
  ).toBe(204);
  expect((await gw.rest('POST', '/hsm/v2/Inventory/RedfishEndpoints', { ID: 'x9200c0s0b0', MACAddr: 'A4:BF:01:3E:C0:DE' })).status).toBe(
    201,
  );
});
afterAll(() => gw.close());

async function exported(): Promise<string> {
  const reply = await gw.rest('GET', '/apis/export/v1/smd');
  expect(reply.status).toBe(200);
  return reply.text;
}

const storeMarks = async () => ({
  events: await gw.db.prisma.changeEvent.count(),
  revisions: (await gw.db.prisma.component.aggregate({ _sum: { revision: true } }))._sum.revision,
  devices: (await gw.db.prisma.device.aggregate({ _sum: { revision: true } }))._sum.revision,
});

describe('export smd | import smd', () => {
  it('a dry run of the export reports no change', async () => {
    const reply = await gw.rest('POST', '/apis/import/v1/smd?dryRun=true', await exported());
    expect(reply.status, reply.text).toBe(200);
    expect(JSON.stringify(reply.body)).toMatch(/"changes":0\b/);
  });

  it('importing the export writes nothing: no revision, no event, the same export', async () => {
    const document = await exported();
    const before = await storeMarks();
    const reply = await gw.rest('POST', '/apis/import/v1/smd', document);
    expect(reply.status, reply.text).toBe(200);
    expect(await storeMarks()).toEqual(before);
    expect(await exported()).toBe(document);
  });
});

// subscription { scanOperation(name:) } streams a crawl's progress over SSE until it is done.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BmcSimulator, startBmcSimulator } from '../../src/simulator/redfish/index.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { openSse } from '../support/sse.js';
import { quickCrawls, registerBmcs, startScan } from './support.js';

let gw: TestGateway;
let sim: BmcSimulator;
beforeAll(async () => {
  gw = await startTestGateway();
  // A generous timeout: only the refused credentials may fail (a loaded machine once timed out the slow BMC).
  quickCrawls(gw, { concurrency: 1, timeoutMs: 10_000 });
  sim = await startBmcSimulator({ count: 3, listen: '127.0.15.1', port: 0, stopAfterMs: 300_000 });
  await registerBmcs(gw, sim);
});
afterAll(async () => {
  await sim?.close();
  await gw?.close();
});

const SUBSCRIPTION = `subscription ($name: String!) {
  scanOperation(name: $name) { name done state progressPercent targetsTotal targetsDone targetsFailed scanId failures { target xname kind message } }
}`;

describe('subscription scanOperation', () => {
  it('streams the progress of a crawl until it is done', async () => {
    // One BMC answers slowly and one refuses the credentials: the stream shows both.
    sim.setFault(sim.bmcs[0]!.xname, { kind: 'slow', delayMs: 100 });
    sim.setFault(sim.bmcs[2]!.xname, { kind: 'bad-credentials' });
    const name = await startScan(gw, { targets: { all: true } });
    const stream = await openSse(async (request) => gw.app.fetch(request), 'http://gateway.test/graphql', {
      query: SUBSCRIPTION,
      variables: { name },
    });
    const events: any[] = [];
    try {
      for (let i = 0; i < 100 && !events.at(-1)?.done; i += 1) {
        const [event] = await stream.next(1, 30_000);
        expect(event.errors).toBeUndefined();
        events.push(event.data.scanOperation);
      }
    } finally {
      await stream.close();
    }
    const last = events.at(-1);
    expect(last).toMatchObject({
      name,
      done: true,
      state: 'DONE',
      progressPercent: 100,
      targetsTotal: 3,
      targetsDone: 3,
      targetsFailed: 1,
    });
    expect(last.scanId).toEqual(expect.any(String));
    expect(last.failures).toEqual([
      { target: sim.bmcs[2]!.address, xname: sim.bmcs[2]!.xname, kind: 'REFUSED_CREDENTIALS', message: expect.any(String) },
    ]);
    expect(events.length).toBeGreaterThan(1);
    expect(events.slice(0, -1).every((e) => !e.done && e.progressPercent < 100)).toBe(true);
  });

  it('answers an unknown operation with NOT_FOUND', async () => {
    const stream = await openSse(async (request) => gw.app.fetch(request), 'http://gateway.test/graphql', {
      query: SUBSCRIPTION,
      variables: { name: 'crawl-nope' },
    });
    try {
      const [event] = await stream.next(1);
      expect(event.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    } finally {
      await stream.close();
    }
  });
});

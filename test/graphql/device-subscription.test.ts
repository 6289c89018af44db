import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changeListenerCount } from '../../src/services/core/change-feed.js';
import { createDevice, deleteDevice } from '../../src/services/inventory/device.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { createNodeWithDimms, replacedDimmAndNewGpu } from '../support/scan-fixture.js';
import { openSse, type SseStream } from '../support/sse.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
});
afterAll(() => gw.close());

const SUBSCRIPTION = `subscription($subtreeOf: ID, $deviceType: [String!]) {
  deviceChanged(subtreeOf: $subtreeOf, deviceType: $deviceType) { action entityType entityId device { serialNumber parent { serialNumber } } }
}`;

type Stream = Pick<SseStream, 'next' | 'close'>;

/** A subscription over SSE, in-process; resolves once the change feed has the new listener. */
async function subscribe(variables: Record<string, unknown>): Promise<Stream> {
  const listeners = changeListenerCount();
  const stream = await openSse(async (request) => gw.app.fetch(request), 'http://gateway.test/graphql', { query: SUBSCRIPTION, variables });
  const deadline = Date.now() + 5_000;
  while (changeListenerCount() <= listeners) {
    if (Date.now() > deadline) throw new Error('the subscription never attached to the change feed');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return {
    next: (count, timeoutMs) => stream.next(count, timeoutMs),
    async close() {
      await stream.close();
      for (const until = Date.now() + 5_000; changeListenerCount() > listeners && Date.now() < until; )
        await new Promise((resolve) => setTimeout(resolve, 10));
      expect(changeListenerCount(), 'the listener is detached once the client goes').toBe(listeners);
    },
  };
}

describe('Subscription.deviceChanged over SSE', () => {
  it('lets a dashboard watching a node see a scan approval land', async () => {
    const { node, dimms } = await createNodeWithDimms(gw.service, 'SUB');
    const other = await createDevice(gw.service, { deviceType: 'Memory', serialNumber: 'ELSEWHERE' });
    const stream = await subscribe({ subtreeOf: node.id });
    try {
      await deleteDevice(gw.service, other.id);
      const scanned = await gw.rest('POST', '/apis/collection/v1/scans', replacedDimmAndNewGpu('SUB'));
      const approved = await gw.rest('POST', `/apis/collection/v1/scans/${scanned.body.result.response.scanId}/approve`);
      expect(approved.status, approved.text).toBe(200);
      const events = (await stream.next(3)).map((e) => e.data.deviceChanged);
      expect(events).toEqual([
        {
          action: 'created',
          entityType: 'Device',
          entityId: expect.any(String),
          device: { serialNumber: 'SUB-DIMM-NEW', parent: { serialNumber: 'SUB-NODE' } },
        },
        {
          action: 'created',
          entityType: 'Device',
          entityId: expect.any(String),
          device: { serialNumber: 'SUB-GPU-0', parent: { serialNumber: 'SUB-NODE' } },
        },
        { action: 'deleted', entityType: 'Device', entityId: dimms[2].id, device: null },
      ]);
    } finally {
      await stream.close();
    }
  });

  it('filters by device type and publishes nothing for a rolled-back write', async () => {
    const stream = await subscribe({ deviceType: ['GPU'] });
    try {
      await createDevice(gw.service, { deviceType: 'Memory', serialNumber: 'TYPE-DIMM' });
      await expect(createDevice(gw.service, { deviceType: 'GPU', parentId: '00000000-0000-0000-0000-000000000000' })).rejects.toThrow();
      const gpu = await createDevice(gw.service, { deviceType: 'GPU', serialNumber: 'TYPE-GPU' });
      const [event] = await stream.next(1);
      expect(event.data.deviceChanged).toMatchObject({ action: 'created', entityId: gpu.id, device: { serialNumber: 'TYPE-GPU' } });
    } finally {
      await stream.close();
    }
  });

  it('refuses a subtreeOf that is not a device id', async () => {
    const response = await gw.app.fetch(
      new Request('http://gateway.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
        body: JSON.stringify({ query: SUBSCRIPTION, variables: { subtreeOf: 'not-an-id' } }),
      }),
    );
    const text = await response.text();
    expect(text).toContain('subtreeOf');
  });
});

// Subscription.componentChanged over SSE: a node's state change reaches a watching dashboard
// (the console's overview and Live page), filtered by HMS type.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changeListenerCount } from '../../src/services/core/change-feed.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { installedNode } from '../support/scenarios.js';
import { openSse } from '../support/sse.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
});
afterAll(() => gw.close());

const SUBSCRIPTION = `subscription($type: [String!]) {
  componentChanged(type: $type) { action component { xname state flag } }
}`;

describe('Subscription.componentChanged over SSE', () => {
  it('streams a node state change, and leaves out components of other types', async () => {
    await installedNode(gw.service, { xname: 'x5000c0s0b0n0', serialNumber: 'LIVE-1', state: 'Ready' });
    await gw.gql('mutation { createComponent(input: { xname: "x5000c0s0b0" }) { xname } }');
    const listeners = changeListenerCount();
    const stream = await openSse(async (request) => gw.app.fetch(request), 'http://gateway.test/graphql', {
      query: SUBSCRIPTION,
      variables: { type: ['Node'] },
    });
    try {
      for (const until = Date.now() + 5_000; changeListenerCount() <= listeners; ) {
        if (Date.now() > until) throw new Error('the subscription never attached to the change feed');
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      // A BMC write first: filtered out, so the first event is the node's.
      const bmc = await gw.gql('mutation { updateComponent(xname: "x5000c0s0b0", input: { state: "Ready" }) { xname } }');
      expect(bmc.errors).toBeUndefined();
      const node = await gw.gql('mutation { updateComponent(xname: "x5000c0s0b0n0", input: { state: "Off", flag: "Alert" }) { xname } }');
      expect(node.errors).toBeUndefined();
      const [event] = await stream.next(1);
      expect(event.data.componentChanged).toEqual({
        action: 'updated',
        component: { xname: 'x5000c0s0b0n0', state: 'Off', flag: 'Alert' },
      });
    } finally {
      await stream.close();
    }
  });
});

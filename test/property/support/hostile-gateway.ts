// The whole gateway over real HTTP on 127.0.0.1 for the hostile-input tests: a small
// synthetic cluster (node k at 10.100.0.k+1), WireGuard configured (so /wg-init answers
// rather than 503), 127.0.0.1 trusted as a proxy (so X-Forwarded-For can name a node), and
// every warning or error the app logs kept. "Crashes" are the errors it logs as unexpected.
import { TrustedProxies } from '../../../src/server/client-address.js';
import { serveOnLoopback } from '../../support/http-server.js';
import { magellanPayload } from '../../support/magellan.js';
import { type NoCloudGateway, nodeAddress, startNoCloudGateway } from '../../support/nocloud.js';
import { createNodeWithDimms, replacedDimmAndNewGpu } from '../../support/scan-fixture.js';
import { type RawClient, rawClient } from './raw-http.js';

const HOSTILE_NODES = 8;
const WIREGUARD = { cidr: '10.89.0.0/16', serverPublicKey: Buffer.alloc(32, 9).toString('base64'), endpoint: '10.1.0.1:51821' };

export interface HostileGateway {
  gw: NoCloudGateway;
  url: string;
  client: RawClient;
  /** The answers to the writes made through the API at start, for path values no list shows (scan ids …). */
  knownAnswers: unknown[];
  /** Error logs of unexpected failures (every family logs those as "unexpected …"), each with its message and error. */
  unexpectedErrors(): Array<{ msg: string; err?: unknown; route?: unknown }>;
  close(): Promise<void>;
}

export async function startHostileGateway(): Promise<HostileGateway> {
  const gw = await startNoCloudGateway({ nodes: HOSTILE_NODES });
  const { app } = gw.openApp({
    nocloud: { basePath: '/cloud-init', wireguard: WIREGUARD },
    trustedProxies: new TrustedProxies(['127.0.0.1']),
  });
  const server = await serveOnLoopback(app);
  const client = rawClient(server.url);
  await createNodeWithDimms(gw.service, 'HOSTILE');
  const knownAnswers = await populate(client);
  return {
    gw,
    url: server.url,
    client,
    knownAnswers,
    unexpectedErrors: () =>
      gw.logs
        .filter((line) => Number(line.level) >= 50 && /unexpected/i.test(String(line.msg)))
        .map((line) => ({ msg: String(line.msg), err: line.err, route: line.route })),
    async close() {
      client.close();
      await server.close();
      await gw.close();
    },
  };
}

/**
 * One resource of every kind the seeded cluster lacks, made through the API, so requests that
 * name an existing resource (and the bodies that update one) get past the lookup.
 */
async function populate(client: RawClient): Promise<unknown[]> {
  const node = 'x1000c0s0b0n0';
  const writes: Array<[string, string, unknown, Record<string, string>?]> = [
    // BMC 5 is not in the seeded cluster: its systems become new component endpoints.
    ['POST', '/hsm/v2/Inventory/RedfishEndpoints', magellanPayload(5)],
    ['POST', '/hsm/v2/Subscriptions/SCN', { Subscriber: 'hmnfd@sms', Url: 'http://127.0.0.1:1/scn', States: ['Ready'] }],
    ['POST', '/hsm/v2/partitions', { name: 'p1', members: { ids: ['x1000c0s1b0n0'] } }],
    ['POST', '/hsm/v2/Defaults/NodeMaps', { NodeMaps: [{ ID: node, NID: 1, Role: 'Compute' }] }],
    ['POST', '/hsm/v2/sysinfo/powermaps', [{ id: node, poweredBy: ['x1000m0p0v1'] }]],
    ['POST', '/apis/history/v1/snapshots', { name: 'before-fuzz' }],
    ['POST', '/apis/collection/v1/scans', replacedDimmAndNewGpu('HOSTILE')],
    [
      'POST',
      '/cloud-init/groups',
      { metadata: { name: 'compute' }, spec: { template: '#cloud-config\nruncmd:\n  - echo {{ local_hostname }}\n' } },
    ],
    ['POST', '/cloud-init/instanceinfos', { metadata: { name: node }, spec: { hostname: 'nid000001' } }],
    ['POST', '/cloud-init/wg-init', { public_key: Buffer.alloc(32, 3).toString('base64') }, { 'x-forwarded-for': nodeAddress(0) }],
  ];
  const answers: unknown[] = [];
  for (const [method, path, body, headers] of writes) {
    const reply = await client.send({
      method,
      path,
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
    if (reply.status >= 300 && reply.status !== 409)
      throw new Error(`populating the hostile gateway: ${method} ${path} answered ${reply.status} ${reply.text}`);
    if (/json/.test(reply.contentType) && reply.text) answers.push(JSON.parse(reply.text));
  }
  return answers;
}

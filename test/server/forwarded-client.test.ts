// NoCloud behind a trusted proxy, over real HTTP: a node that sends a forged X-Forwarded-For or
// Forwarded naming another node still gets its own meta-data (the address the proxy appended),
// never the victim's. The test client on 127.0.0.1 plays the proxy.
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { TrustedProxies } from '../../src/server/client-address.js';
import { type RunningServer, serveOnLoopback } from '../support/http-server.js';
import { type NoCloudGateway, nodeAddress, startNoCloudGateway } from '../support/nocloud.js';

const VICTIM = nodeAddress(1);
const CLIENT = nodeAddress(2);

let gw: NoCloudGateway;
let server: RunningServer;
/** Each node's own meta-data, asked for from its own address (no proxy). */
const own = new Map<string, Record<string, unknown>>();

beforeAll(async () => {
  gw = await startNoCloudGateway({ nodes: 4, trustedProxies: new TrustedProxies(['127.0.0.1']) });
  server = await serveOnLoopback(gw.app);
  for (const address of [VICTIM, CLIENT]) {
    const response = await gw.fetch('/meta-data', address);
    expect(response.status).toBe(200);
    own.set(address, parse(await response.text()));
  }
  expect(own.get(VICTIM)?.['instance-id']).not.toEqual(own.get(CLIENT)?.['instance-id']);
}, 120_000);
afterAll(async () => {
  await server?.close();
  await gw?.close();
});

/** GET over HTTP with each [name, value] sent as its own header line. */
function get(path: string, headerLines: Array<[string, string]>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(`${server.url}${path}`);
    const byName = new Map<string, string[]>();
    for (const [name, value] of headerLines) byName.set(name, [...(byName.get(name) ?? []), value]);
    for (const [name, values] of byName) request.setHeader(name, values);
    request.on('response', (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    request.on('error', reject);
    request.end();
  });
}

async function metaDataFor(headerLines: Array<[string, string]>): Promise<Record<string, unknown>> {
  const reply = await get('/meta-data', headerLines);
  expect(reply.status, reply.body).toBe(200);
  return parse(reply.body);
}

describe('NoCloud behind a trusted proxy', () => {
  it('answers the address the proxy appended, not the one the client wrote before it', async () => {
    const client = own.get(CLIENT);
    expect(await metaDataFor([['x-forwarded-for', `${VICTIM}, ${CLIENT}`]])).toEqual(client);
    expect(await metaDataFor([['x-forwarded-for', `${VICTIM}:22, ::ffff:${CLIENT}, 127.0.0.1`]])).toEqual(client);
    expect(await metaDataFor([['forwarded', `for=${VICTIM}, for="${CLIENT}:51234";proto=http`]])).toEqual(client);
  });

  it('reads the header lines a client and a proxy each sent as one chain', async () => {
    const client = own.get(CLIENT);
    expect(
      await metaDataFor([
        ['x-forwarded-for', VICTIM],
        ['x-forwarded-for', CLIENT],
      ]),
    ).toEqual(client);
    expect(
      await metaDataFor([
        ['forwarded', `for=${VICTIM}`],
        ['forwarded', `for=${CLIENT}`],
      ]),
    ).toEqual(client);
  });

  it('never answers for an address beyond garbage or a conflicting header: the proxy itself is asking then', async () => {
    for (const headerLines of [
      [['x-forwarded-for', `${VICTIM}, not-an-address`]],
      [['forwarded', `for="${VICTIM}`]],
      [['forwarded', `for=${VICTIM}, for=_hidden`]],
      [
        ['x-forwarded-for', CLIENT],
        ['forwarded', `for=${VICTIM}`],
      ],
    ] as Array<Array<[string, string]>>) {
      const reply = await get('/meta-data', headerLines);
      expect(reply, JSON.stringify(headerLines)).toEqual({ status: 404, body: 'node not found for address 127.0.0.1\n' });
    }
  });
});

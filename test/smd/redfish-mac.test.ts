// MAC addresses of Redfish and component endpoints are checked as every other MAC is
// (src/domain/mac.ts): on SMD's route, in GraphQL and in imports a value that is not a MAC is
// refused (GraphQL and imports name the field). A RedfishEndpoint's MACAddr reads back as
// posted, case and separators included, as SMD keeps it; an 8-octet EUI-64 is a MAC too (SMD's
// own contract tests post ff:ff:ff:ff:ff:ff:ff:ff). (SMD's ComponentEndpoints are written by
// discovery only: GraphQL covers them.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/gateway.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
});
afterAll(() => gw.close());

const RFE = '/hsm/v2/Inventory/RedfishEndpoints';
const NOT_MACS: Array<[string, string]> = [
  ['two letters', 'zz'],
  ['five octets', 'de:ca:fc:0f:fe'],
  ['seven octets', 'de:ca:fc:0f:fe:e0:00'],
  ['a non-hex digit', 'gg:ca:fc:0f:fe:e0'],
  ['mixed separators', 'de:ca-fc:0f:fe:e0'],
  ['5,000 characters', 'a'.repeat(5000)],
];

const endpoint = (id: string, mac: unknown) => ({ ID: id, FQDN: `${id}.hmn`, User: 'root', MACAddr: mac });

async function endpointCount(): Promise<number> {
  return gw.db.prisma.redfishEndpoint.count();
}

describe('SMD route', () => {
  // SMD's wording ("couldn't validate endpoint data: …") names no field; the reason is ours.
  it.each(NOT_MACS)('POST refuses a MACAddr of %s with a 400', async (_name, mac) => {
    const before = await endpointCount();
    const reply = await gw.rest('POST', RFE, endpoint('x3000c0s1b0', mac));
    expect(reply.status, reply.text).toBe(400);
    expect(reply.headers.get('content-type')).toBe('application/problem+json');
    expect(reply.body.detail).toMatch(/must be a MAC address/);
    expect(reply.text.length).toBeLessThan(1024);
    expect(await endpointCount()).toBe(before);
  });

  it('keeps any common spelling as posted, takes an EUI-64, and "" as none (omitted, as SMD does)', async () => {
    expect((await gw.rest('POST', RFE, endpoint('x3000c0s2b0', 'DE-CA-FC-0F-FE-E2'))).status).toBe(201);
    expect((await gw.rest('GET', `${RFE}/x3000c0s2b0`)).body.MACAddr).toBe('DE-CA-FC-0F-FE-E2');
    expect((await gw.rest('POST', RFE, endpoint('x3000c0s3b0', 'decafc0ffee3'))).status).toBe(201);
    expect((await gw.rest('GET', `${RFE}/x3000c0s3b0`)).body.MACAddr).toBe('decafc0ffee3');
    const patched = await gw.rest('PATCH', `${RFE}/x3000c0s3b0`, { MACAddr: 'FF:FF:FF:FF:FF:FF:FF:FF' });
    expect(patched.status, patched.text).toBe(200);
    expect(patched.body.MACAddr).toBe('FF:FF:FF:FF:FF:FF:FF:FF');
    expect((await gw.rest('PATCH', `${RFE}/x3000c0s3b0`, { MACAddr: 'decafc0ffee3' })).status).toBe(200);
    expect((await gw.rest('POST', RFE, endpoint('x3000c0s4b0', ''))).status).toBe(201);
    expect((await gw.rest('GET', `${RFE}/x3000c0s4b0`)).body.MACAddr ?? '').toBe('');
  });

  it('PATCH and PUT refuse a bad MACAddr and keep the stored one', async () => {
    expect((await gw.rest('PATCH', `${RFE}/x3000c0s2b0`, { MACAddr: 'zz' })).status).toBe(400);
    expect((await gw.rest('PUT', `${RFE}/x3000c0s2b0`, endpoint('x3000c0s2b0', 'zz'))).status).toBe(400);
    expect((await gw.rest('GET', `${RFE}/x3000c0s2b0`)).body.MACAddr).toBe('DE-CA-FC-0F-FE-E2');
  });
});

describe('GraphQL', () => {
  it.each([
    ['createRedfishEndpoint', 'mutation { createRedfishEndpoint(input: { xname: "x3000c0s5b0", macAddr: "zz" }) { xname } }', 'macAddr'],
    ['updateRedfishEndpoint', 'mutation { updateRedfishEndpoint(xname: "x3000c0s2b0", input: { macAddr: "zz" }) { xname } }', 'macAddr'],
    [
      'createRedfishEndpoints',
      'mutation { createRedfishEndpoints(redfishEndpoints: [{ xname: "x3000c0s6b0" }, { xname: "x3000c0s7b0", macAddr: "zz" }]) { xname } }',
      'redfishEndpoints.1.macAddr',
    ],
    [
      'createComponentEndpoint',
      `mutation { createComponentEndpoint(input: { xname: "x3000c0s2b0n0", redfishEndpointXname: "x3000c0s2b0", redfishType: "ComputerSystem",
        odataId: "/redfish/v1/Systems/Node0", componentEndpointType: "ComponentEndpointComputerSystem", macAddr: "zz" }) { xname } }`,
      'macAddr',
    ],
  ])('%s refuses macAddr "zz" as BAD_USER_INPUT naming the field', async (_name, mutation, field) => {
    const before = await endpointCount();
    const result = await gw.gql(mutation);
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(result.errors?.[0].message).toMatch(/must be a MAC address/);
    expect(await endpointCount()).toBe(before);
  });
});

describe('SMD import', () => {
  it('refuses a dump whose endpoint has a bad MACAddr, naming the record and field, and imports nothing', async () => {
    const before = await endpointCount();
    const document = JSON.stringify({
      'Inventory/RedfishEndpoints': { RedfishEndpoints: [endpoint('x3000c0s8b0', 'de:ca:fc:0f:fe:e8'), endpoint('x3000c0s9b0', 'zz')] },
    });
    const reply = await gw.rest('POST', '/apis/import/v1/smd', document);
    expect(reply.status, reply.text).toBe(422);
    expect(reply.body.field).toMatch(/macAddr|MACAddr/);
    expect(reply.body.detail).toMatch(/must be a MAC address/);
    expect(await endpointCount()).toBe(before);
  });
});

// RedfishEndpoints as SMD's own contract tests drive them: what a client posts reads back as
// posted (Hostname empty when only ID was given, MACAddr's spelling), PATCH checks the address
// with the stored one, and a missing endpoint is 404 for PATCH and DELETE. Where the gateway
// deliberately differs (README, "SMD: where the gateway differs"): PUT of a missing endpoint
// creates it, as OpenCHAMI's SMD does and magellan --force relies on; a bad address is a 400,
// not SMD's 500.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { expectSmdProblem, smdClient } from '../support/smd.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
});
afterAll(() => gw.close());

const smd = smdClient(() => gw);
const RFE = '/Inventory/RedfishEndpoints';

describe('what is posted reads back as posted', () => {
  it('an endpoint named by its ID alone keeps an empty Hostname; its FQDN is the ID', async () => {
    const created = await smd('POST', RFE, { RedfishEndpoints: [{ ID: 'x8000c7s9b1', Enabled: false }, { ID: 'x8000c7s9b2' }] });
    expect(created.status).toBe(201);
    expect((await smd('GET', `${RFE}/x8000c7s9b1`)).body).toMatchObject({
      ID: 'x8000c7s9b1',
      Hostname: '',
      Domain: '',
      FQDN: 'x8000c7s9b1',
    });
    const replaced = await smd('PUT', `${RFE}/x8000c7s9b2`, { ID: 'x8000c7s9b2', Enabled: true, RediscoverOnUpdate: true });
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({ Hostname: '', FQDN: 'x8000c7s9b2', Enabled: true, RediscoverOnUpdate: true });
  });

  it('a Hostname given with its FQDN is kept; a Hostname alone that disagrees with the stored FQDN is a 400', async () => {
    const both = await smd('PATCH', `${RFE}/x8000c7s9b1`, { Hostname: 'MyHostname', FQDN: 'MyHostname' });
    expect(both.status).toBe(200);
    expect(both.body).toMatchObject({ Hostname: 'MyHostname', FQDN: 'MyHostname' });
    const alone = await smd('PATCH', `${RFE}/x8000c7s9b2`, { Hostname: 'OtherName' });
    expectSmdProblem(alone, 400, "couldn't validate endpoint data: host/domain conflicts with FQDN: 'OtherName' != 'x8000c7s9b2'");
    expect((await smd('GET', `${RFE}/x8000c7s9b2`)).body.Hostname).toBe('');
  });

  it('two endpoints cannot share an FQDN (409)', async () => {
    const clash = await smd('PATCH', `${RFE}/x8000c7s9b2`, { FQDN: 'MyHostname' });
    expect(clash.status).toBe(409);
  });

  it('MACAddr keeps its case and separators; an 8-octet EUI-64 is taken', async () => {
    const eui64 = await smd('PATCH', `${RFE}/x8000c7s9b1`, { MACAddr: 'ff:ff:ff:ff:ff:ff:ff:ff' });
    expect(eui64.status).toBe(200);
    expect(eui64.body.MACAddr).toBe('ff:ff:ff:ff:ff:ff:ff:ff');
    const upper = await smd('PATCH', `${RFE}/x8000c7s9b1`, { MACAddr: 'A4:BF:01:3E:C0:DE' });
    expect(upper.body.MACAddr).toBe('A4:BF:01:3E:C0:DE');
    expect((await smd('GET', `${RFE}/x8000c7s9b1`)).body.MACAddr).toBe('A4:BF:01:3E:C0:DE');
    expect((await smd('PATCH', `${RFE}/x8000c7s9b1`, { MACAddr: 'not-a-mac' })).status).toBe(400);
  });
});

describe('a missing endpoint', () => {
  it('PATCH and DELETE answer 404 and create nothing', async () => {
    expectSmdProblem(await smd('PATCH', `${RFE}/x8000c7s9b9`, { Enabled: true }), 404, 'No such entry: x8000c7s9b9');
    expectSmdProblem(await smd('DELETE', `${RFE}/x8000c7s9b9`), 404, 'no such xname.');
    expect((await smd('GET', `${RFE}/x8000c7s9b9`)).status).toBe(404);
  });

  it('PUT creates it (204), as OpenCHAMI SMD does; a second PUT replaces it (200)', async () => {
    const fresh = await smd('PUT', `${RFE}/x8000c7s9b8`, { ID: 'x8000c7s9b8', Enabled: true });
    expect(fresh.status).toBe(204);
    const again = await smd('PUT', `${RFE}/x8000c7s9b8`, { ID: 'x8000c7s9b8', Enabled: false });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ ID: 'x8000c7s9b8', Enabled: false, Hostname: '' });
  });
});

// The Redfish client and reader against a DMTF-shaped fixture BMC over HTTPS: the neutral
// model, the scan payload and SMD records made from it, and each failure classified.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedfishClient, type RedfishClientOptions } from '../../src/services/discovery/redfish-client.js';
import { readBmc } from '../../src/services/discovery/redfish-reader.js';
import { scanPayloadOf } from '../../src/services/discovery/scan-mapping.js';
import { hardwareLocationsOf, redfishInventoryOf } from '../../src/services/discovery/smd-mapping.js';
import { type FixtureBmc, type FixtureCertificate, makeCertificate, PASSWORD, startFixtureBmc, USER } from './fixture-bmc.js';

let certificate: FixtureCertificate;
let bmc: FixtureBmc;
beforeAll(async () => {
  certificate = await makeCertificate();
  bmc = await startFixtureBmc(certificate);
});
afterAll(() => bmc.close());

async function read(options: Partial<RedfishClientOptions> = {}, xname: string | null = 'x3000c0s1b0') {
  const client = new RedfishClient({
    address: bmc.address,
    username: USER,
    password: PASSWORD,
    timeoutMs: 2000,
    backoffMs: 10,
    ...options,
  });
  try {
    return await readBmc(client, xname);
  } finally {
    await client.close();
  }
}

async function failure(options: Partial<RedfishClientOptions> = {}) {
  const error = await read(options).then(
    () => undefined,
    (e) => e,
  );
  expect(error, 'the read should fail').toBeDefined();
  return { kind: error.kind, message: String(error.message) };
}

describe('reading a BMC', () => {
  it('walks systems, chassis and managers into the neutral model', async () => {
    const inventory = await read();
    expect(inventory.serviceRoot).toMatchObject({ redfishVersion: '1.6.0', vendor: 'Contoso' });
    const [system] = inventory.systems;
    expect(system?.processors.map((p) => [p.id, p.processorType])).toEqual([
      ['CPU1', 'CPU'],
      ['GPU1', 'GPU'],
    ]);
    expect(system?.memory.map((d) => d.serialNumber)).toEqual(['DIMM-1', 'DIMM-2']);
    expect(system?.drives.map((d) => d.serialNumber)).toEqual(['DRIVE-0']);
    expect(system?.pcieDevices.map((d) => [d.id, d.deviceClasses])).toEqual([
      ['NIC', ['NetworkController']],
      ['GPU', []],
    ]);
    expect(system?.interfaces[0]).toMatchObject({ mac: 'AA:BB:CC:DD:EE:FF', ipv4: ['192.168.0.10'] });
    expect(inventory.chassis[0]).toMatchObject({
      chassisType: 'RackMount',
      powerControlIds: ['/redfish/v1/Chassis/1U/Power#/PowerControl/0'],
    });
    expect(inventory.chassis[0]?.powerSupplies.map((p) => p.serialNumber)).toEqual(['PSU-0']);
    expect(inventory.chassis[0]?.fans).toHaveLength(1);
    expect(inventory.managers[0]).toMatchObject({ managerType: 'BMC', firmwareVersion: '4.4.6521', commandShell: ['SSH'] });
  });

  it('maps to a scan payload: one tree, the rack chassis folded into its system, each part once', async () => {
    const { rawData } = scanPayloadOf([await read()]);
    const summary = rawData.map((i) => [i.deviceType, i.serialNumber, i.properties.redfish_parent_uri ?? null]);
    const node = 'x3000c0s1b0/redfish/v1/Systems/437XR1138R2';
    expect(summary).toEqual([
      ['PowerSupply', 'PSU-0', node],
      ['Fan', null, node],
      ['NodeBMC', 'BMC-1', node],
      ['Node', '437XR1138R2', null],
      ['Processor', 'CPU-1', node],
      ['GPU', 'GPU-1', node],
      ['Memory', 'DIMM-1', node],
      ['Memory', 'DIMM-2', node],
      ['Drive', 'DRIVE-0', node],
      ['NIC', 'NIC-1', node],
    ]);
    expect(rawData.find((i) => i.deviceType === 'Node')?.properties).toMatchObject({
      xname: 'x3000c0s1b0n0',
      mac_addresses: ['aa:bb:cc:dd:ee:ff'],
    });
    expect(rawData.find((i) => i.deviceType === 'NIC')?.properties.mac_addresses).toEqual(['aa:bb:cc:dd:ee:ff']);
  });

  it('maps to SMD records: the endpoint inventory and hardware locations', async () => {
    const inventory = await read();
    expect(redfishInventoryOf(inventory)).toMatchObject({
      schemaVersion: 2,
      managers: [{ uri: '/redfish/v1/Managers/BMC', ethernetInterfaces: [{ mac: '12:44:6a:3b:04:11' }] }],
      systems: [{ uuid: '38947555-7742-3448-3784-823347823834', powerControlIds: ['/redfish/v1/Chassis/1U/Power#/PowerControl/0'] }],
    });
    expect(hardwareLocationsOf(inventory).map((l) => [l.xname, l.fru?.serialNumber])).toEqual([
      ['x3000c0s1b0n0', '437XR1138R2'],
      ['x3000c0s1b0n0p0', 'CPU-1'],
      ['x3000c0s1b0n0a0', 'GPU-1'],
      ['x3000c0s1b0n0d0', 'DIMM-1'],
      ['x3000c0s1b0n0d1', 'DIMM-2'],
    ]);
  });

  it('authenticates with a session as well, and ends it', async () => {
    const inventory = await read({ auth: 'session' });
    expect(inventory.systems).toHaveLength(1);
    expect(await failure({ auth: 'session', password: 'wrong' })).toMatchObject({ kind: 'refused-credentials' });
  });

  it('verifies TLS against a CA bundle or pinned fingerprints when asked', async () => {
    expect((await read({ tls: { verify: 'ca', ca: certificate.cert } })).systems).toHaveLength(1);
    expect((await read({ tls: { verify: 'pinned', fingerprints: [certificate.fingerprint256] } })).systems).toHaveLength(1);
    const other = await makeCertificate();
    expect(await failure({ tls: { verify: 'ca', ca: other.cert } })).toMatchObject({ kind: 'bad-tls' });
    const before = bmc.requests;
    expect(await failure({ tls: { verify: 'pinned', fingerprints: [other.fingerprint256] } })).toMatchObject({ kind: 'bad-tls' });
    expect(bmc.requests, 'no request reaches a server whose certificate is not pinned').toBe(before);
  });

  it('classifies each failure', async () => {
    expect(await failure({ password: 'wrong' })).toMatchObject({ kind: 'refused-credentials' });
    expect(await failure({ username: null })).toMatchObject({ kind: 'refused-credentials' });
    expect(await failure({ address: '127.0.0.1:1' })).toMatchObject({ kind: 'unreachable' });
    expect(await failure({ maxResponseBytes: 100 })).toMatchObject({ kind: 'malformed-answer' });
    for (const [mode, kind] of [
      ['html', 'not-a-bmc'],
      ['error', 'bmc-error'],
      ['broken', 'malformed-answer'],
    ] as const) {
      // Every request of the reads before this one has arrived, so this one's are counted alone.
      await bmc.idle();
      bmc.mode = mode;
      const before = bmc.requests;
      try {
        expect(await failure({ retries: 2 }), mode).toMatchObject({ kind });
      } finally {
        bmc.mode = 'ok';
      }
      expect(bmc.requests - before, `${mode}: retried only when it may pass`).toBe(mode === 'error' ? 3 : 1);
    }
  });

  it('sends nothing more once a read has failed: the requests queued beside the refused one are stopped', async () => {
    // Systems, Chassis and Managers are asked at once over one keep-alive connection; the first
    // 401 ends the read. One more may already be on the wire by then; the rest never go out.
    await bmc.idle();
    const before = bmc.requests;
    expect(await failure({ password: 'wrong' })).toMatchObject({ kind: 'refused-credentials' });
    await bmc.idle();
    expect(bmc.requests - before, 'the service root, the refused collection, at most one more').toBeLessThanOrEqual(3);
  });

  it('gives up on a BMC that does not answer within the timeout', async () => {
    const { createServer } = await import('node:net');
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const port = (silent.address() as { port: number }).port;
      const started = Date.now();
      expect(await failure({ address: `127.0.0.1:${port}`, timeoutMs: 200, retries: 1 })).toMatchObject({ kind: 'unreachable' });
      expect(Date.now() - started).toBeLessThan(2000);
    } finally {
      silent.close();
    }
  });
});

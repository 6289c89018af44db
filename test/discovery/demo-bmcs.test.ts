// --demo starts the demo cluster's BMCs, simulated, and points the demo's RedfishEndpoints at
// them: SMD's Discover on a fresh demo gateway crawls real Redfish and records what it found.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GatewayProcess, startGatewayProcess } from '../support/gateway-process.js';

describe('--demo with simulated BMCs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'demo-bmcs-'));
  let gateway: GatewayProcess;
  const get = async (path: string) => (await fetch(`${gateway.base}${path}`)).json() as Promise<any>;

  beforeAll(async () => {
    gateway = await startGatewayProcess(['--demo', '--database-url', `file:${join(dir, 'demo.db')}`]);
  }, 120_000);
  afterAll(async () => {
    await gateway?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('points the demo endpoints at the simulator, and Discover crawls one', async () => {
    const endpoint = await get('/hsm/v2/Inventory/RedfishEndpoints/x1000c0s0b0');
    expect(endpoint.FQDN).toMatch(/^127\.0\.10\.\d+:\d+$/);
    expect(endpoint.Password).toBe(''); // write-only, as ever
    const started = await fetch(`${gateway.base}/hsm/v2/Inventory/Discover`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ xnames: ['x1000c0s0b0'] }),
    });
    expect(started.status).toBe(200);
    const [{ URI }] = (await started.json()) as Array<{ URI: string }>;
    let status: any;
    for (let i = 0; i < 300; i++) {
      status = await get(URI);
      if (status.Status === 'Complete') break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(status).toMatchObject({ Status: 'Complete', Details: { Discovered: 1, Failed: [] } });
    const found = await get('/hsm/v2/Inventory/ComponentEndpoints?RedfishEndpointID=x1000c0s0b0');
    expect(found.ComponentEndpoints.map((c: { ID: string }) => c.ID)).toContain('x1000c0s0b0n0');
  }, 120_000);
});

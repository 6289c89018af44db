// Every fault a simulated BMC can show, set at start and at run time, while the other BMCs
// keep answering normally; and a DIMM replacement that the next read sees.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BmcSimulator, parseFault, startBmcSimulator } from '../../src/simulator/redfish/index.js';
import { basic, redfishClient } from './support.js';

let sim: BmcSimulator;
let client: ReturnType<typeof redfishClient>;

beforeAll(async () => {
  sim = await startBmcSimulator({
    count: 3,
    listen: '127.0.10.31',
    port: 0,
    vendors: ['hpe-cray', 'dell-idrac'],
    faults: { x1000c0s1b0: { kind: 'server-error' } },
  });
  client = redfishClient(sim);
});
afterAll(async () => {
  client?.close();
  await sim?.close();
});

const get = (i: number, path = '/redfish/v1/Systems', headers?: Record<string, string>) => {
  const bmc = sim.bmcs[i]!;
  return client.call(bmc, path, { headers: headers ?? { authorization: basic(bmc) } });
};

describe('faults', () => {
  it('answers 500 with a Redfish error when set at start, and heals when cleared', async () => {
    const failing = await get(1);
    expect(failing.status).toBe(500);
    expect(failing.json().error.code).toBe('Base.1.8.InternalError');
    expect((await get(1, '/redfish/v1')).status).toBe(500);
    expect((await get(0)).status).toBe(200);
    sim.setFault('x1000c0s1b0', null);
    expect((await get(1)).status).toBe(200);
  });

  it('slows every answer by the delay, and only on that BMC', async () => {
    sim.setFault('x1000c0s0b0', { kind: 'slow', delayMs: 400 });
    let started = performance.now();
    expect((await get(0)).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(390);
    started = performance.now();
    expect((await get(2)).status).toBe(200);
    expect(performance.now() - started).toBeLessThan(300);
    // A client timeout shorter than the delay sees no answer.
    await expect(client.call(sim.bmcs[0]!, '/redfish/v1', { timeoutMs: 100 })).rejects.toThrow(/timed out/);
    sim.setFault('x1000c0s0b0', null);
  });

  it('refuses the right password (basic and session) and existing sessions with bad-credentials', async () => {
    const bmc = sim.bmcs[2]!;
    const session = await client.call(bmc, '/redfish/v1/SessionService/Sessions', {
      method: 'POST',
      body: { UserName: bmc.user, Password: bmc.password },
    });
    const token = session.headers['x-auth-token'] as string;
    sim.setFault(bmc.xname, { kind: 'bad-credentials' });
    expect((await get(2)).status).toBe(401);
    expect((await get(2, '/redfish/v1/Systems', { 'x-auth-token': token })).status).toBe(401);
    const again = await client.call(bmc, '/redfish/v1/SessionService/Sessions', {
      method: 'POST',
      body: { UserName: bmc.user, Password: bmc.password },
    });
    expect(again.status).toBe(401);
    // The service root stays public, as on a real BMC: the refusal comes at the first authenticated read.
    expect((await get(2, '/redfish/v1', {})).status).toBe(200);
    expect((await get(0)).status).toBe(200);
    sim.setFault(bmc.xname, null);
    expect((await get(2)).status).toBe(200);
  });

  it('serves JSON cut short with malformed-json, still labelled JSON', async () => {
    sim.setFault('x1000c0s0b0', { kind: 'malformed-json' });
    for (const path of ['/redfish/v1', '/redfish/v1/Systems/Node0']) {
      const answer = await get(0, path);
      expect(answer.status).toBe(200);
      expect(answer.headers['content-type']).toMatch(/^application\/json/);
      expect(() => answer.json()).toThrow(SyntaxError);
    }
    expect((await get(2)).json()['Members@odata.count']).toBe(2);
    sim.setFault('x1000c0s0b0', null);
    expect((await get(0, '/redfish/v1/Systems/Node0')).json().Id).toBe('Node0');
  });

  it('answers HTML like a switch web page on every path with not-redfish', async () => {
    sim.setFault('x1000c0s1b0', { kind: 'not-redfish' });
    for (const path of ['/', '/redfish/v1', '/redfish/v1/Systems']) {
      const answer = await get(1, path);
      expect(answer.status).toBe(200);
      expect(answer.headers['content-type']).toMatch(/^text\/html/);
      expect(answer.text).toMatch(/^<!DOCTYPE html>/);
    }
    sim.setFault('x1000c0s1b0', null);
  });

  it('refuses unknown BMCs and bad faults with clear errors', () => {
    expect(() => sim.setFault('x9c0s0b0', { kind: 'server-error' })).toThrow('no simulated BMC x9c0s0b0');
    expect(() => sim.setFault('x1000c0s0b0', { kind: 'slow', delayMs: -1 })).toThrow(/delayMs/);
    expect(() => sim.setFault('x1000c0s0b0', { kind: 'melted' } as any)).toThrow(/unknown fault kind "melted"/);
    expect(parseFault('slow:2000')).toEqual({ kind: 'slow', delayMs: 2000 });
    expect(parseFault('not-redfish')).toEqual({ kind: 'not-redfish' });
    expect(() => parseFault('slow')).toThrow(/slow:2000/);
    expect(() => parseFault('server-error:5')).toThrow(/takes no argument/);
  });

  it('counts every request, refused ones included', async () => {
    const before = sim.requestCount();
    await get(0);
    await get(0, '/redfish/v1/Systems', {});
    await get(0, '/nowhere');
    expect(sim.requestCount() - before).toBe(3);
  });
});

describe('replaceDimm', () => {
  it('gives one DIMM a new serial and part number that the next read sees, on that node only', async () => {
    const path = '/redfish/v1/Systems/Node1/Memory/DIMM2';
    const before = (await get(0, path)).json();
    const untouched = (await get(0, '/redfish/v1/Systems/Node0/Memory/DIMM2')).json();
    const swap = sim.replaceDimm('x1000c0s0b0n1', 2);
    expect(swap.old).toBe(before.SerialNumber);
    expect(swap.new).not.toBe(swap.old);
    const after = (await get(0, path)).json();
    expect(after.SerialNumber).toBe(swap.new);
    expect(after.PartNumber).not.toBe(before.PartNumber);
    expect(after.Manufacturer).toBe(before.Manufacturer);
    expect((await get(0, '/redfish/v1/Systems/Node0/Memory/DIMM2')).json()).toEqual(untouched);
    // A second swap of the same slot gives yet another serial.
    const second = sim.replaceDimm('x1000c0s0b0n1', 2);
    expect(second.old).toBe(swap.new);
    expect(new Set([before.SerialNumber, swap.new, second.new]).size).toBe(3);
  });

  it('takes a BMC xname for its first node, DIMM 0 by default (an iDRAC shape included)', async () => {
    const before = (await get(1, '/redfish/v1/Systems/System.Embedded.1/Memory/DIMM.Socket.A1')).json();
    const swap = sim.replaceDimm('x1000c0s1b0');
    expect(swap.old).toBe(before.SerialNumber);
    expect((await get(1, '/redfish/v1/Systems/System.Embedded.1/Memory/DIMM.Socket.A1')).json().SerialNumber).toBe(swap.new);
  });

  it('refuses a node or slot the BMC does not serve', () => {
    expect(() => sim.replaceDimm('x1000c0s1b0n1')).toThrow('BMC x1000c0s1b0 serves no node x1000c0s1b0n1');
    expect(() => sim.replaceDimm('x1000c0s0b0n0', 8)).toThrow('x1000c0s0b0n0 has no DIMM 8 (it has 8)');
    expect(() => sim.replaceDimm('x1000c7s0b0n0')).toThrow('no simulated BMC x1000c7s0b0');
  });
});

describe('reset actions', () => {
  it('powers a node off and on through ComputerSystem.Reset, and refuses a reset type it does not list', async () => {
    const bmc = sim.bmcs[0]!;
    const auth = { authorization: basic(bmc) };
    const system = (await get(0, '/redfish/v1/Systems/Node1')).json();
    const node0Before = (await get(0, '/redfish/v1/Systems/Node0')).json().PowerState;
    const target = system.Actions['#ComputerSystem.Reset'].target;
    const reset = (ResetType: unknown) => client.call(bmc, target, { method: 'POST', headers: auth, body: { ResetType } });
    expect((await reset('ForceOff')).status).toBe(204);
    expect((await get(0, '/redfish/v1/Systems/Node1')).json().PowerState).toBe('Off');
    // The other node of the blade keeps its state.
    expect((await get(0, '/redfish/v1/Systems/Node0')).json().PowerState).toBe(node0Before);
    expect((await reset('On')).status).toBe(204);
    expect((await get(0, '/redfish/v1/Systems/Node1')).json().PowerState).toBe('On');
    const refused = await reset('Explode');
    expect(refused.status).toBe(400);
    expect(refused.json().error['@Message.ExtendedInfo'][0].Message).toMatch(/ResetType must be one of Off, On, ForceOff/);
    // Without credentials, nothing happens.
    expect((await client.call(bmc, target, { method: 'POST', body: { ResetType: 'ForceOff' } })).status).toBe(401);
    const manager = (await get(0, '/redfish/v1/Managers/BMC')).json().Actions['#Manager.Reset'].target;
    expect((await client.call(bmc, manager, { method: 'POST', headers: auth, body: { ResetType: 'GracefulRestart' } })).status).toBe(204);
    expect(
      (await client.call(bmc, '/redfish/v1/Systems/Node7/Actions/ComputerSystem.Reset', { method: 'POST', headers: auth, body: {} }))
        .status,
    ).toBe(404);
  });
});

// The simulator as a fleet: the same seed reads the same hardware in every run (a rescan of
// unchanged hardware must match), 200 BMCs start and close in bounded time, port 0 finds one
// port for all addresses, and bad options are refused before anything listens.
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type BmcSimulator, startBmcSimulator } from '../../src/simulator/redfish/index.js';
import { basic, crawl, redfishClient } from './support.js';

const started: BmcSimulator[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((sim) => sim.close()));
});

async function start(options: Parameters<typeof startBmcSimulator>[0]) {
  const sim = await startBmcSimulator(options);
  started.push(sim);
  return sim;
}

async function snapshot(sim: BmcSimulator, index: number) {
  const client = redfishClient(sim);
  const bmc = sim.bmcs[index]!;
  try {
    return await crawl((path) => client.call(bmc, path, { headers: { authorization: basic(bmc) } }));
  } finally {
    client.close();
  }
}

describe('the simulator fleet', () => {
  it('serves identical trees for the same seed in two runs, and other serials for another seed', async () => {
    const options = { count: 2, listen: '127.0.10.41', port: 0, vendors: ['dell-idrac' as const, 'hpe-cray' as const] };
    const first = await snapshot(await start(options), 1);
    await started.pop()?.close();
    const second = await snapshot(await start(options), 1);
    expect([...second.entries()]).toEqual([...first.entries()]);
    expect(first.size).toBeGreaterThan(40);
    const other = await snapshot(await start({ ...options, listen: '127.0.10.51', seed: 2 }), 1);
    const serial = (tree: Map<string, any>) => tree.get('/redfish/v1/Systems/Node0/Memory/DIMM0').SerialNumber;
    expect(serial(other)).not.toBe(serial(first));
    expect(other.get('/redfish/v1/Systems/Node0').UUID).not.toBe(first.get('/redfish/v1/Systems/Node0').UUID);
  });

  it('serves a BMC the same hardware whatever the size of the fleet', async () => {
    const small = await snapshot(await start({ count: 1, listen: '127.0.10.45', port: 0 }), 0);
    const large = await snapshot(await start({ count: 70, listen: '127.0.22.1', port: 0 }), 0);
    expect([...large.entries()].filter(([path]) => !path.includes('EthernetInterfaces/ManagementEthernet'))).toEqual(
      [...small.entries()].filter(([path]) => !path.includes('EthernetInterfaces/ManagementEthernet')),
    );
  });

  it('starts 200 BMCs on 200 addresses and closes them in bounded time', async () => {
    let t = performance.now();
    const sim = await start({ count: 200, listen: '127.0.20.101', port: 0, vendors: ['hpe-cray', 'dell-idrac'] });
    const startMs = performance.now() - t;
    expect(sim.bmcs).toHaveLength(200);
    expect(new Set(sim.bmcs.map((b) => b.host)).size).toBe(200);
    expect(sim.bmcs[199]?.xname).toBe('x1003c0s7b0');
    // .0 and .255 are skipped on the way from 127.0.20.254 to 127.0.21.1.
    expect(sim.bmcs.slice(153, 155).map((b) => b.host)).toEqual(['127.0.20.254', '127.0.21.1']);
    expect(sim.bmcs[199]?.host).toBe('127.0.21.46');
    expect(sim.bmcs.some((b) => /\.(0|255)$/.test(b.host))).toBe(false);
    const client = redfishClient(sim);
    const last = sim.bmcs[199]!;
    const answer = await client.call(last, '/redfish/v1/Systems/System.Embedded.1', { headers: { authorization: basic(last) } });
    expect(answer.json().Name).toBe('x1003c0s7b0n0');
    client.close();
    t = performance.now();
    await sim.close();
    const closeMs = performance.now() - t;
    expect(startMs).toBeLessThan(10_000);
    expect(closeMs).toBeLessThan(5_000);
    // Closed means nothing listens any more.
    await expect(redfishClient(sim).call(last, '/redfish/v1', { timeoutMs: 2000 })).rejects.toThrow(/ECONNREFUSED/);
  }, 30_000);

  it('picks another port when the first one it got is taken on a later address', async () => {
    // Hold the ports the OS hands out next on 127.0.10.62, so port 0 on .61 likely collides there.
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.10.62', resolve));
    const taken = (blocker.address() as { port: number }).port;
    try {
      const sim = await start({ count: 2, listen: '127.0.10.61', port: 0 });
      expect(sim.bmcs[0]?.port).toBe(sim.bmcs[1]?.port);
      expect(sim.bmcs[1]?.port).not.toBe(taken);
    } finally {
      blocker.close();
    }
    // A fixed port taken on one address is an error naming the port.
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.10.72', resolve));
    const port = (holder.address() as { port: number }).port;
    try {
      await expect(startBmcSimulator({ count: 2, listen: '127.0.10.71', port })).rejects.toThrow(
        new RegExp(`cannot listen on .*port ${port}.*EADDRINUSE`),
      );
      // Nothing stays listening after a failed start.
      const probe = createServer();
      await new Promise<void>((resolve, reject) => probe.once('error', reject).listen(port, '127.0.10.71', resolve));
      probe.close();
    } finally {
      holder.close();
    }
  });

  it('stops by itself after stopAfterMs', async () => {
    const sim = await start({ count: 1, listen: '127.0.10.81', port: 0, stopAfterMs: 300 });
    const t = performance.now();
    await sim.closed;
    expect(performance.now() - t).toBeLessThan(3000);
    await expect(redfishClient(sim).call(sim.bmcs[0]!, '/redfish/v1', { timeoutMs: 2000 })).rejects.toThrow(/ECONNREFUSED/);
  });

  it.each([
    [{ count: 0 }, /count must be an integer from 1/],
    [{ count: 1, listen: '0.0.0.0' }, /never listens on all interfaces/],
    [{ count: 1, listen: '127.0.10' }, /not an IPv4 address/],
    [{ count: 1, listen: '::1' }, /not an IPv4 address/],
    [{ count: 300, listen: '127.255.255.200' }, /run past 127.255.255.254/],
    [{ count: 1, port: 70000 }, /port must be an integer from 0 to 65535/],
    [{ count: 1, vendors: ['hpe-ilo'] }, /unknown vendor "hpe-ilo"/],
    [{ count: 1, vendors: [] }, /at least one vendor/],
    [{ count: 1, stopAfterMs: -5 }, /stopAfterMs must be a positive number/],
    [{ count: 1, faults: { x1: { kind: 'server-error' } } }, /no simulated BMC x1/],
    [{ count: 1, user: 'a:b' }, /must not contain ":"/],
    [{ count: 1, listen: '10.255.0.1', port: 0 }, /EADDRNOTAVAIL.*127\.0\.0\.0\/8/],
  ])('refuses %o', async (options, message) => {
    // Should one start after all, it is closed at once (it would listen on port 443).
    const closing = startBmcSimulator({ port: 0, ...options } as any).then(async (sim) => {
      await sim.close();
      return sim;
    });
    await expect(closing).rejects.toThrow(message);
  });
});

describe('rough clients', () => {
  it('survives clients that reset connections, speak plain HTTP or abandon the TLS handshake', async () => {
    const { connect } = await import('node:net');
    const sim = await start({ count: 1, listen: '127.0.10.85', port: 0 });
    const bmc = sim.bmcs[0]!;
    const rough = async (send: (socket: import('node:net').Socket) => void) =>
      new Promise<void>((resolve) => {
        const socket = connect(bmc.port, bmc.host, () => send(socket));
        socket.on('error', () => resolve());
        socket.on('close', () => resolve());
        setTimeout(() => socket.destroy(), 500);
      });
    await rough((s) => s.end('GET /redfish/v1 HTTP/1.1\r\nHost: x\r\n\r\n'));
    await rough((s) => s.resetAndDestroy());
    await rough((s) => s.write(Buffer.from([0x16, 0x03, 0x01, 0x00, 0x05, 0x01])));
    const client = redfishClient(sim);
    try {
      expect((await client.call(bmc, '/redfish/v1')).status).toBe(200);
    } finally {
      client.close();
    }
  });
});

// A boot storm: every simulated node connects from its own 127.x.y.z address (so the gateway
// identifies it by source address, as it does a real node) and fetches what cloud-init does:
// meta-data, user-data, vendor-data, then every #include in vendor-data. A fixed number of
// nodes boot at once; every request is bounded by a timeout; nothing retries.
import { request } from 'node:http';
import { onStatement } from '../../src/db/sql-counter.js';
import { percentile } from './stats.js';

export interface StormResult {
  boots: number;
  requests: number;
  failures: string[];
  seconds: number;
  latencyP50: number;
  latencyP99: number;
  statementsPerBoot: number;
}

function get(url: URL, localAddress: string, timeoutMs: number): Promise<{ status: number; body: string; ms: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = request(
      { host: url.hostname, port: url.port, path: url.pathname, localAddress, agent: false, timeout: timeoutMs },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), ms: performance.now() - started }),
        );
      },
    );
    req.on('timeout', () => req.destroy(new Error(`timed out after ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}

/** The URLs a vendor-data document includes, re-pointed at the server under test. */
function includes(vendorData: string, server: URL): URL[] {
  if (!vendorData.startsWith('#include')) return [];
  return vendorData
    .split('\n')
    .slice(1)
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => new URL(new URL(line).pathname, server));
}

export async function bootStorm(baseUrl: string, addresses: string[], concurrency: number, timeoutMs = 30_000): Promise<StormResult> {
  const server = new URL(baseUrl);
  const latencies: number[] = [];
  const failures: string[] = [];
  let statements = 0;
  const stop = onStatement(() => {
    statements += 1;
  });
  let next = 0;
  const started = performance.now();
  async function boot(address: string) {
    const fetchOk = async (path: string | URL) => {
      const url = typeof path === 'string' ? new URL(path, server) : path;
      try {
        const reply = await get(url, address, timeoutMs);
        latencies.push(reply.ms);
        if (reply.status !== 200) failures.push(`${address} ${url.pathname}: HTTP ${reply.status} ${reply.body.slice(0, 80)}`);
        return reply.body;
      } catch (error) {
        failures.push(`${address} ${url.pathname}: ${(error as Error).message}`);
        return '';
      }
    };
    await fetchOk('/cloud-init/meta-data');
    await fetchOk('/cloud-init/user-data');
    const vendorData = await fetchOk('/cloud-init/vendor-data');
    for (const include of includes(vendorData, server)) await fetchOk(include);
  }
  await Promise.all(
    Array.from({ length: Math.min(concurrency, addresses.length) }, async () => {
      while (next < addresses.length) await boot(addresses[next++] as string);
    }),
  );
  stop();
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    boots: addresses.length,
    requests: latencies.length + failures.filter((f) => !f.includes('HTTP')).length,
    failures,
    seconds: (performance.now() - started) / 1000,
    latencyP50: percentile(sorted, 50),
    latencyP99: percentile(sorted, 99),
    statementsPerBoot: statements / addresses.length,
  };
}

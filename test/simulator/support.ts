// A small HTTPS client for the simulator tests: trusts the simulator's certificate as a CA
// bundle (so every test also checks the certificate names each BMC address) and keeps
// connections alive, as a crawler would.
import { Agent, request } from 'node:https';
import type { BmcSimulator, SimulatedBmc } from '../../src/simulator/redfish/index.js';

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json(): any;
}

export interface RequestOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: unknown;
  timeoutMs?: number;
}

export function basic(bmc: Pick<SimulatedBmc, 'user' | 'password'>, password = bmc.password): string {
  return `Basic ${Buffer.from(`${bmc.user}:${password}`).toString('base64')}`;
}

export function redfishClient(sim: BmcSimulator) {
  const agent = new Agent({ keepAlive: true, ca: sim.certificatePem, maxSockets: 8 });
  const call = (bmc: SimulatedBmc, path: string, options: RequestOptions = {}): Promise<Answer> =>
    new Promise((resolve, reject) => {
      const body = options.body === undefined ? undefined : JSON.stringify(options.body);
      const req = request(
        {
          host: bmc.host,
          port: bmc.port,
          path,
          method: options.method ?? 'GET',
          agent,
          headers: { accept: 'application/json', ...(body ? { 'content-type': 'application/json' } : {}), ...options.headers },
          timeout: options.timeoutMs ?? 10_000,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) });
          });
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error(`timed out after ${options.timeoutMs ?? 10_000} ms`)));
      req.on('error', reject);
      req.end(body);
    });
  return { call, close: () => agent.destroy() };
}

/** Every @odata.id a JSON document links to (fragments, as Power#/PowerSupplies/0, cut off). */
export function links(value: unknown, self: string, found = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const item of value) links(item, self, found);
  else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (key === '@odata.id' && typeof item === 'string') {
        const path = item.split('#')[0] as string;
        if (path !== self) found.add(path);
      } else links(item, self, found);
    }
  }
  return found;
}

/** Walks a BMC's tree from the service root, breadth first; path → document. */
export async function crawl(call: (path: string) => Promise<Answer>, limit = 500): Promise<Map<string, any>> {
  const seen = new Map<string, any>();
  const queue = ['/redfish/v1'];
  while (queue.length) {
    const path = queue.shift() as string;
    if (seen.has(path)) continue;
    if (seen.size >= limit) throw new Error(`more than ${limit} resources: a link loop?`);
    const answer = await call(path);
    if (answer.status !== 200) throw new Error(`GET ${path} → ${answer.status} ${answer.text.slice(0, 200)}`);
    const doc = answer.json();
    seen.set(path, doc);
    for (const next of links(doc, path)) if (!seen.has(next)) queue.push(next);
  }
  return seen;
}

// A bounded loopback client: one keep-alive socket, one request at a time, a fixed request
// count after discarded warm-ups, and a time cap so a slow case cannot run away.
import { Agent, request } from 'node:http';

export interface Reply {
  ms: number;
  status: number;
  /** The gateway's x-sql-statements header (NaN when absent). */
  statements: number;
  bytes: number;
  body: string;
}

export interface BenchRequest {
  method: 'GET' | 'POST' | 'PATCH';
  path: string;
  body?: string;
}

export interface LoopbackClient {
  send(request: BenchRequest): Promise<Reply>;
  close(): void;
}

export function createLoopbackClient(baseUrl: string): LoopbackClient {
  const url = new URL(baseUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  return {
    send({ method, path, body }) {
      return new Promise((resolve, reject) => {
        const started = performance.now();
        const req = request(
          {
            host: url.hostname,
            port: url.port,
            path,
            method,
            agent,
            headers: {
              accept: 'application/json',
              ...(body === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }),
            },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (chunk: Buffer) => chunks.push(chunk));
            res.on('error', reject);
            res.on('end', () => {
              const text = Buffer.concat(chunks).toString('utf8');
              resolve({
                ms: performance.now() - started,
                status: res.statusCode ?? 0,
                statements: Number(res.headers['x-sql-statements'] ?? Number.NaN),
                bytes: Buffer.byteLength(text),
                body: text,
              });
            });
          },
        );
        req.on('error', reject);
        req.end(body);
      });
    },
    close: () => agent.destroy(),
  };
}

export interface RunLimits {
  iterations: number;
  warmup: number;
  /** Stop measuring after this many seconds (at least `minSamples` are still taken). */
  maxSeconds: number;
  minSamples?: number;
}

/**
 * Runs `once` sequentially: `warmup` discarded calls, then up to `iterations` measured ones
 * (fewer when `maxSeconds` runs out). Returns the measured results.
 */
export async function measure<T extends { ms: number }>(once: () => Promise<T>, limits: RunLimits): Promise<T[]> {
  const deadline = performance.now() + limits.maxSeconds * 1000;
  const minSamples = limits.minSamples ?? 3;
  for (let i = 0; i < limits.warmup; i += 1) {
    await once();
    if (performance.now() > deadline) break;
  }
  const samples: T[] = [];
  while (samples.length < limits.iterations) {
    samples.push(await once());
    if (samples.length >= minSamples && performance.now() > deadline) break;
  }
  return samples;
}

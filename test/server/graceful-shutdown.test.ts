// SIGTERM during a request: the gateway stops taking connections but finishes the request in
// flight (here, one whose body is still arriving), answers it, and then exits 0.

import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startGatewayProcess } from '../support/gateway-process.js';

const folder = mkdtempSync(join(tmpdir(), 'inventory-drain-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('graceful shutdown', () => {
  it('answers the request in flight, refuses new connections, then exits 0', async () => {
    const gateway = await startGatewayProcess(['--database-url', `file:${join(folder, 'drain.db')}`]);
    const { port } = new URL(gateway.base);
    const body = JSON.stringify({ Components: [{ ID: 'x3000c0s1b0n0', State: 'Ready', Type: 'Node' }] });

    const answered = new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: '/hsm/v2/State/Components',
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          let text = '';
          res.on('data', (chunk) => (text += chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        },
      );
      req.on('error', reject);
      req.write(body.slice(0, 10));
      // The rest of the body arrives after the signal.
      setTimeout(() => {
        gateway.child.kill('SIGTERM');
        setTimeout(() => req.end(body.slice(10)), 500);
      }, 300);
    });

    const reply = await answered;
    expect(reply.status, reply.text).toBeLessThan(300);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await expect(fetch(`${gateway.base}/health`, { signal: AbortSignal.timeout(5000) })).rejects.toThrow();
    expect(await gateway.stop()).toBe(0);
    expect(gateway.lines.some((l) => String(l.msg).startsWith('shutting down'))).toBe(true);
  }, 60_000);
});

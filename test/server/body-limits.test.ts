// Every request body is bounded while it streams, over real HTTP: a Content-Length above the
// limit is refused before a byte is read, and a chunked body that grows past the limit gets a
// 413 while the server has read little more than the limit (its socket's byte count says so),
// however much the client goes on sending. Imports have their own, larger, limit.
import { type ClientRequest, createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, createApp } from '../../src/server/app.js';
import { ConfigError, helpText, parseCommandLine } from '../../src/server/config.js';
import { createMetrics } from '../../src/server/metrics.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

const LIMIT = 64 * 1024;
const IMPORT_LIMIT = 512 * 1024;
/** What Node may pull off a socket past the point where the app stops reading (its buffers). */
const SLACK = 256 * 1024;

let db: TestDatabase;
let app: App;
let server: Server;
let port: number;
const metrics = createMetrics();
const logged: Array<{ level: number; msg: string }> = [];
/** The server side of each connection, in the order requests arrived. */
const sockets: Socket[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  const logger = pino({ level: 'warn' }, { write: (line: string) => logged.push(JSON.parse(line)) });
  app = createApp({ database: db, logger, metrics, bodyLimits: { maxBodyBytes: LIMIT, maxImportBodyBytes: IMPORT_LIMIT } });
  await app.feedReady;
  server = createServer(app.handler);
  server.on('request', (req: IncomingMessage) => sockets.push(req.socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
}, 60_000);
afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  metrics.stop();
  await db?.destroy();
});

interface Reply {
  status: number;
  contentType: string;
  body: any;
  /** Bytes the client handed to its socket before the answer came (or it finished). */
  written: number;
  /** Bytes the server read from this connection's socket, once the answer came. */
  serverRead: number;
}

/**
 * POSTs `total` bytes of `filler` (after `prefix`), chunked unless `contentLength` is given, in
 * 16 KiB writes that wait for the socket to drain; stops writing as soon as an answer arrives.
 */
function post(path: string, options: { prefix?: string; total: number; contentLength?: number; send?: boolean }): Promise<Reply> {
  const { prefix = '', total, contentLength, send = true } = options;
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { 'content-type': 'application/json' };
    if (contentLength === undefined) headers['transfer-encoding'] = 'chunked';
    else headers['content-length'] = contentLength;
    // A connection of its own (no keep-alive agent), so its socket counts this request's bytes only.
    const request = httpRequest({ host: '127.0.0.1', port, path, method: 'POST', headers, agent: false });
    const socketIndex = sockets.length;
    let written = 0;
    let answered = false;
    request.on('error', (error: NodeJS.ErrnoException) => {
      // The server closes the connection after a 413 while the client may still be writing.
      if (!answered) reject(error);
    });
    request.on('response', (response) => {
      answered = true;
      const serverRead = sockets[socketIndex]?.bytesRead ?? -1;
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => {
        const contentType = response.headers['content-type'] ?? '';
        resolve({ status: response.statusCode ?? 0, contentType, body: text ? JSON.parse(text) : undefined, written, serverRead });
      });
    });
    if (!send) return request.flushHeaders();
    (async () => {
      const chunk = Buffer.alloc(16 * 1024, ' ');
      if (prefix) {
        request.write(prefix);
        written += Buffer.byteLength(prefix);
      }
      while (!answered && written < total) {
        const piece = chunk.subarray(0, Math.min(chunk.length, total - written));
        written += piece.length;
        if (!request.write(piece)) await drainedOrClosed(request);
      }
      if (!answered) request.end();
    })().catch(reject);
  });
}

function drainedOrClosed(request: ClientRequest): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      request.off('drain', done).off('close', done);
      resolve();
    };
    request.on('drain', done).on('close', done);
  });
}

function expectProblem413(reply: Reply, limit: number, setting: string) {
  expect(reply.status).toBe(413);
  expect(reply.contentType).toBe('application/problem+json');
  expect(reply.body).toEqual({
    type: 'about:blank',
    title: 'Payload Too Large',
    status: 413,
    detail: `request body larger than the limit of ${limit} bytes (${setting})`,
  });
}

describe('a declared Content-Length above the limit', () => {
  it('is a 413 in SMD’s problem shape before the body is sent at all', async () => {
    const reply = await post('/hsm/v2/State/Components', { total: 0, contentLength: LIMIT + 1, send: false });
    expectProblem413(reply, LIMIT, '--max-body-bytes');
    expect(reply.written).toBe(0);
    expect(reply.serverRead).toBeLessThan(1024);
  });

  it('is a 413 on GraphQL too, as a GraphQL error list', async () => {
    const reply = await post('/graphql', { total: 0, contentLength: LIMIT + 1, send: false });
    expect(reply.status).toBe(413);
    expect(reply.contentType).toBe('application/json');
    expect(reply.body).toEqual({
      errors: [
        {
          message: `request body larger than the limit of ${LIMIT} bytes (--max-body-bytes)`,
          extensions: { code: 'PAYLOAD_TOO_LARGE', max: LIMIT },
        },
      ],
    });
  });
});

describe('a streamed body (chunked, no Content-Length)', () => {
  it('at the limit is read whole', async () => {
    const prefix = '{"deviceType":"Node"}';
    const reply = await post('/apis/inventory/v1/devices', { prefix, total: LIMIT });
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
  });

  it('one byte past the limit is a 413', async () => {
    const prefix = '{"deviceType":"Node"}';
    expectProblem413(await post('/apis/inventory/v1/devices', { prefix, total: LIMIT + 1 }), LIMIT, '--max-body-bytes');
  });

  it('that goes on and on is a 413 once past the limit: the server stops reading there', async () => {
    for (const path of ['/hsm/v2/State/Components', '/components', '/apis/inventory/v1/devices', '/cloud-init/groups']) {
      const reply = await post(path, { prefix: '{"a":"', total: 64 * 1024 * 1024 });
      expectProblem413(reply, LIMIT, '--max-body-bytes');
      expect(reply.serverRead, path).toBeGreaterThan(LIMIT);
      expect(reply.serverRead, path).toBeLessThan(LIMIT + SLACK);
      expect(reply.written, path).toBeLessThan(64 * 1024 * 1024);
    }
  });

  it('to GraphQL is a 413 as a GraphQL error list', async () => {
    const reply = await post('/graphql', { prefix: '{"query":"', total: 64 * 1024 * 1024 });
    expect(reply.status).toBe(413);
    expect(reply.body.errors[0].extensions).toEqual({ code: 'PAYLOAD_TOO_LARGE', max: LIMIT });
    expect(reply.serverRead).toBeLessThan(LIMIT + SLACK);
  });

  it('to an import meets the import limit instead', async () => {
    const document = '{"schemaVersion":"v1alpha6","devices":{}}';
    const under = await post('/apis/import/v1/cani?dryRun=true', { prefix: document, total: 4 * LIMIT });
    expect(under.status, JSON.stringify(under.body)).toBe(200);
    const over = await post('/apis/import/v1/cani', { prefix: '{"schemaVersion":"v1alpha6","devices":{', total: 64 * 1024 * 1024 });
    expectProblem413(over, IMPORT_LIMIT, '--max-import-body-bytes');
    expect(over.serverRead).toBeGreaterThan(IMPORT_LIMIT);
    expect(over.serverRead).toBeLessThan(IMPORT_LIMIT + SLACK);
  });
});

describe('in-process', () => {
  // Over HTTP, Node's parser ends a body at its Content-Length, so the app trusts a declared length
  // within the limit there (bounded-body.ts); a Request made in process is bounded all the same.
  it('bounds a body longer than its declared Content-Length', async () => {
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.enqueue(new Uint8Array(16 * 1024).fill(32));
      },
    });
    const request = new Request('http://gateway.test/apis/inventory/v1/devices', {
      method: 'POST',
      headers: { 'content-length': '10' },
      body,
      duplex: 'half',
    } as RequestInit);
    expect((await app.fetch(request)).status).toBe(413);
  });

  it('bounds a streamed Request body the same way', async () => {
    let pulled = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 16 * 1024;
        controller.enqueue(new Uint8Array(16 * 1024).fill(32));
      },
    });
    const response = await app.fetch(
      new Request('http://gateway.test/apis/history/v1/snapshots', { method: 'POST', body, duplex: 'half' } as RequestInit),
    );
    expect(response.status).toBe(413);
    expect(response.headers.get('connection')).toBe('close');
    expect(pulled).toBeLessThan(LIMIT + SLACK);
  });
});

it('logs no unexpected error for any of it', () => {
  expect(logged.filter((line) => line.level >= 50)).toEqual([]);
});

describe('configuration', () => {
  it('reads both limits from flags, the environment and a config file, defaulting to 32 MiB and 1 GiB', () => {
    expect(parseCommandLine([], {}).config).toMatchObject({ maxBodyBytes: 32 * 1024 * 1024, maxImportBodyBytes: 1024 * 1024 * 1024 });
    expect(parseCommandLine(['--max-body-bytes', '1000', '--max-import-body-bytes', '2000'], {}).config).toMatchObject({
      maxBodyBytes: 1000,
      maxImportBodyBytes: 2000,
    });
    expect(parseCommandLine([], { MAX_BODY_BYTES: '3000', MAX_IMPORT_BODY_BYTES: '4000' }).config).toMatchObject({
      maxBodyBytes: 3000,
      maxImportBodyBytes: 4000,
    });
    expect(() => parseCommandLine(['--max-body-bytes', '0'], {})).toThrow(ConfigError);
    expect(() => parseCommandLine(['--max-import-body-bytes', '1GiB'], {})).toThrow(
      /--max-import-body-bytes: "1GiB" is not a whole number/,
    );
    expect(helpText()).toMatch(/--max-body-bytes <n>[\s\S]*env MAX_BODY_BYTES, default 33554432/);
    expect(helpText()).toMatch(/--max-import-body-bytes <n>[\s\S]*env MAX_IMPORT_BODY_BYTES, default 1073741824/);
  });
});

// A bare HTTP/1.1 client for hostile requests: the method, path and headers go on the wire
// as given (fetch would normalise the path, refuse some methods and fix the headers).
import http from 'node:http';

export interface RawRequest {
  method: string;
  /** Sent as is: may hold bad percent-encodings, `..`, doubled slashes. */
  path: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
}

export interface RawReply {
  status: number;
  contentType: string;
  text: string;
}

const TIMEOUT_MS = 15_000;

export interface RawClient {
  send(request: RawRequest): Promise<RawReply>;
  close(): void;
}

/** One keep-alive connection to `baseUrl`; a transport failure or a timeout rejects. */
export function rawClient(baseUrl: string): RawClient {
  const { hostname, port } = new URL(baseUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  return {
    send(request) {
      return new Promise((resolve, reject) => {
        // Framed by Content-Length whatever the method (Node would not frame a GET's body).
        const headers =
          request.body === undefined ? request.headers : { ...request.headers, 'content-length': String(Buffer.byteLength(request.body)) };
        const outgoing = http.request(
          { host: hostname, port, method: request.method, path: request.path, headers, agent, timeout: TIMEOUT_MS },
          (incoming) => {
            const chunks: Buffer[] = [];
            incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
            incoming.on('error', reject);
            incoming.on('end', () =>
              resolve({
                status: incoming.statusCode ?? 0,
                contentType: String(incoming.headers['content-type'] ?? ''),
                text: Buffer.concat(chunks).toString('utf8'),
              }),
            );
          },
        );
        outgoing.on('timeout', () => outgoing.destroy(new Error(`no answer within ${TIMEOUT_MS} ms`)));
        outgoing.on('error', reject);
        outgoing.end(request.body);
      });
    },
    close: () => agent.destroy(),
  };
}

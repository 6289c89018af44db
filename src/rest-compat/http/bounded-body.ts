// Request bodies are bounded while they stream, whoever reads them (readJson, an import's
// parser, GraphQL): a body declared larger than the limit is refused before a byte is read, and
// one that grows past it (chunked, no Content-Length) stops being read at the limit. Nothing
// buffers more than the limit, whatever the client sends.
import { BodyError, problem } from './respond.js';

/**
 * The body went past `limit` bytes. A BodyError, so every family already answers it as a client
 * error; the app answers 413 in its place (a family's format names no limit).
 */
export class PayloadTooLargeError extends BodyError {
  constructor(
    readonly limit: number,
    /** The setting that raises it, for the message ("--max-body-bytes"). */
    readonly setting?: string,
  ) {
    super(`request body larger than the limit of ${limit} bytes${setting ? ` (${setting})` : ''}`);
  }
}

/** The 413 problem+json of a REST route, in SMD's problem shape; the connection closes after it (the rest of the body is never read). */
export function payloadTooLargeProblem(error: PayloadTooLargeError): Response {
  return problem(413, error.message, {}, { connection: 'close' });
}

export interface BoundedRequest {
  /**
   * The request to hand on: the same one when it has no body or Node's parser ends it at a
   * Content-Length within the limit, else one whose body counts its bytes.
   */
  readonly request: Request;
  /** Content-Length says more than the limit: answer 413 without reading. */
  readonly refused: boolean;
  /** The body went past the limit while it was read: answer 413, whatever the handler made of it. */
  readonly exceeded: boolean;
  /** Bytes read from the client so far. */
  readonly bytesRead: number;
}

/** The Content-Length the client declared, when it declared a valid one. */
function declaredLength(request: Request): number | undefined {
  const header = request.headers.get('content-length');
  return header !== null && /^\d+$/.test(header.trim()) ? Number(header) : undefined;
}

/**
 * Wraps `request` so that reading its body past `limit` bytes fails with PayloadTooLargeError.
 * At the limit the client's stream is left as it is, unread: not cancelled, nor its reader
 * released (which destroys a Node request's stream, and with it the socket the 413 must go out
 * on). Unread, it stops the client by TCP back-pressure; the 413 then closes the connection.
 */
export function boundRequestBody(
  request: Request,
  limit: number,
  options: {
    /** The setting that raises the limit, for the message. */
    setting?: string;
    /** The body was framed by Node's HTTP parser, which stops it at its Content-Length. */
    framedByLength?: boolean;
  } = {},
): BoundedRequest {
  const declared = declaredLength(request);
  if (declared !== undefined && declared > limit) return { request, refused: true, exceeded: false, bytesRead: 0 };
  const asItCame = { request, refused: false, exceeded: false, bytesRead: 0 };
  // Node's HTTP parser ends a body at its Content-Length (what follows is the next request), so
  // there a declared length within the limit is the bound: no counting stream (a new Request and
  // two web streams on every GraphQL POST). An in-process Request's header promises nothing.
  if (declared !== undefined && options.framedByLength) return asItCame;
  const source = request.body;
  if (!source) return asItCame;

  const state = { request, refused: false, exceeded: false, bytesRead: 0 };
  const reader = source.getReader();
  const body = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const read = await reader.read();
        if (read.done) {
          controller.close();
          return;
        }
        state.bytesRead += read.value.byteLength;
        if (state.bytesRead > limit) {
          state.exceeded = true;
          controller.error(new PayloadTooLargeError(limit, options.setting));
          return;
        }
        controller.enqueue(read.value);
      },
      // The handler gave up on the body: the rest stays unread (see above).
      cancel() {},
    },
    { highWaterMark: 0 },
  );
  state.request = new Request(request.url, {
    method: request.method,
    headers: request.headers,
    body,
    signal: request.signal,
    // Node's fetch needs this for a streamed body (not yet in the DOM typings).
    duplex: 'half',
  } as RequestInit);
  return state;
}

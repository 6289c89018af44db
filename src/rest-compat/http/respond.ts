// Response helpers shared by every REST family.
import { boundedMessage, MAX_FIELD_CHARS } from '../../domain/excerpt.js';
import { findUnstorable } from '../../domain/storable-text.js';

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
}

export function noContent(): Response {
  return new Response(null, { status: 204 });
}

/** RFC 7807 problem details; a detail that embeds a long client value is cut (boundedMessage). */
export function problem(
  status: number,
  detail: string,
  extra: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Response {
  const body = { type: 'about:blank', title: STATUS_TITLES[status] ?? 'Error', detail: boundedMessage(detail), status, ...extra };
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/problem+json', ...headers } });
}

export const STATUS_TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** A body that cannot be read; `field` is where in it the fault is ("body" for the whole). */
export class BodyError extends Error {
  readonly field: string;

  constructor(message: string, field = 'body') {
    super(boundedMessage(message));
    // A path in the body names the client's keys, which can be any length.
    this.field = boundedMessage(field, MAX_FIELD_CHARS);
  }
}

/**
 * The default limit of a request body (--max-body-bytes). The app enforces the configured limit
 * on every body while it streams (bounded-body.ts), so the helpers here never see a larger one.
 */
export const MAX_BODY_BYTES = 32 * 1024 * 1024;

/**
 * Reads a JSON body; BodyError for a body that is not JSON or holds what the store cannot
 * (U+0000, an unpaired surrogate, nesting deeper than MAX_JSON_DEPTH), naming where; its
 * PayloadTooLargeError (a BodyError too) when the body passes the app's limit.
 */
export async function readJson(request: Request): Promise<unknown> {
  const text = await request.text();
  if (text.trim() === '') throw new BodyError('request body is empty');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    // V8's message quotes at most a few characters of the text.
    throw new BodyError(`request body is not valid JSON: ${(error as Error).message}`);
  }
  const unstorable = findUnstorable(value);
  if (unstorable)
    throw new BodyError(`request body${unstorable.path ? ` at ${unstorable.path}` : ''} ${unstorable.reason}`, unstorable.path || 'body');
  return value;
}

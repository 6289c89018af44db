// Pulls the SMD collections from a running SMD (or this gateway's /hsm/v2): one GET per
// collection, each answer streamed record by record. SMD answers most of these only with a
// token when its JWT auth is on: the bearer token comes from SMD_TOKEN and goes nowhere but
// the Authorization header (never into a message or a log line).
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { ValidationError } from '../../domain/errors.js';
import { SMD_COLLECTIONS } from './collections.js';
import { readAnswer, type SmdRecord } from './records.js';

export const SMD_TOKEN_VARIABLE = 'SMD_TOKEN';

/** How long a collection's GET may take to start answering (SMD itself gives up after 60 s). */
const ANSWER_TIMEOUT_MS = 60_000;

/** `<base>/<path>`, whatever the base's trailing slashes. */
function collectionUrl(base: URL, path: string): URL {
  const url = new URL(base.href);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/${path}`;
  return url;
}

function unreachable(url: URL, error: unknown): ValidationError {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const reason =
    (error as Error).name === 'AbortError'
      ? `no answer within ${ANSWER_TIMEOUT_MS / 1000} s`
      : (cause?.code ?? cause?.message ?? (error as Error).message);
  return new ValidationError('source', `cannot reach ${url.href}: ${reason}`);
}

async function refused(url: URL, response: Response): Promise<ValidationError> {
  const text = (await response.text().catch(() => '')).slice(0, 500);
  let detail = text.trim();
  try {
    detail = (JSON.parse(text) as { detail?: string }).detail ?? detail;
  } catch {
    // not problem+json: keep the text
  }
  const hint =
    response.status === 401 || response.status === 403
      ? ` (give a token it accepts in ${SMD_TOKEN_VARIABLE})`
      : response.status === 404
        ? ' (is this the URL of an SMD /hsm/v2?)'
        : '';
  return new ValidationError('source', `GET ${url.href} answered ${response.status}${detail ? `: ${detail}` : ''}${hint}`);
}

async function get(url: URL): Promise<Response> {
  const token = process.env[SMD_TOKEN_VARIABLE];
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), ANSWER_TIMEOUT_MS);
  try {
    const response = await fetch(url, {
      headers: { accept: 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      signal: abort.signal,
    });
    if (!response.ok) throw await refused(url, response);
    if (!response.body) throw new ValidationError('source', `GET ${url.href} answered no body`);
    return response;
  } catch (error) {
    throw error instanceof ValidationError ? error : unreachable(url, error);
  } finally {
    clearTimeout(timer);
  }
}

/** Every record of every collection, collection by collection in the order they are applied. */
export async function* pullRecords(base: URL): AsyncGenerator<SmdRecord> {
  for (const collection of SMD_COLLECTIONS) {
    const url = collectionUrl(base, collection.path);
    const response = await get(url);
    yield* readAnswer(Readable.fromWeb(response.body as WebReadableStream<Uint8Array>), collection);
  }
}

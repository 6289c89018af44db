// Which API family answers a path (in the order the app asks them) and whether an answer is
// in that family's format: SMD problem+json (or Go's plain "404 page not found"), Fabrica,
// NoCloud and the docs' {error, code}, the RFD families' problem+json naming the field of a
// 400/422, the reference API's FastAPI {detail} (a list naming each parameter for a 422),
// GraphQL's {errors}. The 5xx check is
// separate: this only judges the shape.
import { COLLECTION_PREFIX } from '../../../src/rest-compat/collection-v1/index.js';
import { createFabricaRouter } from '../../../src/rest-compat/fabrica/index.js';
import { HISTORY_PREFIX } from '../../../src/rest-compat/history-v1/index.js';
import { EXPORT_PREFIX, IMPORT_PREFIX } from '../../../src/rest-compat/import-export/index.js';
import { INVENTORY_V1_PREFIX } from '../../../src/rest-compat/inventory-v1/index.js';
import { createNoCloudFamily } from '../../../src/rest-compat/nocloud/index.js';
import { createDocsRouter } from '../../../src/rest-compat/openapi/index.js';
import { createReferenceFamily } from '../../../src/rest-compat/reference/index.js';
import { SMD_PREFIX } from '../../../src/rest-compat/smd/index.js';
import { GRAPHIQL_ASSET_PATH } from '../../../src/schema/graphiql.js';
import type { RawReply } from './raw-http.js';

export type Family =
  | 'operations'
  | 'graphiql-assets'
  | 'graphql'
  | 'smd'
  | 'fabrica'
  | 'rfd'
  | 'docs'
  | 'nocloud'
  | 'reference'
  | 'unmatched';

const fabrica = createFabricaRouter();
const docs = createDocsRouter();
const nocloud = createNoCloudFamily({ basePath: '/cloud-init' });
const reference = createReferenceFamily();
const RFD_PREFIXES = [HISTORY_PREFIX, INVENTORY_V1_PREFIX, COLLECTION_PREFIX, IMPORT_PREFIX, EXPORT_PREFIX];
const under = (pathname: string, prefix: string) => pathname === prefix || pathname.startsWith(`${prefix}/`);

/** The family answering a raw request path, decided as the app decides it (from the URL's pathname). */
export function familyOf(rawPath: string): Family {
  const { pathname } = new URL(`http://gateway.test${rawPath}`);
  if (['/health', '/ready', '/metrics'].includes(pathname)) return 'operations';
  if (pathname.startsWith(GRAPHIQL_ASSET_PATH)) return 'graphiql-assets';
  if (pathname === '/graphql') return 'graphql';
  // "/" sends browsers to GraphiQL (a bare 302) and answers API clients with the reference root.
  if (pathname === '/') return 'reference';
  if (under(pathname, SMD_PREFIX)) return 'smd';
  if (fabrica.owns(pathname)) return 'fabrica';
  if (under(pathname, HISTORY_PREFIX) || under(pathname, INVENTORY_V1_PREFIX)) return 'rfd';
  if (docs.owns(pathname)) return 'docs';
  if (nocloud.owns(pathname)) return 'nocloud';
  if (RFD_PREFIXES.some((prefix) => under(pathname, prefix))) return 'rfd';
  if (reference.owns(pathname)) return 'reference';
  return 'unmatched';
}

function parsed(reply: RawReply): any {
  try {
    return JSON.parse(reply.text);
  } catch {
    return undefined;
  }
}

const isJson = (reply: RawReply) => /^application\/json\b/.test(reply.contentType);
const isProblem = (reply: RawReply) => /^application\/problem\+json\b/.test(reply.contentType);

function errorCodeShape(reply: RawReply): string | undefined {
  const body = parsed(reply);
  if (!isJson(reply) || typeof body?.error !== 'string' || body.code !== reply.status) return `not {error, code: ${reply.status}} JSON`;
  return undefined;
}

function problemShape(reply: RawReply, needsField: boolean): string | undefined {
  const body = parsed(reply);
  if (!isProblem(reply) || typeof body?.detail !== 'string' || body.status !== reply.status)
    return `not problem+json with status ${reply.status} and a detail`;
  if (needsField && (typeof body.field !== 'string' || body.field === '')) return 'problem+json without the field at fault';
  return undefined;
}

/**
 * Why an answer is not in its family's format, or undefined when it is. Only errors (4xx) are
 * judged, and HEAD answers have no body to judge.
 */
export function formatViolation(method: string, rawPath: string, reply: RawReply): string | undefined {
  if (reply.status < 400 || method === 'HEAD') return undefined;
  // Node's HTTP server refuses an over-long request line or header block itself, before any family sees it.
  if (reply.status === 431 && reply.text === '') return undefined;
  const family = familyOf(rawPath);
  switch (family) {
    case 'smd':
      if (reply.status === 404 && reply.contentType.startsWith('text/plain') && reply.text === '404 page not found\n') return undefined;
      return problemShape(reply, false);
    case 'fabrica':
    case 'docs':
    case 'unmatched':
      return family === 'unmatched' && reply.status === 404 && isJson(reply) && typeof parsed(reply)?.error === 'string'
        ? undefined
        : errorCodeShape(reply);
    case 'nocloud':
      // Node documents refuse in plain text (what curl on a booting node shows); the rest is JSON.
      if (reply.contentType.startsWith('text/plain') && reply.text.trim() !== '') return undefined;
      return errorCodeShape(reply);
    case 'rfd':
      return problemShape(reply, reply.status === 400 || reply.status === 422);
    case 'reference': {
      // FastAPI: {detail: "<text>"}, or for a 422 {detail: [{loc, msg, type}]} naming each bad parameter.
      const detail = isJson(reply) ? parsed(reply)?.detail : undefined;
      const named =
        Array.isArray(detail) && detail.length > 0 && detail.every((d: any) => Array.isArray(d?.loc) && typeof d?.msg === 'string');
      return typeof detail === 'string' || (reply.status === 422 && named) ? undefined : 'not FastAPI {detail} JSON';
    }
    case 'graphql': {
      // No media type the client accepts, or a body in none it reads: nothing to say it in (GraphQL over HTTP).
      if ((reply.status === 406 || reply.status === 415) && reply.text === '') return undefined;
      const results = graphqlResults(reply);
      return results.length > 0 &&
        results.every((r) => Array.isArray(r?.errors) && r.errors.length > 0 && r.errors.every((e: any) => typeof e?.message === 'string'))
        ? undefined
        : 'a GraphQL error answer without {errors: [{message}]}';
    }
    case 'graphiql-assets':
      return reply.status === 404 ? undefined : `status ${reply.status} for an asset`;
    case 'operations':
      return `status ${reply.status} from an operational endpoint`;
  }
}

/**
 * The GraphQL results of an answer: the JSON body, or each JSON payload of an event stream
 * (`data:` lines) or of a multipart/mixed answer, as the client's Accept asked.
 */
function graphqlResults(reply: RawReply): any[] {
  if (reply.contentType.startsWith('text/event-stream')) {
    return [...reply.text.matchAll(/^data: (\{.*)$/gm)].map((m) => JSON.parse(m[1]));
  }
  if (reply.contentType.startsWith('multipart/mixed')) {
    return [...reply.text.matchAll(/\r?\n\r?\n(\{.*)\r?\n/g)].map((m) => JSON.parse(m[1]));
  }
  const body = parsed(reply);
  return Array.isArray(body) ? body : body === undefined ? [] : [body];
}

/** GraphQL errors the server reports as unexpected (a resolver crashed), whatever the status. */
export function unexpectedGraphQLErrors(rawPath: string, reply: RawReply): string[] {
  if (familyOf(rawPath) !== 'graphql' || !/json|event-stream|multipart/.test(reply.contentType)) return [];
  return graphqlResults(reply)
    .flatMap((result) => (Array.isArray(result?.errors) ? result.errors : []))
    .filter((e: any) => e?.extensions?.unexpected || e?.extensions?.code === 'INTERNAL_SERVER_ERROR')
    .map((e: any) => String(e.message));
}

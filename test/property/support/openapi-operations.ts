// Every operation of the gateway's own /openapi.json, with what a request generator needs:
// the path template and its parameters, the documented query parameters and the request
// body's media types and schema ($refs followed). A route a router registers is in the
// document, so a generator driven by this list covers new routes without being touched.
import type { RawClient } from './raw-http.js';

export type Schema = Record<string, any>;
export type OpenApiDocument = { paths: Record<string, Record<string, any>>; components?: { schemas?: Record<string, Schema> } };

export interface Operation {
  /** Upper case. */
  method: string;
  /** The OpenAPI template, e.g. /components/{uid}. */
  path: string;
  pathParams: string[];
  /** The documented schema of each path parameter (an enum when the values are known). */
  pathSchemas: Record<string, Schema>;
  queryParams: Array<{ name: string; schema: Schema }>;
  /** Request body media types, the JSON one first; empty when the operation documents no body. */
  bodyTypes: string[];
  /** The schema of the JSON request body, resolved. */
  bodySchema?: Schema;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

export async function fetchOpenApi(client: RawClient): Promise<OpenApiDocument> {
  const reply = await client.send({ method: 'GET', path: '/openapi.json', headers: {} });
  if (reply.status !== 200) throw new Error(`/openapi.json answered ${reply.status}`);
  return JSON.parse(reply.text) as OpenApiDocument;
}

/** The schema a `$ref` names (followed until it is not a reference). */
export function resolveSchema(doc: OpenApiDocument, schema: Schema | undefined): Schema {
  let current = schema ?? {};
  for (let hops = 0; typeof current.$ref === 'string' && hops < 20; hops++) {
    const name = (current.$ref as string).replace('#/components/schemas/', '');
    current = doc.components?.schemas?.[name] ?? {};
  }
  return current;
}

export function operationsOf(doc: OpenApiDocument): Operation[] {
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    const shared: Schema[] = item.parameters ?? [];
    for (const [method, op] of Object.entries(item)) {
      if (!METHODS.includes(method)) continue;
      const parameters: Schema[] = [...shared, ...(op.parameters ?? [])];
      const content: Record<string, { schema?: Schema }> = op.requestBody?.content ?? {};
      const bodyTypes = Object.keys(content).sort((a, b) => Number(b === 'application/json') - Number(a === 'application/json'));
      operations.push({
        method: method.toUpperCase(),
        path,
        pathParams: [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]),
        pathSchemas: Object.fromEntries(
          parameters.filter((p) => p.in === 'path').map((p) => [String(p.name), resolveSchema(doc, p.schema)]),
        ),
        queryParams: parameters
          .filter((p) => p.in === 'query')
          .map((p) => ({ name: String(p.name), schema: resolveSchema(doc, p.schema) })),
        bodyTypes,
        bodySchema: bodyTypes.length ? resolveSchema(doc, content[bodyTypes[0]].schema) : undefined,
      });
    }
  }
  return operations;
}

/** The template with each `{name}` replaced by `values[name]` (already encoded for the path). */
export function fillPath(template: string, values: Record<string, string>): string {
  return template.replace(/\{([^}]+)\}/g, (_, name: string) => values[name] ?? '');
}

const ID_KEYS = /^(uid|id|xname|label|name|nid|scanid|componentid|redfishendpointid|fruid|ipaddress|redfishtype)$/i;

/**
 * Strings in a JSON answer that may name a resource: those under a key named like the parameter
 * (`exact`), and those under any id-like key (`loose`).
 */
function idsIn(value: unknown, param: string, found: { exact: Set<string>; loose: Set<string> }, depth = 0): void {
  if (depth > 5 || found.loose.size >= 60 || value === null || typeof value !== 'object') return;
  const entries = Array.isArray(value) ? value.slice(0, 30).map((v) => ['', v] as const) : Object.entries(value);
  for (const [key, child] of entries) {
    if ((typeof child === 'string' || typeof child === 'number') && String(child) !== '') {
      if (key.toLowerCase() === param.toLowerCase()) found.exact.add(String(child));
      if (ID_KEYS.test(key)) found.loose.add(String(child));
    }
    idsIn(child, param, found, depth + 1);
  }
}

/**
 * Real values for every path parameter, found by listing the collection above it (GET of the
 * path up to the parameter, earlier parameters filled with values found before). Keyed by the
 * template up to and including the parameter, e.g. "/components/{uid}". A parameter whose
 * collection cannot be listed takes its documented values (enum, examples) and those named like
 * it in `answers` (replies to earlier writes); `*` holds every value found, for parameters with
 * none of their own.
 */
export async function harvestPathValues(
  client: RawClient,
  operations: Operation[],
  answers: unknown[] = [],
): Promise<Map<string, string[]>> {
  const pools = new Map<string, string[]>();
  const all = new Set<string>();
  const gets = new Set(operations.filter((op) => op.method === 'GET').map((op) => op.path));
  const prefixes = [
    ...new Set(operations.flatMap((op) => op.pathParams.map((p) => op.path.slice(0, op.path.indexOf(`{${p}}`) + p.length + 2)))),
  ];
  prefixes.sort((a, b) => a.split('{').length - b.split('{').length);
  for (const prefix of prefixes) {
    const param = /\{([^}]+)\}$/.exec(prefix)?.[1] ?? '';
    const collection = prefix.slice(0, prefix.length - param.length - 2).replace(/\/$/, '');
    const found = { exact: new Set<string>(), loose: new Set<string>() };
    if (gets.has(collection)) {
      const earlier = Object.fromEntries(
        [...collection.matchAll(/\{([^}]+)\}/g)].map((m) => {
          const upTo = collection.slice(0, collection.indexOf(m[0]) + m[0].length);
          return [m[1], encodeURIComponent(pools.get(upTo)?.[0] ?? 'x')];
        }),
      );
      const reply = await client.send({ method: 'GET', path: fillPath(collection, earlier), headers: { accept: 'application/json' } });
      if (reply.status === 200 && /json/.test(reply.contentType)) idsIn(JSON.parse(reply.text), param, found);
    }
    if (found.exact.size === 0 && found.loose.size === 0) {
      const documented = operations.find((op) => op.path.startsWith(prefix))?.pathSchemas[param];
      for (const value of [...(documented?.enum ?? []), ...(documented?.examples ?? [])]) found.exact.add(String(value));
      for (const answer of answers) idsIn(answer, param, found);
      found.loose.clear();
    }
    const values = [...(found.exact.size ? found.exact : found.loose)];
    pools.set(prefix, values);
    for (const value of values) all.add(value);
  }
  pools.set('*', [...all]);
  return pools;
}

/** The real values for `param` of `op` (its own collection's, else any found). */
export function valuesFor(pools: Map<string, string[]>, op: Operation, param: string): string[] {
  const prefix = op.path.slice(0, op.path.indexOf(`{${param}}`) + param.length + 2);
  const own = pools.get(prefix) ?? [];
  return own.length ? own : (pools.get('*') ?? []);
}

/**
 * Known-valid bodies for a write operation: the resource it addresses as the API reads it back
 * (GET of the same path with real values); for a list, its first item alone and as a list.
 */
export async function readBackBodies(client: RawClient, op: Operation, pools: Map<string, string[]>): Promise<unknown[]> {
  const values = Object.fromEntries(op.pathParams.map((p) => [p, encodeURIComponent(valuesFor(pools, op, p)[0] ?? 'x')]));
  const reply = await client.send({ method: 'GET', path: fillPath(op.path, values), headers: { accept: 'application/json' } });
  if (reply.status !== 200 || !/json/.test(reply.contentType)) return [];
  const body = JSON.parse(reply.text) as unknown;
  if (Array.isArray(body)) return body.length ? [body.slice(0, 1), body[0]] : [];
  if (body === null || typeof body !== 'object') return [body];
  const listed = Object.entries(body).find(([, v]) => Array.isArray(v) && v.length > 0) as [string, unknown[]] | undefined;
  return listed ? [{ [listed[0]]: listed[1].slice(0, 1) }, listed[1][0], body] : [body];
}

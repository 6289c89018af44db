// Hostile HTTP requests for one documented operation: its path with real or garbage segments
// (bad percent-encodings, dot segments, huge ones), documented and random query parameters,
// mismatched Content-Type and Accept headers, and bodies that are valid, mutated, not JSON,
// binary or empty. Sometimes another method than the documented one.
import fc from 'fast-check';
import { bodyValue, hostileString, jsonText, schemaValue, wellFormed } from './json-arbitraries.js';
import { fillPath, type OpenApiDocument, type Operation, valuesFor } from './openapi-operations.js';
import type { RawRequest } from './raw-http.js';

const encode = (text: string) => encodeURIComponent(wellFormed(text));

const RAW_SEGMENTS = [
  '%',
  '%zz',
  '%00',
  '%2F',
  '%2e%2e',
  '..',
  '.',
  '',
  '%C0%AF',
  '%ff',
  'a%20b',
  '~',
  ':',
  ';x=1',
  '*',
  '%u0041',
  'x'.repeat(5000),
];
const RAW_CHARS = "abcXYZ019-_.~!$&'()*+,;=:@%".split('');

function segment(real: string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 5, arbitrary: real.length ? fc.constantFrom(...real).map(encode) : fc.constant('x1000c0s0b0n0') },
    { weight: 2, arbitrary: hostileString.map(encode) },
    { weight: 1, arbitrary: fc.constantFrom(...RAW_SEGMENTS) },
    { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom(...RAW_CHARS), maxLength: 12 }) },
  );
}

type PathEdit = 'none' | 'trailing-slash' | 'double-slash' | 'extra-segment' | 'drop-last' | 'upper' | 'lower';
const PATH_EDITS: PathEdit[] = [
  'none',
  'none',
  'none',
  'none',
  'none',
  'none',
  'none',
  'none',
  'none',
  'none',
  'none',
  'none',
  'trailing-slash',
  'double-slash',
  'extra-segment',
  'drop-last',
  'upper',
  'lower',
];

function editPath(path: string, edit: PathEdit, extra: string): string {
  switch (edit) {
    case 'trailing-slash':
      return `${path}/`;
    case 'double-slash':
      return path.replace('/', '//');
    case 'extra-segment':
      return `${path}/${extra}`;
    case 'drop-last':
      return path.slice(0, path.lastIndexOf('/')) || '/';
    case 'upper':
      return path.toUpperCase();
    case 'lower':
      return path.toLowerCase();
    default:
      return path;
  }
}

const COMMON_QUERY_NAMES = [
  'id',
  'ID',
  'type',
  'state',
  'flag',
  'role',
  'nid',
  'nid_start',
  'nid_end',
  'group',
  'partition',
  'stateonly',
  'limit',
  'offset',
  'after',
  'since',
  'until',
  'subject',
  'from',
  'to',
  'include_deleted',
  'deviceType',
  'parentID',
  'properties.bios.mode',
  'properties.Bad Key',
  'dryRun',
  'MACAddress',
  'IPAddress',
  'ComponentID',
  'OlderThan',
  'NewerThan',
  'query',
  'variables',
];

/**
 * A query string. Never names `source`: the import route would fetch that URL, and these
 * tests talk to 127.0.0.1 only.
 */
function queryString(op: Operation, doc: OpenApiDocument): fc.Arbitrary<string> {
  const documented = op.queryParams.map((p) => p.name);
  const name = fc.oneof(fc.constantFrom(...documented, ...COMMON_QUERY_NAMES), hostileString);
  const value = fc.oneof(
    hostileString,
    fc.integer().map(String),
    ...op.queryParams.map((p) => schemaValue(doc, p.schema).map((v) => (typeof v === 'string' ? v : (JSON.stringify(v) ?? '')))),
  );
  const pair = fc.oneof(
    { weight: 6, arbitrary: fc.tuple(name, value).map(([n, v]) => `${encode(n)}=${encode(String(v))}`) },
    {
      weight: 1,
      arbitrary: fc.constantFrom('%zz=1', '=', '&&&', 'a=%', 'a', `a=${'b'.repeat(9000)}`, 'limit=1e3', 'limit=-0', 'limit=0x10'),
    },
  );
  return fc.array(pair, { maxLength: 5 }).map((pairs) => {
    const text = pairs.join('&');
    const names = [...new URLSearchParams(text).keys()];
    return names.some((n) => n.trim().toLowerCase() === 'source') ? '' : text;
  });
}

const CONTENT_TYPES = [
  'application/json',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=zz',
  'application/json; charset=latin1',
  'application/merge-patch+json',
  'application/json-patch+json',
  'application/shorthand-patch+json',
  'application/vnd.openchami.inventory.v1+json',
  'garbage/;;;',
  ' ',
];
const ACCEPTS = [
  '*/*',
  'application/json',
  'text/html',
  'application/problem+json',
  'application/vnd.openchami.inventory.v1+json',
  'application/vnd.openchami.inventory.v9+json',
  'application/vnd.openchami.inventory+json;version=v2',
  'application/json;q=0',
  'x/y;q=abc',
];
const headerText = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 60 });
const optional = <T>(arb: fc.Arbitrary<T>, freq = 2) => fc.option(arb, { freq, nil: undefined });

function headers(op: Operation): fc.Arbitrary<Record<string, string>> {
  return fc
    .record({
      'content-type': optional(
        fc.oneof(
          { weight: 4, arbitrary: op.bodyTypes.length ? fc.constantFrom(...op.bodyTypes) : fc.constant('application/json') },
          { weight: 2, arbitrary: fc.constantFrom(...CONTENT_TYPES) },
          { weight: 1, arbitrary: headerText },
        ),
        4,
      ),
      accept: optional(fc.oneof(fc.constantFrom(...ACCEPTS), headerText)),
      'if-match': optional(fc.oneof(fc.constantFrom('"1"', '*', 'W/"1"', '"999"', '""'), headerText), 6),
      'x-forwarded-for': optional(
        fc.oneof(fc.constantFrom('10.100.0.2', '10.100.0.3, 127.0.0.1', '::1', '999.1.1.1', 'unknown'), headerText),
        3,
      ),
      'x-request-id': optional(fc.oneof(headerText, fc.constant('r'.repeat(4000))), 6),
    })
    .map((h) => Object.fromEntries(Object.entries(h).filter(([, v]) => v !== undefined)) as Record<string, string>);
}

const NOT_JSON = [
  '',
  ' ',
  '{',
  '{"a":',
  'not json',
  "{'a':1}",
  '[1,2,',
  'NaN',
  'null',
  'true',
  '"x"',
  '\u0000',
  '{"a":1}{"b":2}',
  '\ufeff{}',
  '{"a":1,}',
  '1e99999',
];

function body(op: Operation, doc: OpenApiDocument, seeds: unknown[]): fc.Arbitrary<string | Uint8Array | undefined> {
  const json = bodyValue(doc, op.bodySchema, seeds).map(jsonText);
  const other = fc.oneof(fc.constantFrom(...NOT_JSON), fc.uint8Array({ maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 200 }));
  return op.bodyTypes.length
    ? fc.oneof({ weight: 7, arbitrary: json }, { weight: 2, arbitrary: other }, { weight: 1, arbitrary: fc.constant(undefined) })
    : fc.oneof({ weight: 6, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: json }, { weight: 1, arbitrary: other });
}

/** Methods Node's HTTP parser knows (it answers any other with its own bare 400, before the app). */
const OTHER_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'PROPFIND', 'PURGE', 'SEARCH'];

/** Requests for one operation; `pools` holds real path values (harvestPathValues), `seeds` valid bodies. */
export function operationRequest(
  op: Operation,
  doc: OpenApiDocument,
  pools: Map<string, string[]>,
  seeds: unknown[] = [],
): fc.Arbitrary<RawRequest> {
  const params = fc.record(Object.fromEntries(op.pathParams.map((p) => [p, segment(valuesFor(pools, op, p))])));
  return fc
    .record({
      method: fc.oneof({ weight: 6, arbitrary: fc.constant(op.method) }, { weight: 1, arbitrary: fc.constantFrom(...OTHER_METHODS) }),
      params,
      edit: fc.constantFrom(...PATH_EDITS),
      extra: segment([]),
      query: fc.option(queryString(op, doc), { freq: 2, nil: '' }),
      headers: headers(op),
      body: body(op, doc, seeds),
    })
    .map(({ method, params: values, edit, extra, query, headers: h, body: b }) => ({
      method,
      path: `${editPath(fillPath(op.path, values as Record<string, string>), edit, extra)}${query ? `?${query}` : ''}`,
      headers: h,
      body: b,
    }));
}

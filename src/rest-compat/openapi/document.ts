// The OpenAPI 3.1 document of the gateway. Paths come from the routes the SMD and Fabrica
// routers actually register, so a route added there appears here without anyone touching
// this file; what is known about a route (summary, bodies) is added from the tables below,
// and a route the tables do not know still gets a generic entry.
import { FABRICA_KIND_ROUTES } from '../fabrica/kinds.js';
import type { RestRouter } from '../http/router.js';
import { COMMON_SCHEMAS, FABRICA_SCHEMAS, fabricaKindSchemas, SMD_SCHEMAS, schemaRef } from './schemas.js';

type Schema = Record<string, unknown>;
type Operation = Record<string, unknown>;

/** Paths another API family describes itself (OpenAPI path items), with their schemas and tags. */
export interface PathsFragment {
  paths: Record<string, Record<string, unknown>>;
  schemas?: Record<string, Schema>;
  tags?: Array<{ name: string; description?: string }>;
}

/**
 * Whether the auth gate lets `method routePattern` through without a token; the pattern is in
 * the routers' syntax (`/a/:id`). Passed in by the server, which owns the gate.
 */
export type IsTokenFreeRoute = (method: string, routePattern: string) => boolean;

export interface DocumentSources {
  smd: RestRouter;
  fabrica: RestRouter;
  smdPrefix: string;
  version: string;
  /** package.json's licence: an SPDX expression, or undefined when it declares none. */
  license: string | undefined;
  /** More families' own descriptions (NoCloud …), merged in as given. */
  fragments?: PathsFragment[];
  /** The gate's rule; operations it lets through are marked `security: []`. Without it every operation needs the token. */
  isTokenFree?: IsTokenFreeRoute;
}

/**
 * find-my-way's `/a/:id/b` (or `:id(regex)`) as OpenAPI's `/a/{id}/b`; its `::` is a literal
 * colon (`/policy::apply`). A trailing catch-all `*` becomes `{id}`: the only one,
 * collection v1's `/operations/*`, takes an operation id (README: `GET /operations/{id}`).
 */
export function openApiPath(pattern: string): string {
  return pattern
    .split('::')
    .map((part) => part.replace(/:([A-Za-z0-9_]+)(\([^)]*\))?/g, '{$1}'))
    .join(':')
    .replace(/\*$/, '{id}');
}

/** The routers' pattern of an OpenAPI path (the inverse of openApiPath but for a catch-all). */
export function routePattern(path: string): string {
  return path.replace(/:/g, '::').replace(/\{([^}]+)\}/g, ':$1');
}

export const SECURITY_SCHEME = 'bearerJwt';

/** The bearer JWT the gate checks when JWKS authentication is on (README, Authentication). */
const BEARER_JWT = {
  type: 'http',
  scheme: 'bearer',
  bearerFormat: 'JWT',
  description:
    'Needed only when the gateway runs with a JWKS URL (JWKS authentication on); without one authentication is off and no token is asked for. ' +
    'The token is signed by a key of that JWKS, not expired, has a `sub`, the configured issuer and one of the configured audiences. ' +
    "Scopes (`scope` or `scp`) or roles grant: `read` (role `viewer`) GET/HEAD, SMD's query POSTs and GraphQL queries; " +
    '`write` or `admin` (roles `operator`, `service`, `admin`) every other method and GraphQL mutations. ' +
    'No token is a 401 with `WWW-Authenticate: Bearer`, a missing permission a 403 `insufficient_scope`. ' +
    "Operations marked with no security (SMD's public service routes, health, readiness, metrics, this documentation, NoCloud's node routes) are open.",
};

/** The client error of an operation that describes no 4xx of its own. */
const CLIENT_ERROR = {
  description:
    'A client error as RFC 7807 problem details: 401 without a valid bearer token or 403 without the scope (when JWKS authentication is on), or a malformed request.',
  content: { 'application/problem+json': { schema: schemaRef('Problem') } },
};
const CLIENT_ERROR_REF = { $ref: '#/components/responses/ClientError' };

const PARAMETER_TEXT: Record<string, string> = {
  xname: 'An xname (x3000c0s19b1n0); normalised to lower case without leading zeros.',
  uid: 'The Fabrica uid: "<kind lower case>-<8 hex digits>".',
  id: 'The resource ID.',
  nid: 'A node ID.',
  label: 'A group label.',
  name: 'A name.',
  ip: 'An IP address.',
  fruid: 'A FRU ID.',
};

/** The path parameters of `path`; `schemas` describes those whose values are known (an enum …). */
function pathParameters(path: string, schemas: Record<string, Schema> = {}): Schema[] {
  return [...path.matchAll(/\{([^}]+)\}/g)].map(([, name]) => ({
    name,
    in: 'path',
    required: true,
    description: PARAMETER_TEXT[name] ?? `The ${name}.`,
    schema: schemas[name] ?? { type: 'string' },
  }));
}

const json = (schema: Schema) => ({ 'application/json': { schema } });
const named = (schema: string | Schema): Schema => (typeof schema === 'string' ? schemaRef(schema) : schema);

/**
 * A family without hand-written descriptions, documented from its registered routes: each
 * operation with its path parameters (`parameterSchemas` for those with known values), JSON
 * success and problem+json errors.
 */
export function routesFragment(
  router: RestRouter,
  tag: string,
  description: string,
  parameterSchemas: Record<string, Schema> = {},
): PathsFragment {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const { method, pattern } of router.routes()) {
    if (method === 'HEAD') continue;
    const path = openApiPath(pattern);
    const params = pathParameters(path, parameterSchemas);
    (paths[path] ??= {})[method.toLowerCase()] = {
      tags: [tag],
      summary: `${method} ${path}`,
      ...(params.length ? { parameters: params } : {}),
      ...(['POST', 'PUT', 'PATCH'].includes(method) ? { requestBody: { required: false, content: json({ type: 'object' }) } } : {}),
      responses: {
        '2XX': { description: 'Success.', content: json({}) },
        '4XX': {
          description: 'RFC 7807 problem naming the field at fault.',
          content: { 'application/problem+json': { schema: schemaRef('Problem') } },
        },
      },
    };
  }
  return { paths, tags: [{ name: tag, description }] };
}

// --- SMD --------------------------------------------------------------------------------

interface SmdInfo {
  summary: string;
  description?: string;
  request?: string | Schema;
  response?: string | Schema;
  /** The success status (default 200; 204 means no body). */
  status?: number;
}

const arrayOf = (name: string): Schema => ({ type: 'array', items: schemaRef(name) });
const componentBody = {
  type: 'object',
  properties: { Components: arrayOf('SmdComponent'), Force: { type: 'boolean' } },
  required: ['Components'],
};

/** What is known about SMD routes, keyed "METHOD /path" relative to the SMD prefix. */
const SMD_INFO: Record<string, SmdInfo> = {
  'GET /service/ready': { summary: 'Readiness of HSM and its database', response: 'SmdMessage' },
  'GET /service/liveness': { summary: 'Liveness', status: 204 },
  'GET /service/values': {
    summary: 'All enumeration values (Arch, Class, Flag, NetType, Role, SubRole, State, Type)',
    response: { type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } },
  },
  'GET /service/values/{name}': { summary: 'The values of one enumeration' },
  'GET /State/Components': {
    summary: 'List components',
    description:
      'Filters: id, type, state, flag, enabled, softwarestatus, role, subrole, subtype, arch, class, nid, nid_start, nid_end, group, partition (repeatable, "!" negates); stateonly, flagonly, roleonly, nidonly limit the fields.',
    response: 'SmdComponentArray',
  },
  'POST /State/Components': { summary: 'Create or update components (Force overwrites state fields)', request: componentBody, status: 204 },
  'DELETE /State/Components': { summary: 'Delete every component', response: 'SmdMessage' },
  'GET /State/Components/{xname}': { summary: 'One component', response: 'SmdComponent' },
  'PUT /State/Components/{xname}': {
    summary: 'Create or replace one component',
    request: { type: 'object', properties: { Component: schemaRef('SmdComponent'), Force: { type: 'boolean' } } },
    status: 204,
  },
  'DELETE /State/Components/{xname}': { summary: 'Delete one component', response: 'SmdMessage' },
  'POST /State/Components/Query': { summary: 'Components by ID list and filter', response: 'SmdComponentArray' },
  'GET /State/Components/Query/{xname}': { summary: 'A component and its descendants', response: 'SmdComponentArray' },
  'POST /State/Components/ByNID/Query': { summary: 'Components by NID ranges', response: 'SmdComponentArray' },
  'GET /State/Components/ByNID/{nid}': { summary: 'One component by NID', response: 'SmdComponent' },
  'PATCH /State/Components/BulkStateData': { summary: 'Set State and Flag of many components', status: 204 },
  'PATCH /State/Components/{xname}/StateData': { summary: 'Set State and Flag of one component', status: 204 },
  'PATCH /State/Components/BulkFlagOnly': { summary: 'Set the Flag of many components', status: 204 },
  'PATCH /State/Components/{xname}/FlagOnly': { summary: 'Set the Flag of one component', status: 204 },
  'PATCH /State/Components/BulkEnabled': { summary: 'Enable or disable many components', status: 204 },
  'PATCH /State/Components/{xname}/Enabled': { summary: 'Enable or disable one component', status: 204 },
  'PATCH /State/Components/BulkSoftwareStatus': { summary: 'Set the SoftwareStatus of many components', status: 204 },
  'PATCH /State/Components/{xname}/SoftwareStatus': { summary: 'Set the SoftwareStatus of one component', status: 204 },
  'PATCH /State/Components/BulkRole': { summary: 'Set Role and SubRole of many components', status: 204 },
  'PATCH /State/Components/{xname}/Role': { summary: 'Set Role and SubRole of one component', status: 204 },
  'PATCH /State/Components/BulkNID': { summary: 'Set the NIDs of many components', status: 204 },
  'PATCH /State/Components/{xname}/NID': { summary: 'Set the NID of one component', status: 204 },
  'GET /Inventory/EthernetInterfaces': {
    summary: 'List Ethernet interfaces',
    description: 'Filters: MACAddress, IPAddress, Network, ComponentID, Type, OlderThan, NewerThan.',
    response: arrayOf('SmdEthernetInterface'),
  },
  'POST /Inventory/EthernetInterfaces': {
    summary: 'Create an Ethernet interface',
    request: 'SmdEthernetInterface',
    status: 201,
    response: 'SmdUri',
  },
  'DELETE /Inventory/EthernetInterfaces': { summary: 'Delete every Ethernet interface', response: 'SmdMessage' },
  'GET /Inventory/EthernetInterfaces/{id}': { summary: 'One Ethernet interface', response: 'SmdEthernetInterface' },
  'PATCH /Inventory/EthernetInterfaces/{id}': {
    summary: 'Change Description, ComponentID or IPAddresses',
    request: 'SmdEthernetInterface',
    response: 'SmdEthernetInterface',
  },
  'DELETE /Inventory/EthernetInterfaces/{id}': { summary: 'Delete one Ethernet interface', response: 'SmdMessage' },
  'GET /Inventory/EthernetInterfaces/{id}/IPAddresses': { summary: 'The IP addresses of an interface', response: arrayOf('SmdIpAddress') },
  'POST /Inventory/EthernetInterfaces/{id}/IPAddresses': {
    summary: 'Add an IP address',
    request: 'SmdIpAddress',
    status: 201,
    response: 'SmdUri',
  },
  'PATCH /Inventory/EthernetInterfaces/{id}/IPAddresses/{ip}': {
    summary: 'Change the network of an IP address',
    request: 'SmdIpAddress',
    response: 'SmdIpAddress',
  },
  'DELETE /Inventory/EthernetInterfaces/{id}/IPAddresses/{ip}': { summary: 'Remove an IP address', response: 'SmdMessage' },
  'GET /Inventory/RedfishEndpoints': { summary: 'List Redfish endpoints', response: 'SmdRedfishEndpointArray' },
  'POST /Inventory/RedfishEndpoints': { summary: 'Create Redfish endpoints', request: 'SmdRedfishEndpointArray', status: 201 },
  'GET /Inventory/RedfishEndpoints/{xname}': { summary: 'One Redfish endpoint', response: 'SmdRedfishEndpoint' },
  'PUT /Inventory/RedfishEndpoints/{xname}': {
    summary: 'Create or replace a Redfish endpoint',
    request: 'SmdRedfishEndpoint',
    response: 'SmdRedfishEndpoint',
  },
  'PATCH /Inventory/RedfishEndpoints/{xname}': {
    summary: 'Change a Redfish endpoint',
    request: 'SmdRedfishEndpoint',
    response: 'SmdRedfishEndpoint',
  },
  'GET /Inventory/ComponentEndpoints': { summary: 'List component endpoints', response: 'SmdComponentEndpointArray' },
  'GET /Inventory/ComponentEndpoints/{xname}': { summary: 'One component endpoint', response: 'SmdComponentEndpoint' },
  'GET /Inventory/ServiceEndpoints': { summary: 'List service endpoints', response: 'SmdServiceEndpointArray' },
  'GET /Inventory/Hardware': { summary: 'List hardware inventory by location', response: arrayOf('SmdHWInvByLoc') },
  'POST /Inventory/Hardware': { summary: 'Create or update hardware inventory', status: 201 },
  'GET /Inventory/Hardware/{xname}': { summary: 'Hardware inventory at one location', response: 'SmdHWInvByLoc' },
  'GET /groups': { summary: 'List groups', response: arrayOf('SmdGroup') },
  'POST /groups': { summary: 'Create a group', request: 'SmdGroup', status: 201 },
  'GET /groups/{label}': { summary: 'One group', response: 'SmdGroup' },
  'GET /memberships': { summary: 'Group and partition memberships of components', response: arrayOf('SmdMembership') },
  'GET /memberships/{xname}': { summary: 'The memberships of one component', response: 'SmdMembership' },
};

function smdTag(relative: string): string {
  const [first, second] = relative.split('/').filter(Boolean);
  return first === 'State' || first === 'Inventory' || first === 'Defaults' || first === 'sysinfo'
    ? `SMD ${first}/${second ?? ''}`.replace(/\/$/, '')
    : `SMD ${first ?? ''}`.trim();
}

function smdOperation(method: string, path: string, prefix: string): Operation {
  const relative = path.slice(prefix.length) || '/';
  const info: SmdInfo = SMD_INFO[`${method} ${relative}`] ?? { summary: `${method} ${relative}` };
  const status = info.status ?? (method === 'POST' && info.response === undefined ? 201 : 200);
  const success: Schema = { description: status === 204 ? 'Done; no body.' : 'Success.' };
  if (status !== 204) success.content = json(info.response ? named(info.response) : {});
  const operation: Operation = {
    tags: [smdTag(relative)],
    summary: info.summary,
    ...(info.description ? { description: info.description } : {}),
    responses: {
      [String(status)]: success,
      '4XX': {
        description: 'A client error, as RFC 7807 problem details.',
        content: { 'application/problem+json': { schema: schemaRef('Problem') } },
      },
    },
  };
  if (['POST', 'PUT', 'PATCH'].includes(method)) {
    operation.requestBody = { required: true, content: json(info.request ? named(info.request) : { type: 'object' }) };
  }
  return operation;
}

// --- Fabrica ----------------------------------------------------------------------------

const FABRICA_ERRORS = (...codes: number[]) =>
  Object.fromEntries(
    codes.map((code) => [
      String(code),
      {
        description: {
          400: 'Invalid body or spec; the error names the field (spec.ID …).',
          404: 'No resource of this kind has this uid.',
          409: 'A unique spec field (the natural key) is taken; nothing was written.',
          415: 'Unsupported patch Content-Type.',
          422: 'The patch could not be applied; nothing was written.',
        }[code],
        content: json(schemaRef('FabricaError')),
      },
    ]),
  );

const PATCH_CONTENT = (target: string) => ({
  'application/merge-patch+json': {
    schema: { type: 'object', description: `RFC 7386 JSON Merge Patch of the ${target}; null removes a member.` },
  },
  'application/json-patch+json': { schema: schemaRef('JsonPatch') },
  'application/shorthand-patch+json': { schema: { type: 'object', description: 'Fabrica shorthand: {"dot.path": value}; null removes.' } },
  'application/json': { schema: { type: 'object', description: 'Treated as a JSON Merge Patch.' } },
});

const NATURAL_KEYS: Record<string, { spec: string; key: string }> = {
  Component: { spec: 'SmdComponent', key: 'spec.ID' },
  ComponentEndpoint: { spec: 'SmdComponentEndpoint', key: 'spec.ID' },
  EthernetInterface: { spec: 'SmdEthernetInterface', key: 'spec.ID, the MAC without separators' },
  Group: { spec: 'SmdGroup', key: 'spec.label' },
  Hardware: { spec: 'SmdHWInvByLoc', key: 'spec.ID' },
  RedfishEndpoint: { spec: 'SmdRedfishEndpoint', key: 'spec.ID' },
  ServiceEndpoint: { spec: 'SmdServiceEndpoint', key: 'spec.RedfishType + "-" + spec.RedfishEndpointID' },
};

function fabricaOperation(method: string, path: string): Operation {
  const routes = Object.values(FABRICA_KIND_ROUTES).find((r) => path === r.path || path.startsWith(`${r.path}/`));
  if (!routes) return { tags: ['Fabrica'], summary: `${method} ${path}`, responses: { 200: { description: 'Success.' } } };
  const { kind } = routes;
  const rest = path.slice(routes.path.length);
  const tags = [`Fabrica ${kind}`];
  const envelope = json(schemaRef(kind));
  const ok = (description: string) => ({ 200: { description, content: envelope } });
  const key = `${method} ${rest || '/'}`;
  switch (key) {
    case 'GET /':
      return {
        tags,
        summary: `List ${kind} resources`,
        description: `${routes.description} A bare JSON array, no paging.`,
        responses: { 200: { description: 'Every live resource.', content: json({ type: 'array', items: schemaRef(kind) }) } },
      };
    case 'POST /':
      return {
        tags,
        summary: `Create a ${kind}`,
        description: `The uid is minted by the server. ${NATURAL_KEYS[kind].key} must be unique.`,
        requestBody: { required: true, content: json(schemaRef(`${kind}CreateRequest`)) },
        responses: { 201: { description: 'Created.', content: envelope }, ...FABRICA_ERRORS(400, 409) },
      };
    case 'GET /{uid}':
      return { tags, summary: `Get a ${kind}`, responses: { ...ok('The resource.'), ...FABRICA_ERRORS(404) } };
    case 'PUT /{uid}':
      return {
        tags,
        summary: `Replace the spec of a ${kind}`,
        description:
          'Replaces the whole spec (fields left out take their defaults); the natural key cannot change. A non-empty metadata.name renames; labels and annotations are merged. The uid never changes.',
        requestBody: { required: true, content: json(schemaRef(`${kind}UpdateRequest`)) },
        responses: { ...ok('The updated resource.'), ...FABRICA_ERRORS(400, 404, 409) },
      };
    case 'PATCH /{uid}':
      return {
        tags,
        summary: `Patch the spec of a ${kind}`,
        description: 'The Content-Type chooses the patch format. Only the spec is patched; the natural key cannot change.',
        requestBody: { required: true, content: PATCH_CONTENT('spec') },
        responses: { ...ok('The patched resource.'), ...FABRICA_ERRORS(400, 404, 409, 415, 422) },
      };
    case 'DELETE /{uid}':
      return {
        tags,
        summary: `Delete a ${kind}`,
        responses: { 200: { description: 'Deleted.', content: json(schemaRef('FabricaDeleteResponse')) }, ...FABRICA_ERRORS(404, 409) },
      };
    case 'GET /{uid}/status':
      return { tags, summary: `Get a ${kind} with its status`, responses: { ...ok('The resource.'), ...FABRICA_ERRORS(404) } };
    case 'PUT /{uid}/status':
      return {
        tags,
        summary: `Replace the status of a ${kind}`,
        requestBody: { required: true, content: json(schemaRef('FabricaStatus')) },
        responses: { ...ok('The resource with its new status.'), ...FABRICA_ERRORS(400, 404) },
      };
    case 'PATCH /{uid}/status':
      return {
        tags,
        summary: `Patch the status of a ${kind}`,
        description: 'A status patch may not remove fields.',
        requestBody: { required: true, content: PATCH_CONTENT('status') },
        responses: { ...ok('The resource with its new status.'), ...FABRICA_ERRORS(400, 404, 415, 422) },
      };
    default:
      return { tags, summary: `${method} ${path}`, responses: { 200: { description: 'Success.' } } };
  }
}

// --- the gateway's own routes -----------------------------------------------------------
// /health, /ready and /metrics are answered by the server itself before any auth check, so
// they are marked open here; the other operations' security comes from the gate's rule.

const OWN_PATHS: Record<string, Record<string, Operation>> = {
  '/graphql': {
    get: {
      tags: ['GraphQL'],
      summary: 'GraphiQL in a browser, or a query in the query string',
      parameters: [
        { name: 'query', in: 'query', schema: { type: 'string' } },
        { name: 'variables', in: 'query', schema: { type: 'string' }, description: 'JSON-encoded variables.' },
        { name: 'operationName', in: 'query', schema: { type: 'string' } },
      ],
      responses: {
        200: {
          description: 'GraphiQL (text/html) or the result.',
          content: { ...json(schemaRef('GraphQLResponse')), 'text/html': { schema: { type: 'string' } } },
        },
      },
    },
    post: {
      tags: ['GraphQL'],
      summary: 'Run a GraphQL query or mutation',
      description:
        'The whole inventory model: devices, positions (components), interfaces, cables, groups, locations, racks, Redfish endpoints, history.',
      requestBody: { required: true, content: json(schemaRef('GraphQLRequest')) },
      responses: { 200: { description: 'The result; errors are in `errors`.', content: json(schemaRef('GraphQLResponse')) } },
    },
  },
  '/health': {
    get: {
      tags: ['Operations'],
      summary: 'Liveness: the process answers',
      security: [], // answered by the server ahead of the auth gate
      responses: { 200: { description: 'Alive.', content: json(schemaRef('Health')) } },
    },
  },
  '/ready': {
    get: {
      tags: ['Operations'],
      summary: 'Readiness: the database answers',
      security: [], // answered by the server ahead of the auth gate
      responses: {
        200: { description: 'Ready.', content: json(schemaRef('Ready')) },
        503: { description: 'The database is unreachable.', content: json(schemaRef('Ready')) },
      },
    },
  },
  '/metrics': {
    get: {
      tags: ['Operations'],
      summary: 'Prometheus metrics',
      security: [], // answered by the server ahead of the auth gate
      responses: { 200: { description: 'Prometheus text format.', content: { 'text/plain': { schema: { type: 'string' } } } } },
    },
  },
  '/openapi.json': {
    get: {
      tags: ['Operations'],
      summary: 'This document',
      responses: { 200: { description: 'OpenAPI 3.1.', content: json({ type: 'object' }) } },
    },
  },
  '/docs': {
    get: {
      tags: ['Operations'],
      summary: 'Swagger UI for this document (served from local files)',
      responses: { 200: { description: 'HTML.', content: { 'text/html': { schema: { type: 'string' } } } } },
    },
  },
};

/** The licence as an OpenAPI License; none declared is npm's UNLICENSED (no rights granted), linked to npm's definition. */
function licenseObject(spdx: string | undefined): Schema {
  if (spdx && spdx !== 'UNLICENSED') return { name: spdx, identifier: spdx };
  return { name: 'UNLICENSED', url: 'https://docs.npmjs.com/cli/v10/configuring-npm/package-json#license' };
}

const OPERATION_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];

function operationId(method: string, path: string): string {
  const words = path
    .replace(/[{}]/g, '')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean);
  return method.toLowerCase() + words.map((w) => w[0].toUpperCase() + w.slice(1)).join('');
}

export function buildOpenApiDocument(sources: DocumentSources): Record<string, unknown> {
  const paths: Record<string, Record<string, Operation>> = {};
  const ids = new Set<string>();
  const uniqueId = (id: string) => {
    let unique = id;
    for (let n = 2; ids.has(unique); n++) unique = `${id}${n}`;
    ids.add(unique);
    return unique;
  };
  /** The routers' own pattern of each operation they register, "get /path" → "/a/:id(regex)". */
  const patterns = new Map<string, string>();
  const add = (method: string, pattern: string, build: (method: string, path: string) => Operation) => {
    if (method === 'HEAD') return;
    const path = openApiPath(pattern);
    const entry = (paths[path] ??= {});
    const lower = method.toLowerCase();
    if (entry[lower]) return;
    patterns.set(`${lower} ${path}`, pattern);
    const params = pathParameters(path);
    entry[lower] = {
      operationId: uniqueId(operationId(method, path)),
      ...build(method, path),
      ...(params.length ? { parameters: params } : {}),
    };
  };
  for (const { method, pattern } of sources.smd.routes()) add(method, pattern, (m, p) => smdOperation(m, p, sources.smdPrefix));
  for (const { method, pattern } of sources.fabrica.routes()) add(method, pattern, fabricaOperation);
  const fragments = sources.fragments ?? [];
  for (const pathItems of [OWN_PATHS, ...fragments.map((f) => f.paths)] as Array<Record<string, Record<string, unknown>>>) {
    for (const [path, item] of Object.entries(pathItems)) {
      for (const [method, value] of Object.entries(item)) {
        const entry = (paths[path] ??= {});
        if (entry[method] !== undefined) continue;
        const isOperation = OPERATION_METHODS.includes(method) && value !== null && typeof value === 'object';
        const operation = value as Operation;
        entry[method] = isOperation
          ? { ...operation, operationId: uniqueId((operation.operationId as string | undefined) ?? operationId(method, path)) }
          : operation;
      }
    }
  }

  const isTokenFree = sources.isTokenFree ?? (() => false);
  for (const [path, item] of Object.entries(paths)) {
    for (const [method, operation] of Object.entries(item)) {
      if (!OPERATION_METHODS.includes(method) || operation === null || typeof operation !== 'object') continue;
      if (isTokenFree(method.toUpperCase(), patterns.get(`${method} ${path}`) ?? routePattern(path))) operation.security = [];
      const responses = (operation.responses ??= {}) as Record<string, unknown>;
      if (!Object.keys(responses).some((status) => status.startsWith('4'))) responses['4XX'] = CLIENT_ERROR_REF;
    }
  }

  const kindSchemas = Object.assign(
    {},
    ...Object.entries(NATURAL_KEYS).map(([kind, { spec, key }]) => fabricaKindSchemas(kind, spec, key)),
  );
  const smdTags = [...new Set(Object.values(paths).flatMap((ops) => Object.values(ops).flatMap((op) => (op.tags as string[]) ?? [])))]
    .filter((t) => t.startsWith('SMD '))
    .sort();
  return {
    openapi: '3.1.0',
    info: {
      title: 'HPC Inventory Gateway API',
      version: sources.version,
      description:
        'One hardware inventory served as GraphQL (/graphql) and through the REST APIs existing cluster software speaks: ' +
        `SMD (State Manager, ${sources.smdPrefix}) and the OpenCHAMI inventory-service Fabrica resources (/components, /groups …). ` +
        'Every family reads and writes the same store.',
      license: licenseObject(sources.license),
    },
    servers: [{ url: '/' }],
    security: [{ [SECURITY_SCHEME]: [] }],
    tags: [
      ...Object.values(FABRICA_KIND_ROUTES).map((r) => ({ name: `Fabrica ${r.kind}`, description: r.description })),
      ...smdTags.map((name) => ({ name, description: `SMD ${name.slice(4)} routes (errors are RFC 7807 problem+json).` })),
      ...fragments.flatMap((f) => f.tags ?? []),
      { name: 'GraphQL', description: 'The GraphQL API; GraphiQL at GET /graphql.' },
      { name: 'Operations', description: 'Health, readiness, metrics and this documentation.' },
    ],
    paths,
    components: {
      securitySchemes: { [SECURITY_SCHEME]: BEARER_JWT },
      responses: { ClientError: CLIENT_ERROR },
      schemas: {
        ...SMD_SCHEMAS,
        ...FABRICA_SCHEMAS,
        ...kindSchemas,
        ...COMMON_SCHEMAS,
        ...Object.assign({}, ...fragments.map((f) => f.schemas ?? {})),
      },
    },
  };
}

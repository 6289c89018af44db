// What a REST request needs, decided on the route pattern the family's router will dispatch to
// (so "/hsm/v2//State/Components/" cannot slip past a string comparison):
//   public  SMD's public routes (smd-api.md: service readiness, liveness and values, and the two
//           collections coresmd and cloud-init read without a token), the API documentation;
//   node    NoCloud's node routes: a booting node is known by the address it connects from,
//           never by a token;
//   read    GET and HEAD, and the POSTs that only query (SMD's Query and lock-status calls);
//   write   every other method.
// Anything not matched (an unknown path under a family, a wrong method) needs a read token, so
// an anonymous caller learns nothing about the routes beyond the public ones.
import type { RestFamily } from '../../rest-compat/http/family.js';
import { NODE_FILES } from '../../rest-compat/nocloud/index.js';
import { DOCS_PATH, OPENAPI_PATH } from '../../rest-compat/openapi/swagger-ui.js';
import { SMD_PREFIX } from '../../rest-compat/smd/index.js';
import type { Permission } from './permissions.js';

export type RouteAccess = 'public' | 'node' | Permission;

const PUBLIC_GET_ROUTES = new Set([
  `${SMD_PREFIX}/service/ready`,
  `${SMD_PREFIX}/service/liveness`,
  `${SMD_PREFIX}/service/values`,
  `${SMD_PREFIX}/service/values/:name`,
  `${SMD_PREFIX}/State/Components`,
  `${SMD_PREFIX}/Inventory/EthernetInterfaces`,
  OPENAPI_PATH,
  DOCS_PATH,
  `${DOCS_PATH}/:asset`,
]);

/** POSTs that read: SMD clients query with them holding read-only tokens. */
const QUERY_POST_ROUTES = new Set([
  `${SMD_PREFIX}/State/Components/Query`,
  `${SMD_PREFIX}/State/Components/ByNID/Query`,
  `${SMD_PREFIX}/locks/status`,
  `${SMD_PREFIX}/locks/service/reservations/check`,
]);

/** The node documents, /{group}.yaml, WireGuard bootstrap and phone-home, at any mount point. */
function isNoCloudNodeRoute(pattern: string): boolean {
  return (
    NODE_FILES.some((file) => pattern.endsWith(file)) ||
    pattern.endsWith('/:group.yaml') ||
    pattern.endsWith('/wg-init') ||
    pattern.endsWith('/phone-home/:id')
  );
}

export function restAccess(method: string, pathname: string, family: RestFamily): RouteAccess {
  const verb = method.toUpperCase();
  const reads = verb === 'GET' || verb === 'HEAD';
  const pattern = family.routeOf(reads ? 'GET' : verb, pathname);
  if (pattern === undefined) return 'read';
  if (family.source === 'nocloud' && isNoCloudNodeRoute(pattern)) return 'node';
  if (reads) return PUBLIC_GET_ROUTES.has(pattern) ? 'public' : 'read';
  if (verb === 'POST' && QUERY_POST_ROUTES.has(pattern)) return 'read';
  return 'write';
}

/**
 * Whether the gate lets `method pattern` through without a token (a public or a NoCloud node
 * route); `pattern` is in the routers' syntax (`/a/:id`). The OpenAPI document marks these
 * operations `security: []`, so the document and the gate read one rule.
 */
export function isTokenFreeRoute(method: string, pattern: string): boolean {
  const verb = method.toUpperCase();
  if (isNoCloudNodeRoute(pattern)) return true;
  return (verb === 'GET' || verb === 'HEAD') && PUBLIC_GET_ROUTES.has(pattern);
}

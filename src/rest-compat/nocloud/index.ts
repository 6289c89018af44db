// NoCloud for cloud-init on booting nodes, as OpenCHAMI's cloud-init servers serve it:
//   GET  /meta-data /user-data /vendor-data /network-config /{group}.yaml
//   POST /wg-init, /phone-home/{id}
// at the root and under the base path (default /cloud-init), where the documents also answer
// glued to it (/cloud-initmeta-data: cloud-init ≤ 22.x joins a seed URL without a trailing
// slash and the file name as plain strings). The resource API of the metadata-service
// (/clusterdefaultss, /groups, /instanceinfos, /wireguardpeers) is served under the base path
// only, as the root /groups belongs to the Fabrica inventory routes.

import { tunnelNetwork } from '../../services/cloud-init/index.js';
import type { RestContext } from '../http/context.js';
import type { RestFamily } from '../http/family.js';
import { RestRouter } from '../http/router.js';
import { normalizeBasePath } from './base-path.js';
import { nodeDocumentHandlers } from './node-documents.js';
import type { NoCloudOptions } from './options.js';
import { clusterDefaultsKind, groupKind, instanceInfoKind, wireguardPeerKind } from './resource-kinds.js';
import { mountResource } from './resources.js';
import { noCloudBehaviour } from './respond.js';
import { wireguardHandlers } from './wireguard-routes.js';

export { nocloudOpenApiPaths } from './openapi.js';

/** The files cloud-init's NoCloud datasource fetches from its seed URL. */
export const NODE_FILES = ['meta-data', 'user-data', 'vendor-data', 'network-config'] as const;

/** Node routes (documents, WireGuard) matched exactly; the resource router owns the rest of the base path. */
class NoCloudFamily implements RestFamily {
  readonly source = 'nocloud' as const;

  constructor(
    private readonly nodeRoutes: RestRouter,
    private readonly resources: RestRouter,
  ) {}

  private routerFor(pathname: string): RestRouter | undefined {
    if (this.nodeRoutes.owns(pathname)) return this.nodeRoutes;
    return this.resources.owns(pathname) ? this.resources : undefined;
  }

  owns(pathname: string): boolean {
    return this.routerFor(pathname) !== undefined;
  }

  routeOf(method: string, pathname: string): string | undefined {
    return this.routerFor(pathname)?.routeOf(method, pathname);
  }

  handle(request: Request, ctx: RestContext): Promise<Response> {
    const router = this.routerFor(new URL(request.url).pathname) ?? this.resources;
    return router.handle(request, ctx);
  }
}

/** Throws at start-up on a malformed base path or WireGuard block. */
export function createNoCloudFamily(options: NoCloudOptions): RestFamily {
  const basePath = normalizeBasePath(options.basePath);
  const nodeRoutes = new RestRouter('', noCloudBehaviour, 'nocloud');
  const documents = nodeDocumentHandlers(basePath, options.documents);
  const network = options.wireguard ? tunnelNetwork(options.wireguard.cidr) : undefined;
  const wireguard = wireguardHandlers(options.wireguard, network);
  const byFile = {
    'meta-data': documents.metaData,
    'user-data': documents.userData,
    'vendor-data': documents.vendorData,
    'network-config': documents.networkConfig,
  };

  for (const mount of ['', basePath]) {
    for (const file of NODE_FILES) nodeRoutes.get(`${mount}/${file}`, byFile[file]);
    nodeRoutes.get(`${mount}/:group.yaml`, documents.group);
    nodeRoutes.post(`${mount}/wg-init`, wireguard.init);
    nodeRoutes.post(`${mount}/phone-home/:id`, wireguard.phoneHome);
  }
  for (const file of NODE_FILES) nodeRoutes.get(`${basePath}${file}`, byFile[file]);

  const resources = new RestRouter(basePath, noCloudBehaviour, 'nocloud');
  mountResource(resources, clusterDefaultsKind);
  mountResource(resources, groupKind);
  mountResource(resources, instanceInfoKind);
  mountResource(resources, wireguardPeerKind(network));
  return new NoCloudFamily(nodeRoutes, resources);
}

// The documents cloud-init's NoCloud datasource fetches, for the node asking (identified by its
// client address): metadata-service's documents for the same data. meta-data and user-data are
// required by the client; vendor-data and network-config are optional and never answer 404
// (each 404 costs the node ten retries).
import { stringify } from 'yaml';
import { type DocumentOptions, METADATA_SERVICE_DOCUMENTS, metaDataDocument, type NodeIdentity } from '../../domain/nocloud-metadata.js';
import { EMPTY_CLOUD_CONFIG, groupDocument } from '../../domain/templates.js';
import type { RestRequest } from '../http/router.js';
import { requestingNode } from './requesting-node.js';
import { CONTENT_TYPES, nodeDocument, nodeRefusal } from './respond.js';

/**
 * What cloud-init ≥ 24.3 reads from /network-config (older releases never ask): networking is
 * left as the initramfs or the image set it. cloud-init's `is_disabled_cfg` looks for exactly
 * `config: disabled`, with or without a top-level `network:` key; an empty document would make
 * it write its fallback (DHCP on the first NIC) instead. metadata-service answers a version 1
 * config of static /24 addresses without a gateway, which would undo the networking a diskless
 * node booted with: deliberately not copied.
 */
export const NETWORK_CONFIG = '# networking is not configured by cloud-init: the initramfs or the image does it\nconfig: disabled\n';

/** Strings YAML 1.1 reads as booleans (PyYAML, as cloud-init uses) are quoted; long values (SSH keys) are not folded. */
const YAML_OPTIONS = { version: '1.1', lineWidth: 0, aliasDuplicateObjects: false } as const;

/** The node asking, or the plain-text 404 of the node documents. */
async function nodeOrRefusal(req: RestRequest): Promise<NodeIdentity | Response> {
  const found = await requestingNode(req);
  return 'node' in found ? found.node : nodeRefusal(404, found.unknown);
}

/**
 * Where the node fetches its group documents: its InstanceInfo, the cluster defaults, or this
 * server. metadata-service writes host-less `/compute.yaml` lines when neither names one,
 * which the node cannot fetch: deliberately not copied.
 */
function baseUrlFor(node: NodeIdentity, req: RestRequest, basePath: string): string {
  return node.instanceInfo?.cloudInitBaseUrl ?? node.clusterDefaults?.baseUrl ?? `${req.url.origin}${basePath}`;
}

export function nodeDocumentHandlers(basePath: string, documents: Partial<DocumentOptions> = {}) {
  const options: DocumentOptions = { ...METADATA_SERVICE_DOCUMENTS, ...documents };
  const metaData = (node: NodeIdentity, req: RestRequest) => metaDataDocument(node, baseUrlFor(node, req, basePath), options);

  return {
    async metaData(req: RestRequest): Promise<Response> {
      const node = await nodeOrRefusal(req);
      if (node instanceof Response) return node;
      return nodeDocument(stringify(metaData(node, req), YAML_OPTIONS), CONTENT_TYPES.yaml);
    },

    userData(): Response {
      return nodeDocument(EMPTY_CLOUD_CONFIG, CONTENT_TYPES.cloudConfig);
    },

    networkConfig(): Response {
      return nodeDocument(NETWORK_CONFIG, CONTENT_TYPES.yaml);
    },

    /**
     * `#include` of the node's groups that have a template (metadata-only groups have nothing
     * to include), as metadata-service lists them: the bare `#include` when there is none. An
     * unknown node gets the empty cloud-config where metadata-service answers 404: vendor-data
     * is optional, and a 404 costs the node ten retries.
     */
    async vendorData(req: RestRequest): Promise<Response> {
      const node = await nodeOrRefusal(req);
      if (node instanceof Response) return nodeDocument(EMPTY_CLOUD_CONFIG, CONTENT_TYPES.text);
      const baseUrl = baseUrlFor(node, req, basePath);
      const urls = node.groups.filter((g) => g.cloudInit?.template).map((g) => `${baseUrl}/${encodeURIComponent(g.name)}.yaml\n`);
      return nodeDocument(`#include\n${urls.join('')}`, CONTENT_TYPES.text);
    },

    async group(req: RestRequest): Promise<Response> {
      const node = await nodeOrRefusal(req);
      if (node instanceof Response) return node;
      const name = (req.params.group ?? '').toLowerCase();
      const group = node.groups.find((g) => g.name === name);
      if (!group) return nodeRefusal(404, `node ${node.xname} is not a member of group ${name}`);
      const { document, failure } = groupDocument(node, metaData(node, req), group);
      if (failure)
        req.ctx.logger.error(
          { group: name, xname: node.xname, reason: failure },
          'group template failed for a node: it got an empty cloud-config',
        );
      return nodeDocument(document, CONTENT_TYPES.cloudConfig);
    },
  };
}

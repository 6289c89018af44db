// The node a NoCloud request comes from: its client address (the TCP peer, or X-Forwarded-For
// from a trusted proxy) looked up in the store.
import type { NodeIdentity } from '../../domain/nocloud-metadata.js';
import { findNodeByAddress } from '../../services/cloud-init/index.js';
import type { RestRequest } from '../http/router.js';

/** The node, or why there is none (the text of the 404 every node route answers). */
export async function requestingNode(req: RestRequest): Promise<{ node: NodeIdentity } | { unknown: string }> {
  const address = req.ctx.clientAddress;
  const node = address ? await findNodeByAddress(req.ctx.service, address) : null;
  if (node) return { node };
  req.ctx.logger.warn({ client: address, path: req.url.pathname }, 'NoCloud request from an address no node has');
  return { unknown: `node not found for address ${address ?? '(unknown)'}` };
}

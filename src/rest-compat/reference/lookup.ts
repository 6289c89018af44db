// Finds the item a reference API path names, or answers the original's 404 text for it.
import type { Db } from '../../services/core/index.js';
import { findCluster, findFlavor, findNode, findSite, type NodeView } from '../../services/inventory/index.js';
import { Missing } from './errors.js';

export async function siteOf(db: Db, site: string, missing = 'Site not found') {
  const row = await findSite(db, site);
  if (!row) throw new Missing(missing);
  return row;
}

/** The cluster of the site; a missing site or cluster is the same 404 (the original reads one file). */
export async function clusterOf(db: Db, site: string, cluster: string, missing = 'Cluster not found') {
  await siteOf(db, site, missing);
  const row = await findCluster(db, site, cluster);
  if (!row) throw new Missing(missing);
  return row;
}

export async function nodeOf(db: Db, site: string, cluster: string, node: string, missing = 'Node not found'): Promise<NodeView> {
  const group = await clusterOf(db, site, cluster, missing);
  const view = await findNode(db, group.id, node);
  if (!view) throw new Missing(missing);
  return view;
}

export async function flavorOf(db: Db, site: string, flavor: string, missing = 'Flavor not found') {
  await siteOf(db, site, missing);
  const row = await findFlavor(db, site, flavor);
  if (!row) throw new Missing(missing);
  return row;
}

// The reference API's HATEOAS links, as the Chameleon reference API writes them: relative
// hrefs, `self` and `parent` on everything, the child collections and `versions` on items,
// and `version` pointing at the current version of an item.

export interface Link {
  rel: string;
  href: string;
}

const seg = encodeURIComponent;

export const sitesHref = '/sites';
export const siteHref = (site: string) => `/sites/${seg(site)}`;
export const clustersHref = (site: string) => `${siteHref(site)}/clusters`;
export const clusterHref = (site: string, cluster: string) => `${clustersHref(site)}/${seg(cluster)}`;
export const nodesHref = (site: string, cluster: string) => `${clusterHref(site, cluster)}/nodes`;
export const nodeHref = (site: string, cluster: string, node: string) => `${nodesHref(site, cluster)}/${seg(node)}`;
export const versionsHref = (item: string) => `${item === '/' ? '' : item}/versions`;

function withVersion(links: Link[], self: string, version: string | null): Link[] {
  return version ? [...links, { rel: 'version', href: `${versionsHref(self)}/${seg(version)}` }] : links;
}

export function siteLinks(site: string, version: string | null): Link[] {
  const self = siteHref(site);
  return withVersion(
    [
      { rel: 'self', href: self },
      { rel: 'parent', href: '/' },
      { rel: 'clusters', href: clustersHref(site) },
      { rel: 'versions', href: versionsHref(self) },
    ],
    self,
    version,
  );
}

export function clusterLinks(site: string, cluster: string, version: string | null): Link[] {
  const self = clusterHref(site, cluster);
  return withVersion(
    [
      { rel: 'self', href: self },
      { rel: 'parent', href: siteHref(site) },
      { rel: 'nodes', href: nodesHref(site, cluster) },
      { rel: 'versions', href: versionsHref(self) },
    ],
    self,
    version,
  );
}

export function nodeLinks(site: string, cluster: string, node: string, version: string | null): Link[] {
  const self = nodeHref(site, cluster, node);
  return withVersion(
    [
      { rel: 'self', href: self },
      { rel: 'parent', href: clusterHref(site, cluster) },
      { rel: 'versions', href: versionsHref(self) },
    ],
    self,
    version,
  );
}

/** A collection's links: itself and the item (or root) it belongs to. */
export const collectionLinks = (self: string, parent: string): Link[] => [
  { rel: 'self', href: self },
  { rel: 'parent', href: parent },
];

/** A version's links: itself, and the item whose versions it is among. */
export const versionLinks = (item: string, version: string): Link[] => [
  { rel: 'self', href: `${versionsHref(item)}/${seg(version)}` },
  { rel: 'parent', href: item },
];

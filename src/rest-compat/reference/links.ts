// The reference API's HATEOAS links, as reference_api_v2 writes them: relative hrefs, `self`
// and `parent` on everything, the child collections and `versions` on items, and `version`
// pointing at the current version as seen from the item.

export interface Link {
  rel: string;
  href: string;
}

const seg = encodeURIComponent;

export const rootHref = '/';
export const sitesHref = '/sites';
export const siteHref = (site: string) => `/sites/${seg(site)}`;
export const clustersHref = (site: string) => `${siteHref(site)}/clusters`;
export const clusterHref = (site: string, cluster: string) => `${clustersHref(site)}/${seg(cluster)}`;
export const nodesHref = (site: string, cluster: string) => `${clusterHref(site, cluster)}/nodes`;
export const nodeHref = (site: string, cluster: string, node: string) => `${nodesHref(site, cluster)}/${seg(node)}`;
export const flavorsHref = (site: string) => `${siteHref(site)}/flavors`;
export const flavorHref = (site: string, flavor: string) => `${flavorsHref(site)}/${seg(flavor)}`;
export const versionsHref = (item: string) => `${item === rootHref ? '' : item}/versions`;
export const versionHref = (item: string, version: string) => `${versionsHref(item)}/${seg(version)}`;

function withVersion(links: Link[], self: string, version: string | null): Link[] {
  return version ? [...links, { rel: 'version', href: versionHref(self, version) }] : links;
}

/** The root document's links, after any the grid record has of its own. */
export const rootLinks = (): Link[] => [
  { rel: 'sites', href: sitesHref },
  { rel: 'self', href: rootHref },
  { rel: 'parent', href: rootHref },
  { rel: 'versions', href: versionsHref(rootHref) },
];

/** A site links its flavors whether it has any or not, as the original does. */
export function siteLinks(site: string, version: string | null): Link[] {
  const self = siteHref(site);
  return withVersion(
    [
      { rel: 'self', href: self },
      { rel: 'parent', href: rootHref },
      { rel: 'clusters', href: clustersHref(site) },
      { rel: 'flavors', href: flavorsHref(site) },
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

export function flavorLinks(site: string, flavor: string, version: string | null): Link[] {
  const self = flavorHref(site, flavor);
  return withVersion(
    [
      { rel: 'self', href: self },
      { rel: 'parent', href: siteHref(site) },
      { rel: 'versions', href: versionsHref(self) },
    ],
    self,
    version,
  );
}

/** A collection's links: itself and what it belongs to. */
export const collectionLinks = (self: string, parent: string): Link[] => [
  { rel: 'self', href: self },
  { rel: 'parent', href: parent },
];

/** A version's links: itself (as asked for), and the item or collection whose versions it is among. */
export const versionLinks = (item: string, version: string): Link[] => [
  { rel: 'self', href: versionHref(item, version) },
  { rel: 'parent', href: item },
];

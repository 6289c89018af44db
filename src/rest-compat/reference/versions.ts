// The reference API's versions, at every level reference_api_v2 has them, from the change log
// (services/history/reference-versions.ts): what `git log -- <path>` lists for the item's file or
// directory. Each list is { total, offset, items, version, links } (the store's own /versions is
// { versions, … } as in the original); each version links itself and the item it is a version of.
//
// Where the original is wrong we do not copy it:
// - Its collections' versions (/sites/versions, …/clusters/versions, …/flavors/versions) link
//   each version to a route it does not have; here those routes exist.
// - An item that does not exist has an empty list of versions there (git log of a missing path);
//   here it is the item's 404.
// - Asked for a version that never touched the item, it answers the item's latest version
//   whatever was asked (even for a made-up id); here a version of the store that did not touch
//   the item answers the item's version in effect at it (so an item's `version` link, the store's
//   current version, always resolves), and an unknown id is a 404.
import type { Db } from '../../services/core/index.js';
import { findVersion, headVersion, listVersions, type VersionScope } from '../../services/history/index.js';
import { listClusters, listFlavors, listSites } from '../../services/inventory/index.js';
import { json } from '../http/respond.js';
import type { RestRouter } from '../http/router.js';
import { Missing } from './errors.js';
import {
  clusterHref,
  clustersHref,
  collectionLinks,
  flavorHref,
  flavorsHref,
  nodeHref,
  rootHref,
  siteHref,
  sitesHref,
  versionLinks,
  versionsHref,
} from './links.js';
import { clusterOf, flavorOf, nodeOf, siteOf } from './lookup.js';
import { page } from './paging.js';

type Params = Record<string, string | undefined>;

interface Versioned {
  /** The item or collection whose versions these are. */
  href: string;
  /** The versions list's parent link (the original's choice per level). */
  parent: string;
  /** Undefined: the whole store. */
  scope?: VersionScope;
}

const ids = (rows: Array<{ id: string }>) => rows.map((row) => row.id);

/** A site's directory: its record, clusters, flavors and the clusters' nodes. */
async function siteScope(db: Db, site: string): Promise<VersionScope> {
  const [row, clusters, flavors] = await Promise.all([siteOf(db, site), listClusters(db, site), listFlavors(db, site)]);
  return { ids: [row.id, ...ids(clusters), ...ids(flavors)], nodesOf: ids(clusters) };
}

/** Re-says a lookup's 404 with another text (a version route's "Version not found"). */
const rethrowAs = (missing: string | undefined) => (error: unknown) => {
  throw missing !== undefined && error instanceof Missing ? new Missing(missing) : error;
};

/** What each versions route is about; `missing` is the 404 text when the item is not there. */
const LEVELS: Array<{ pattern: string; resolve(db: Db, p: (name: string) => string, missing?: string): Promise<Versioned> }> = [
  { pattern: '', resolve: async () => ({ href: rootHref, parent: rootHref }) },
  {
    pattern: '/sites',
    async resolve(db) {
      const [sites, clusters, flavors] = await Promise.all([listSites(db), listClusters(db), listFlavors(db)]);
      return {
        href: sitesHref,
        parent: rootHref,
        scope: { ids: [...ids(sites), ...ids(clusters), ...ids(flavors)], nodesOf: ids(clusters) },
      };
    },
  },
  {
    pattern: '/sites/:site',
    // The original gives a site's versions the site collection as their parent.
    resolve: async (db, p, missing) => ({
      href: siteHref(p('site')),
      parent: sitesHref,
      scope: await siteScope(db, p('site')).catch(rethrowAs(missing)),
    }),
  },
  {
    pattern: '/sites/:site/clusters',
    async resolve(db, p, missing) {
      await siteOf(db, p('site'), missing);
      const clusters = await listClusters(db, p('site'));
      return { href: clustersHref(p('site')), parent: siteHref(p('site')), scope: { ids: ids(clusters), nodesOf: ids(clusters) } };
    },
  },
  {
    pattern: '/sites/:site/clusters/:cluster',
    async resolve(db, p, missing) {
      const cluster = await clusterOf(db, p('site'), p('cluster'), missing);
      const href = clusterHref(p('site'), p('cluster'));
      return { href, parent: href, scope: { ids: [cluster.id], nodesOf: [cluster.id] } };
    },
  },
  {
    pattern: '/sites/:site/clusters/:cluster/nodes/:node',
    async resolve(db, p, missing) {
      const view = await nodeOf(db, p('site'), p('cluster'), p('node'), missing);
      const href = nodeHref(p('site'), p('cluster'), String(view.json.uid));
      return { href, parent: href, scope: { ids: [], nodes: [view.device.id] } };
    },
  },
  {
    pattern: '/sites/:site/flavors',
    async resolve(db, p, missing) {
      await siteOf(db, p('site'), missing);
      const flavors = await listFlavors(db, p('site'));
      return { href: flavorsHref(p('site')), parent: siteHref(p('site')), scope: { ids: ids(flavors) } };
    },
  },
  {
    pattern: '/sites/:site/flavors/:flavor',
    async resolve(db, p, missing) {
      const flavor = await flavorOf(db, p('site'), p('flavor'), missing);
      const href = flavorHref(p('site'), p('flavor'));
      return { href, parent: href, scope: { ids: [flavor.id] } };
    },
  },
];

export function addVersionRoutes(router: RestRouter): void {
  for (const { pattern, resolve } of LEVELS) {
    router.get(`${pattern}/versions`, async ({ params, url, ctx }) => {
      const db = ctx.service.db;
      const { href, parent, scope } = await resolve(db, (name) => (params as Params)[name] ?? '');
      const { offset, limit } = page(url);
      const [{ total, items }, version] = await Promise.all([listVersions(db, { offset, limit }, scope), headVersion(db)]);
      const versions = items.map((v) => ({ ...v, links: versionLinks(href, v.uid) }));
      const links = collectionLinks(versionsHref(href), parent);
      // The store's own list is shaped as the original's { versions, version, links }; it is paged here like the others.
      if (!scope) return json({ versions, total, offset, version, links });
      return json({ total, offset, items: versions, version, links });
    });
    router.get(`${pattern}/versions/:version`, async ({ params, ctx }) => {
      const db = ctx.service.db;
      const p = (name: string) => (params as Params)[name] ?? '';
      const { href, scope } = await resolve(db, p, 'Version not found');
      const found = await findVersion(db, p('version'), scope);
      if (!found) throw new Missing('Version not found');
      return json({ ...found, links: versionLinks(href, p('version')) });
    });
  }
}

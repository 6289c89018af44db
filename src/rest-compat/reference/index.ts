// The Chameleon reference API over the store (read-only, at the root like the original):
//   GET /sites[/{site}[/clusters[/{cluster}[/nodes[/{node}]]]]]   (a trailing .json is allowed)
//   GET …/versions[/{version}] on each item, and /versions[/{version}] for the whole store
// Collections are { total, offset, items, version, links } paged by offset and limit (1-500,
// default 500); items are the repository's JSON plus version and links; nodes carry
// `availability` ("unknown" unless a reservation source is configured). Versions come from
// the change log (services/history/reference-versions.ts). Errors are { detail } as FastAPI writes them.

import { clusterUidOf, decodeCluster, decodeSite, siteUidOf } from '../../codecs/reference/records.js';
import { InventoryError } from '../../domain/errors.js';
import type { Db } from '../../services/core/index.js';
import { findVersion, headVersion, listVersions, nodeEntityIds } from '../../services/history/index.js';
import {
  type AvailabilitySource,
  countNodes,
  findCluster,
  findNode,
  findSite,
  listClusters,
  listNodes,
  listSites,
  type NodeView,
  nodeAvailability,
} from '../../services/inventory/index.js';
import type { RestContext } from '../http/context.js';
import type { RestFamily } from '../http/family.js';
import type { QueryParams } from '../http/query.js';
import { json } from '../http/respond.js';
import { RestRouter } from '../http/router.js';
import {
  clusterHref,
  clusterLinks,
  clustersHref,
  collectionLinks,
  nodeHref,
  nodeLinks,
  nodesHref,
  siteHref,
  siteLinks,
  sitesHref,
  versionLinks,
  versionsHref,
} from './links.js';

export interface ReferenceOptions {
  /** Where node availability comes from (default: nowhere, every node "unknown"). */
  availability?: AvailabilitySource;
}

const detail = (status: number, text: string) => json({ detail: text }, status);

class Missing extends Error {
  constructor(readonly text: string) {
    super(text);
  }
}

const MAX_LIMIT = 500;

function page(query: QueryParams): { offset: number; limit: number } {
  const number = (name: string, fallback: number, min: number, max: number) => {
    const raw = query.get(name);
    if (raw === undefined) return fallback;
    const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
    if (!(value >= min && value <= max))
      throw new InventoryError('BAD_USER_INPUT', `${name}: must be an integer from ${min} to ${max} (got ${JSON.stringify(raw)})`, name);
    return value;
  };
  return { offset: number('offset', 0, 0, Number.MAX_SAFE_INTEGER), limit: number('limit', MAX_LIMIT, 1, MAX_LIMIT) };
}

const collection = (total: number, offset: number, items: unknown[], version: string | null, self: string, parent: string) =>
  json({ total, offset, items, version, links: collectionLinks(self, parent) });

async function siteOf(db: Db, site: string) {
  const row = await findSite(db, site);
  if (!row) throw new Missing(`Site ${JSON.stringify(site)} not found`);
  return row;
}

async function clusterOf(db: Db, site: string, cluster: string) {
  await siteOf(db, site);
  const row = await findCluster(db, site, cluster);
  if (!row) throw new Missing(`Cluster ${JSON.stringify(cluster)} not found in site ${JSON.stringify(site)}`);
  return row;
}

async function nodeOf(db: Db, site: string, cluster: string, node: string): Promise<NodeView> {
  const group = await clusterOf(db, site, cluster);
  const view = await findNode(db, group.id, node);
  if (!view)
    throw new Missing(`Node ${JSON.stringify(node)} not found in cluster ${JSON.stringify(cluster)} of site ${JSON.stringify(site)}`);
  return view;
}

/** The routes (for the API document too); createReferenceFamily adds the `.json` suffix handling. */
export function createReferenceRouter(options: ReferenceOptions = {}): RestRouter {
  const router = new RestRouter(
    '',
    {
      notFound: ({ url }) => detail(404, `Not found: ${url.pathname}`),
      methodNotAllowed: (allow) =>
        new Response(JSON.stringify({ detail: 'Method Not Allowed' }), {
          status: 405,
          headers: { 'content-type': 'application/json', allow: allow.join(', ') },
        }),
      onError(error, req) {
        if (error instanceof Missing) return detail(404, error.text);
        if (error instanceof InventoryError)
          return detail(error.code === 'NOT_FOUND' ? 404 : error.code === 'BAD_USER_INPUT' ? 422 : 409, error.message);
        req.ctx.logger.error({ err: error, route: req.route }, 'unexpected error in a reference API route');
        return detail(500, 'Internal Server Error');
      },
    },
    'rfd',
  );
  const availability = options.availability ?? 'none';
  const p = (params: Record<string, string | undefined>, name: string) => params[name] ?? '';

  async function nodeItems(db: Db, site: string, cluster: string, views: NodeView[], version: string | null): Promise<object[]> {
    const known = await nodeAvailability(
      db,
      views.map((v) => v.device.id),
      availability,
    );
    return views.map(({ device, json: node }) => ({
      ...node,
      ...known.get(device.id),
      version,
      links: nodeLinks(site, cluster, String(node.uid), version),
    }));
  }

  router.get('/sites', async ({ query, ctx }) => {
    const { offset, limit } = page(query);
    const [sites, version] = await Promise.all([listSites(ctx.service.db), headVersion(ctx.service.db)]);
    const items = sites
      .slice(offset, offset + limit)
      .map((row) => ({ ...decodeSite(row), version, links: siteLinks(siteUidOf(row), version) }));
    return collection(sites.length, offset, items, version, sitesHref, '/');
  });

  router.get('/sites/:site', async ({ params, ctx }) => {
    const row = await siteOf(ctx.service.db, p(params, 'site'));
    const version = await headVersion(ctx.service.db);
    return json({ ...decodeSite(row), version, links: siteLinks(siteUidOf(row), version) });
  });

  router.get('/sites/:site/clusters', async ({ params, query, ctx }) => {
    const site = p(params, 'site');
    const { offset, limit } = page(query);
    await siteOf(ctx.service.db, site);
    const [groups, version] = await Promise.all([listClusters(ctx.service.db, site), headVersion(ctx.service.db)]);
    const items = groups
      .slice(offset, offset + limit)
      .map((g) => ({ ...decodeCluster(g), version, links: clusterLinks(site, clusterUidOf(g.name).cluster, version) }));
    return collection(groups.length, offset, items, version, clustersHref(site), siteHref(site));
  });

  router.get('/sites/:site/clusters/:cluster', async ({ params, ctx }) => {
    const [site, cluster] = [p(params, 'site'), p(params, 'cluster')];
    const group = await clusterOf(ctx.service.db, site, cluster);
    const version = await headVersion(ctx.service.db);
    return json({ ...decodeCluster(group), version, links: clusterLinks(site, cluster, version) });
  });

  router.get('/sites/:site/clusters/:cluster/nodes', async ({ params, query, ctx }) => {
    const [site, cluster] = [p(params, 'site'), p(params, 'cluster')];
    const { offset, limit } = page(query);
    const db = ctx.service.db;
    const group = await clusterOf(db, site, cluster);
    const [total, views, version] = await Promise.all([
      countNodes(db, group.id),
      listNodes(db, group.id, { offset, limit }),
      headVersion(db),
    ]);
    return collection(
      total,
      offset,
      await nodeItems(db, site, cluster, views, version),
      version,
      nodesHref(site, cluster),
      clusterHref(site, cluster),
    );
  });

  router.get('/sites/:site/clusters/:cluster/nodes/:node', async ({ params, ctx }) => {
    const [site, cluster] = [p(params, 'site'), p(params, 'cluster')];
    const db = ctx.service.db;
    const view = await nodeOf(db, site, cluster, p(params, 'node'));
    const [item] = await nodeItems(db, site, cluster, [view], await headVersion(db));
    return json(item);
  });

  // Versions: of the whole store, and of each item (the change events about it).
  const scopes: Array<{
    pattern: string;
    scope: (db: Db, params: Record<string, string | undefined>) => Promise<{ href: string; ids?: string[] }>;
  }> = [
    { pattern: '', scope: async () => ({ href: '/' }) },
    {
      pattern: '/sites/:site',
      scope: async (db, params) => ({ href: siteHref(p(params, 'site')), ids: [(await siteOf(db, p(params, 'site'))).id] }),
    },
    {
      pattern: '/sites/:site/clusters/:cluster',
      scope: async (db, params) => ({
        href: clusterHref(p(params, 'site'), p(params, 'cluster')),
        ids: [(await clusterOf(db, p(params, 'site'), p(params, 'cluster'))).id],
      }),
    },
    {
      pattern: '/sites/:site/clusters/:cluster/nodes/:node',
      scope: async (db, params) => {
        const view = await nodeOf(db, p(params, 'site'), p(params, 'cluster'), p(params, 'node'));
        return {
          href: nodeHref(p(params, 'site'), p(params, 'cluster'), String(view.json.uid)),
          ids: await nodeEntityIds(db, view.device.id),
        };
      },
    },
  ];
  for (const { pattern, scope } of scopes) {
    router.get(`${pattern}/versions`, async ({ params, query, ctx }) => {
      const db = ctx.service.db;
      const { href, ids } = await scope(db, params);
      const { offset, limit } = page(query);
      const [{ total, items }, version] = await Promise.all([listVersions(db, { offset, limit }, ids), headVersion(db)]);
      const versions = items.map((v) => ({ ...v, links: versionLinks(href, v.uid) }));
      // The store's own /versions is shaped as the original's: { versions, version, links }.
      if (!ids) return json({ versions, total, offset, version, links: collectionLinks(versionsHref(href), '/') });
      return collection(total, offset, versions, version, versionsHref(href), href);
    });
    router.get(`${pattern}/versions/:version`, async ({ params, ctx }) => {
      const db = ctx.service.db;
      const { href, ids } = await scope(db, params);
      const found = await findVersion(db, p(params, 'version'), ids);
      if (!found) throw new Missing(`Version ${JSON.stringify(p(params, 'version'))} not found${ids ? ` for ${href}` : ''}`);
      return json({ ...found, links: versionLinks(href, found.uid) });
    });
  }
  return router;
}

/** `.json` at the end of a path is ignored, as the original API does (`/sites/uc.json`). */
const withoutJson = (pathname: string) => (pathname.endsWith('.json') ? pathname.slice(0, -'.json'.length) : pathname);

export function createReferenceFamily(options: ReferenceOptions = {}): RestFamily {
  const router = createReferenceRouter(options);
  return {
    source: router.source,
    owns: (pathname) => router.owns(withoutJson(pathname)),
    routeOf: (method, pathname) => router.routeOf(method, withoutJson(pathname)),
    handle(request: Request, ctx: RestContext) {
      const url = new URL(request.url);
      if (!url.pathname.endsWith('.json')) return router.handle(request, ctx);
      url.pathname = withoutJson(url.pathname);
      return router.handle(new Request(url, request), ctx);
    },
  };
}

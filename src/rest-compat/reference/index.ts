// Chameleon's reference API (reference_api_v2) over the store, read-only, at the root like the
// original:
//   GET /                                         the grid's record with version, timestamp, links
//   GET /sites[/{site}]                           sites
//   GET /sites/{site}/clusters[/{cluster}]        clusters (queues default to ["admin", "default"])
//   GET /sites/{site}/clusters/{cluster}/nodes[/{node}]
//   GET /sites/{site}/flavors[/{flavor}]          a site's VM flavors
//   GET …/versions[/{version}]                    at every level (versions.ts)
// A trailing .json is ignored (/sites/uc.json). Collections are { total, offset, items, version,
// links } paged by offset (≥ 0) and limit (1-500, default 500); items are the repository's JSON
// with the original's declared fields and defaults (items.ts), the current version and links;
// nodes also carry `availability` ("unknown" unless a reservation source is configured), a
// gateway addition. Errors are FastAPI's (errors.ts), with the original's texts.
//
// Where the original answers a missing site's or cluster's list with an empty 200 (it reads a
// directory that is not there; its own 404 for that case is never reached), the list here is
// that 404 ("Site not found", "Site/cluster not found"). A cluster kept as clusters/<c>.json
// (two of Chameleon's sites have one) is served like the others; the original reads only
// clusters/<c>/<c>.json, so it leaves them out. Not served: the original's Blazar-backed
// /nodes/search, …/nodes/{node}/availability and /sites/{site}/availability (availability is
// the nodes' `availability` field here); a flavor's availability answers as an unconfigured site.
import { decodeCluster, decodeFlavor, decodeGrid, decodeSite } from '../../codecs/reference/records.js';
import { InventoryError } from '../../domain/errors.js';
import type { Db } from '../../services/core/index.js';
import { headOf, headVersion } from '../../services/history/index.js';
import {
  type AvailabilitySource,
  countNodes,
  findGrid,
  listClusters,
  listFlavors,
  listNodes,
  listSites,
  type NodeView,
  nodeAvailability,
} from '../../services/inventory/index.js';
import type { RestContext } from '../http/context.js';
import type { RestFamily } from '../http/family.js';
import { json } from '../http/respond.js';
import { type RestRequest, RestRouter } from '../http/router.js';
import { detail, type Invalid, Missing, Unprocessable, unprocessable } from './errors.js';
import { clusterItem, flavorItem, nodeItem, siteItem } from './items.js';
import { clusterHref, clustersHref, collectionLinks, flavorsHref, nodesHref, rootHref, rootLinks, siteHref, sitesHref } from './links.js';
import { clusterOf, flavorOf, nodeOf, siteOf } from './lookup.js';
import { page } from './paging.js';
import { addVersionRoutes } from './versions.js';

export interface ReferenceOptions {
  /** Where node availability comes from (default: nowhere, every node "unknown"). */
  availability?: AvailabilitySource;
}

const collection = (total: number, offset: number, items: unknown[], version: string | null, self: string, parent: string) =>
  json({ total, offset, items, version, links: collectionLinks(self, parent) });

/** A router error that is the client's, as FastAPI reports a bad parameter. */
function invalidParameter(error: InventoryError, req: RestRequest): Invalid {
  const name = error.field ?? '';
  const where = Object.hasOwn(req.params, name) ? 'path' : 'query';
  const input = where === 'path' ? req.params[name] : req.url.searchParams.get(name);
  const msg = error.field && error.message.startsWith(`${name}: `) ? error.message.slice(name.length + 2) : error.message;
  return { type: 'value_error', loc: [where, name], msg, input: input ?? null };
}

/** The routes (for the API documentation too); createReferenceFamily adds the `.json` suffix handling. */
export function createReferenceRouter(options: ReferenceOptions = {}): RestRouter {
  const router = new RestRouter(
    '',
    {
      notFound: () => detail(404, 'Not Found'),
      methodNotAllowed: (allow) => detail(405, 'Method Not Allowed', { allow: allow.join(', ') }),
      onError(error, req) {
        if (error instanceof Missing) return detail(404, error.message);
        if (error instanceof Unprocessable) return unprocessable(error.errors);
        if (error instanceof InventoryError) {
          if (error.code === 'BAD_USER_INPUT') return unprocessable([invalidParameter(error, req)]);
          return detail(error.code === 'NOT_FOUND' ? 404 : 409, error.message);
        }
        req.ctx.logger.error({ err: error, route: req.route }, 'unexpected error in a reference API route');
        return detail(500, 'Internal Server Error');
      },
    },
    'rfd',
  );
  const availability = options.availability ?? 'none';
  const param = (params: Record<string, string | undefined>, name: string) => params[name] ?? '';

  async function nodeItems(db: Db, site: string, cluster: string, views: NodeView[], version: string | null): Promise<object[]> {
    const known = await nodeAvailability(
      db,
      views.map((v) => v.device.id),
      availability,
    );
    return views.map(({ device, json: node }) => nodeItem(site, cluster, node, version, known.get(device.id)));
  }

  // The root is the grid's record. The original answers a 500 when the repository has no grid
  // file; the store always has a root, so without a grid record it is the version and links alone.
  router.get('/', async ({ ctx }) => {
    const db = ctx.service.db;
    const [sites, head] = await Promise.all([listSites(db), headOf(db)]);
    const grid = await findGrid(db, sites);
    const { links: own, ...record } = grid ? decodeGrid(grid) : {};
    return json({
      ...record,
      version: head?.version ?? null,
      // As the original's commit time: Unix seconds, as a string.
      timestamp: head ? String(Math.floor(head.at.getTime() / 1000)) : null,
      links: [...(Array.isArray(own) ? own : []), ...rootLinks()],
    });
  });

  router.get('/sites', async ({ url, ctx }) => {
    const { offset, limit } = page(url);
    const [sites, version] = await Promise.all([listSites(ctx.service.db), headVersion(ctx.service.db)]);
    const items = sites.slice(offset, offset + limit).map((row) => siteItem(decodeSite(row), version));
    return collection(sites.length, offset, items, version, sitesHref, rootHref);
  });

  router.get('/sites/:site', async ({ params, ctx }) => {
    const row = await siteOf(ctx.service.db, param(params, 'site'));
    return json(siteItem(decodeSite(row), await headVersion(ctx.service.db)));
  });

  router.get('/sites/:site/clusters', async ({ params, url, ctx }) => {
    const site = param(params, 'site');
    const { offset, limit } = page(url);
    await siteOf(ctx.service.db, site);
    const [groups, version] = await Promise.all([listClusters(ctx.service.db, site), headVersion(ctx.service.db)]);
    const items = groups.slice(offset, offset + limit).map((g) => clusterItem(site, decodeCluster(g), version));
    return collection(groups.length, offset, items, version, clustersHref(site), siteHref(site));
  });

  router.get('/sites/:site/clusters/:cluster', async ({ params, ctx }) => {
    const site = param(params, 'site');
    const group = await clusterOf(ctx.service.db, site, param(params, 'cluster'));
    return json(clusterItem(site, decodeCluster(group), await headVersion(ctx.service.db)));
  });

  router.get('/sites/:site/clusters/:cluster/nodes', async ({ params, url, ctx }) => {
    const [site, cluster] = [param(params, 'site'), param(params, 'cluster')];
    const { offset, limit } = page(url);
    const db = ctx.service.db;
    const group = await clusterOf(db, site, cluster, 'Site/cluster not found');
    const [total, version] = await Promise.all([countNodes(db, group.id), headVersion(db)]);
    const views = offset < total ? await listNodes(db, group.id, { offset, limit }) : [];
    const items = await nodeItems(db, site, cluster, views, version);
    return collection(total, offset, items, version, nodesHref(site, cluster), clusterHref(site, cluster));
  });

  router.get('/sites/:site/clusters/:cluster/nodes/:node', async ({ params, ctx }) => {
    const [site, cluster] = [param(params, 'site'), param(params, 'cluster')];
    const db = ctx.service.db;
    const view = await nodeOf(db, site, cluster, param(params, 'node'));
    const [item] = await nodeItems(db, site, cluster, [view], await headVersion(db));
    return json(item);
  });

  router.get('/sites/:site/flavors', async ({ params, url, ctx }) => {
    const site = param(params, 'site');
    const { offset, limit } = page(url);
    await siteOf(ctx.service.db, site);
    const [groups, version] = await Promise.all([listFlavors(ctx.service.db, site), headVersion(ctx.service.db)]);
    const items = groups.slice(offset, offset + limit).map((g) => flavorItem(site, decodeFlavor(g), version));
    return collection(groups.length, offset, items, version, flavorsHref(site), siteHref(site));
  });

  router.get('/sites/:site/flavors/:flavor', async ({ params, ctx }) => {
    const site = param(params, 'site');
    const group = await flavorOf(ctx.service.db, site, param(params, 'flavor'));
    return json(flavorItem(site, decodeFlavor(group), await headVersion(ctx.service.db)));
  });

  // The original answers a flavor's availability from Blazar for the sites configured for it;
  // no site is, here, so this is its answer for a site that is not.
  router.get('/sites/:site/flavors/:flavor/availability', () => detail(404, 'Flavor availability is not configured for this site'));

  addVersionRoutes(router);
  return router;
}

/**
 * Whether a request for "/" is the reference API's root document: a GET from an API client. A
 * browser (Accept with text/html) is sent on to GraphiQL instead.
 */
export const wantsReferenceRoot = (request: Request): boolean =>
  request.method === 'GET' && !(request.headers.get('accept') ?? '').toLowerCase().includes('text/html');

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

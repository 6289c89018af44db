// The gateway as one fetch handler: every route family is mounted here. Tests call
// `app.fetch(request)` in-process; main.ts serves the same handler over HTTP.
import { randomUUID } from 'node:crypto';
import { createServerAdapter } from '@whatwg-node/server';
import type { Database } from '../db/client.js';
import { withStatementScope } from '../db/sql-counter.js';
import { createCollectionRouter } from '../rest-compat/collection-v1/index.js';
import { createFabricaRouter } from '../rest-compat/fabrica/index.js';
import { createHistoryRouter } from '../rest-compat/history-v1/index.js';
import { boundRequestBody, PayloadTooLargeError } from '../rest-compat/http/bounded-body.js';
import type { RestContext } from '../rest-compat/http/context.js';
import type { RestFamily } from '../rest-compat/http/family.js';
import { createExportRouter, createImportRouter } from '../rest-compat/import-export/index.js';
import { createInventoryV1Router } from '../rest-compat/inventory-v1/index.js';
import { createNoCloudFamily } from '../rest-compat/nocloud/index.js';
import type { NoCloudOptions } from '../rest-compat/nocloud/options.js';
import { createDocsRouter } from '../rest-compat/openapi/index.js';
import { createReferenceFamily, type ReferenceOptions, wantsReferenceRoot } from '../rest-compat/reference/index.js';
import { createSmdRouter } from '../rest-compat/smd/index.js';
import { GRAPHIQL_ASSET_PATH, graphiqlAsset } from '../schema/graphiql.js';
import type { GraphQLLimits } from '../schema/plugins/limits.js';
import { createGraphQLHandler } from '../schema/yoga.js';
import { checkDatabase, startChangeFeed } from '../services/core/index.js';
import { startScnDelivery } from '../services/smd/index.js';
import { type AuthOptions, createAuthGuard } from './auth/index.js';
import { isTokenFreeRoute } from './auth/route-access.js';
import { type BodyLimits, bodyLimitOf, DEFAULT_BODY_LIMITS, payloadTooLarge } from './body-limits.js';
import { clientAddress, TrustedProxies } from './client-address.js';
import { CONSOLE_PATH, createConsole, ownsConsolePath } from './console.js';
import type { Logger } from './logger.js';
import type { Metrics } from './metrics.js';
import type { RequestInfo } from './request-info.js';

export interface AppOptions {
  database: Database;
  logger: Logger;
  metrics: Metrics;
  graphiql?: boolean;
  exposeErrors?: boolean;
  /** Peers whose X-Forwarded-For / Forwarded chain is walked (none by default). */
  trustedProxies?: TrustedProxies;
  /** Request body limits (32 MiB, imports 1 GiB, by default). */
  bodyLimits?: Partial<BodyLimits>;
  nocloud?: NoCloudOptions;
  /** The Chameleon reference API (/sites, /versions): where node availability comes from. */
  reference?: ReferenceOptions;
  /** Bearer-JWT authentication; off when absent. */
  auth?: AuthOptions;
  /** GraphQL query limits, persisted documents, introspection (defaults for any not given). */
  graphqlLimits?: Partial<GraphQLLimits>;
  /** Where the built operator console is (dist/ui by default). */
  consoleRoot?: string;
}

/**
 * What the HTTP server hands each request: Node's request (for the peer address) when served
 * over HTTP, or `peerAddress` directly when a test calls `app.fetch` in-process.
 */
export interface AppServerContext {
  req?: { socket?: { remoteAddress?: string } };
  peerAddress?: string;
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/** A switched-off feature answers 404 saying how to turn it on (yoga would answer a bare 406). */
const GRAPHIQL_OFF = 'GraphiQL is off: start the gateway with --graphiql (GRAPHIQL=true) to serve it; API clients POST to /graphql';

/** A browser asking for the GraphiQL page (a GET for HTML without a query), not an API client. */
function wantsGraphiQL(request: Request): boolean {
  return (
    request.method === 'GET' &&
    (request.headers.get('accept') ?? '').includes('text/html') &&
    !new URL(request.url).searchParams.has('query')
  );
}

export function createApp(options: AppOptions) {
  const { database, logger, metrics } = options;
  const auth = createAuthGuard(options.auth, logger);
  const graphiqlOn = options.graphiql ?? true;
  const graphql = createGraphQLHandler({
    database,
    logger,
    graphiql: graphiqlOn,
    exposeErrors: options.exposeErrors,
    requireAuth: auth.enabled,
    limits: options.graphqlLimits,
  });

  const operatorConsole = createConsole({ auth, root: options.consoleRoot });

  const restFamilies: RestFamily[] = [
    createSmdRouter(),
    createFabricaRouter(),
    createHistoryRouter(),
    createInventoryV1Router(),
    createDocsRouter({ nocloudBasePath: options.nocloud?.basePath, isTokenFree: isTokenFreeRoute }),
    createNoCloudFamily(options.nocloud ?? { basePath: '/cloud-init' }),
    createCollectionRouter(),
    createImportRouter(),
    createExportRouter(),
    createReferenceFamily(options.reference),
  ].filter((family): family is RestFamily => family !== undefined);

  function restContext(info: RequestInfo, source: RestContext['service']['source']): RestContext {
    return {
      engine: database.engine,
      logger,
      service: { db: database.prisma, source, actor: info.actor, requestId: info.id },
      clientAddress: info.clientAddress,
    };
  }

  async function ready(): Promise<Response> {
    try {
      await checkDatabase(database.prisma);
      return json({ status: 'ready', engine: database.engine });
    } catch (error) {
      logger.warn({ err: error }, 'readiness check failed: database unreachable');
      return json({ status: 'unavailable', reason: 'database unreachable' }, 503);
    }
  }

  async function route(request: Request, info: RequestInfo): Promise<{ route: string; response: Response }> {
    const { pathname } = new URL(request.url);
    if (pathname === '/health') return { route: '/health', response: json({ status: 'ok' }) };
    if (pathname === '/ready') return { route: '/ready', response: await ready() };
    if (pathname === '/metrics') {
      return {
        route: '/metrics',
        response: new Response(await metrics.registry.metrics(), { headers: { 'content-type': metrics.registry.contentType } }),
      };
    }
    if (pathname.startsWith(GRAPHIQL_ASSET_PATH)) {
      const asset = await graphiqlAsset(pathname);
      return { route: GRAPHIQL_ASSET_PATH, response: asset ?? new Response('not found', { status: 404 }) };
    }
    if (ownsConsolePath(pathname)) return { route: CONSOLE_PATH, response: await operatorConsole.handle(request, info) };
    // "/" is the console's door for browsers and, for API clients, the reference API's root document.
    if (pathname === '/' && !wantsReferenceRoot(request))
      // Not Response.redirect: its headers are immutable, and every answer gets x-request-id below.
      return {
        route: '/',
        response: new Response(null, { status: 302, headers: { location: new URL(`${CONSOLE_PATH}/`, request.url).toString() } }),
      };
    if (pathname === '/graphql') {
      if (!graphiqlOn && wantsGraphiQL(request)) return { route: '/graphql', response: json({ error: GRAPHIQL_OFF }, 404) };
      await auth.identify(request, info);
      return { route: '/graphql', response: await graphql.handle(request, { requestInfo: info }) };
    }
    const family = restFamilies.find((f) => f.owns(pathname));
    if (family) {
      const routeName = family.routeOf(request.method, pathname) ?? `${family.source}:unmatched`;
      const denied = await auth.admitRest(request, pathname, family, info);
      if (denied) return { route: routeName, response: denied };
      return { route: routeName, response: await family.handle(request, restContext(info, family.source)) };
    }
    return { route: 'unmatched', response: json({ error: `no route for ${request.method} ${pathname}` }, 404) };
  }

  const trustedProxies = options.trustedProxies ?? new TrustedProxies([]);
  const bodyLimits: BodyLimits = { ...DEFAULT_BODY_LIMITS, ...options.bodyLimits };

  /**
   * Routes the request with its body bounded: a declared Content-Length over the limit is refused
   * unread; a body that grows past it makes the answer a 413, whatever the handler made of the
   * read error it got.
   */
  async function routeBounded(
    request: Request,
    info: RequestInfo,
    framedByLength: boolean,
  ): Promise<{ route: string; response: Response }> {
    const { pathname } = new URL(request.url);
    const limit = bodyLimitOf(pathname, bodyLimits);
    const bounded = boundRequestBody(request, limit.bytes, { setting: limit.setting, framedByLength });
    const tooLarge = () => payloadTooLarge(pathname, new PayloadTooLargeError(limit.bytes, limit.setting));
    if (bounded.refused) return { route: 'body-too-large', response: tooLarge() };
    const routed = await route(bounded.request, info);
    if (!bounded.exceeded) return routed;
    await routed.response.body?.cancel().catch(() => undefined);
    return { route: routed.route, response: tooLarge() };
  }

  const handler = createServerAdapter<AppServerContext>(async (request: Request, serverContext: AppServerContext) => {
    const started = performance.now();
    const info: RequestInfo = {
      id: request.headers.get('x-request-id')?.slice(0, 128) || randomUUID(),
      clientAddress: clientAddress(
        serverContext?.peerAddress ?? serverContext?.req?.socket?.remoteAddress,
        request.headers,
        trustedProxies,
      ),
    };
    const scope = { statements: 0 };
    const { route: routeName, response } = await withStatementScope(scope, () =>
      // A request from Node's HTTP server (`req`) has a body its parser ends at Content-Length.
      routeBounded(request, info, serverContext?.req !== undefined),
    );
    const seconds = (performance.now() - started) / 1000;
    metrics.observeRequest(request.method, routeName, response.status, seconds);
    logger.info(
      {
        requestId: info.id,
        method: request.method,
        path: new URL(request.url).pathname,
        client: info.clientAddress,
        status: response.status,
        durationMs: Math.round(seconds * 10000) / 10,
        sqlStatements: scope.statements,
        actor: info.actor,
      },
      'request',
    );
    response.headers.set('x-request-id', info.id);
    response.headers.set('x-sql-statements', String(scope.statements));
    return response;
  });

  // On PostgreSQL, hear the changes other replicas commit (subscriptions on every replica).
  const changeFeed = startChangeFeed(database.prisma, (state, error) =>
    state === 'lost'
      ? logger.warn({ err: error }, 'change feed: lost the database connection; retrying')
      : logger.info('change feed: listening for changes from every replica'),
  );

  // SMD's state change notifications: POSTed to subscribers after the writes this process commits.
  startScnDelivery(database.prisma, { log: (level, fields, message) => logger[level](fields, message) });

  /** Resolves once the app hears every replica's changes (at once on SQLite). */
  const feedReady = changeFeed.then(() => undefined);

  return { fetch: handler.fetch, handler, graphql, feedReady, auth };
}

export type App = ReturnType<typeof createApp>;

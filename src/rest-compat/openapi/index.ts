// /openapi.json and Swagger UI at /docs, from local assets. The document is built from the
// routes the SMD, Fabrica, inventory/v1, history, collection, import and export routers register (fresh instances, inspected once), so it
// cannot fall behind them.
import { readFileSync } from 'node:fs';
import { InventoryError } from '../../domain/errors.js';
import { exportFormatNames, importFormatNames } from '../../interop/index.js';
import { createCollectionRouter } from '../collection-v1/index.js';
import { createFabricaRouter } from '../fabrica/index.js';
import { createHistoryRouter } from '../history-v1/index.js';
import { json } from '../http/respond.js';
import { type FamilyBehaviour, RestRouter } from '../http/router.js';
import { createExportRouter, createImportRouter } from '../import-export/index.js';
import { createInventoryV1Router } from '../inventory-v1/index.js';
import { inventoryV1OpenApi } from '../inventory-v1/openapi.js';
import { nocloudOpenApiPaths } from '../nocloud/index.js';
import { createSmdRouter, SMD_PREFIX } from '../smd/index.js';
import { buildOpenApiDocument, type IsTokenFreeRoute, routesFragment } from './document.js';
import { DOCS_PATH, OPENAPI_PATH, swaggerUiAsset, swaggerUiHtml } from './swagger-ui.js';

const error = (status: number, text: string, headers: Record<string, string> = {}) => json({ error: text, code: status }, status, headers);

const docsBehaviour: FamilyBehaviour = {
  notFound: ({ request, url }) => error(404, `no route for ${request.method} ${url.pathname}`),
  methodNotAllowed: (allow) => error(405, `method not allowed; allowed: ${allow.join(', ')}`, { allow: allow.join(', ') }),
  onError(err, req) {
    // The router refuses parameters no route could use (U+0000 …) before any handler runs.
    if (err instanceof InventoryError && err.code === 'BAD_USER_INPUT') return error(400, err.message);
    req.ctx.logger.error({ err, route: req.route }, 'unexpected error in the API documentation routes');
    return error(500, 'internal error');
  },
};

/** The version and licence package.json declares. */
function packageInfo(): { version: string; license: string | undefined } {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
      version?: string;
      license?: string;
    };
    return { version: pkg.version ?? '0.0.0', license: pkg.license };
  } catch {
    return { version: '0.0.0', license: undefined };
  }
}

export interface DocsOptions {
  /** Where the NoCloud routes are mounted besides the root (app default /cloud-init). */
  nocloudBasePath?: string;
  /** The auth gate's rule (src/server/auth): its token-free operations are marked `security: []`. */
  isTokenFree?: IsTokenFreeRoute;
}

/** The documents built, per NoCloud base path, per gate rule (one of each in a running gateway). */
const documents = new Map<string, WeakMap<IsTokenFreeRoute, Record<string, unknown>>>();
const NO_RULE: IsTokenFreeRoute = () => false;

/** The OpenAPI document of the routes the gateway serves (built once per NoCloud base path and gate rule). */
export function openApiDocument(options: DocsOptions = {}): Record<string, unknown> {
  const basePath = options.nocloudBasePath ?? '/cloud-init';
  const rule = options.isTokenFree ?? NO_RULE;
  const built = documents.get(basePath) ?? new WeakMap<IsTokenFreeRoute, Record<string, unknown>>();
  documents.set(basePath, built);
  let doc = built.get(rule);
  if (!doc) {
    doc = buildOpenApiDocument({
      smd: createSmdRouter(),
      fabrica: createFabricaRouter(),
      smdPrefix: SMD_PREFIX,
      ...packageInfo(),
      isTokenFree: rule,
      fragments: [
        inventoryV1OpenApi(createInventoryV1Router()),
        routesFragment(createHistoryRouter(), 'History v1 (RFD 112)', 'The change log as CloudEvents, snapshots, diffs and retention.'),
        routesFragment(
          createCollectionRouter(),
          'Collection v1 (RFD 112)',
          'Scans of discovered hardware, their diffs, approval and operations.',
        ),
        routesFragment(
          createImportRouter(),
          'Import v1',
          'Imports in a named format (the body is the document; dryRun=true answers the diff); errors are problem+json.',
          {
            format: { type: 'string', enum: importFormatNames() },
          },
        ),
        routesFragment(createExportRouter(), 'Export v1', 'The live inventory in a named format, streamed.', {
          format: { type: 'string', enum: exportFormatNames() },
        }),
        { paths: nocloudOpenApiPaths(basePath) },
      ],
    });
    built.set(rule, doc);
  }
  return doc;
}

export function createDocsRouter(options: DocsOptions = {}): RestRouter {
  const router = new RestRouter('', docsBehaviour, 'system');
  router.get(OPENAPI_PATH, () => json(openApiDocument(options)));
  router.get(DOCS_PATH, () => {
    const title = String((openApiDocument(options).info as { title?: string }).title ?? 'API');
    return new Response(swaggerUiHtml(title), { headers: { 'content-type': 'text/html; charset=utf-8' } });
  });
  router.get(
    `${DOCS_PATH}/:asset`,
    async ({ params, request, url }) => (await swaggerUiAsset(params.asset ?? '')) ?? docsBehaviour.notFound({ request, url }),
  );
  return router;
}

// Swagger UI entirely from local files: management networks of HPC sites have no internet,
// so the page loads nothing from a CDN, and the online spec validator badge is switched off.
// Assets come from the swagger-ui-dist package.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export const DOCS_PATH = '/docs';
export const OPENAPI_PATH = '/openapi.json';

const require = createRequire(import.meta.url);
const distDir = dirname(require.resolve('swagger-ui-dist/package.json'));

/** The only files served, with their types. */
const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
  'favicon-16x16.png': 'image/png',
};

export function swaggerUiHtml(title: string): string {
  const safeTitle = title.replace(/[<>&"]/g, '');
  const config = JSON.stringify({
    url: OPENAPI_PATH,
    dom_id: '#swagger-ui',
    deepLinking: true,
    // The default sends the document to validator.swagger.io for a badge: never on an isolated network.
    validatorUrl: null,
    layout: 'BaseLayout',
    docExpansion: 'list',
    tryItOutEnabled: false,
  }).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${safeTitle}</title>
<link rel="stylesheet" href="${DOCS_PATH}/swagger-ui.css">
<link rel="icon" type="image/png" href="${DOCS_PATH}/favicon-32x32.png" sizes="32x32">
</head>
<body>
<noscript>Swagger UI needs JavaScript; the document itself is at ${OPENAPI_PATH}.</noscript>
<div id="swagger-ui"></div>
<script src="${DOCS_PATH}/swagger-ui-bundle.js"></script>
<script>
const config = ${config};
window.ui = SwaggerUIBundle({ ...config, presets: [SwaggerUIBundle.presets.apis] });
</script>
</body>
</html>`;
}

/** A Swagger UI asset by file name, or undefined when it is not one of ours. */
export async function swaggerUiAsset(name: string): Promise<Response | undefined> {
  const type = Object.hasOwn(ASSETS, name) ? ASSETS[name] : undefined;
  if (!type) return undefined;
  const body = await readFile(join(distDir, name));
  return new Response(body, { headers: { 'content-type': type, 'cache-control': 'public, max-age=86400' } });
}

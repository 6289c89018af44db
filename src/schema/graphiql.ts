// GraphiQL from local files: management networks of HPC sites have no internet, so the page
// must not load anything from a CDN. Assets come from the @graphql-yoga/graphiql package.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, normalize } from 'node:path';
import type { GraphiQLOptions } from 'graphql-yoga';

export const GRAPHIQL_ASSET_PATH = '/graphiql/assets/';

const require = createRequire(import.meta.url);
const distDir = join(dirname(require.resolve('@graphql-yoga/graphiql/package.json')), 'dist');

const WORKERS = {
  editorWorkerService: 'monacoeditorwork/editor.worker.bundle.js',
  json: 'monacoeditorwork/json.worker.bundle.js',
  graphql: 'monacoeditorwork/graphql.worker..bundle.js',
};

function escapeForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

export function graphiqlHtml(options?: GraphiQLOptions): string {
  const title = String(options?.title ?? 'GraphiQL').replace(/[<>&"]/g, '');
  const workerUrls = Object.fromEntries(Object.entries(WORKERS).map(([k, v]) => [k, GRAPHIQL_ASSET_PATH + v]));
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${title}</title>
<link rel="stylesheet" href="${GRAPHIQL_ASSET_PATH}graphiql.css">
</head>
<body id="body" class="no-focus-outline">
<noscript>GraphiQL needs JavaScript.</noscript>
<div id="root">Loading ${title}…</div>
<script>
const workerUrls = ${escapeForScript(workerUrls)};
const workers = {};
self.MonacoEnvironment = { globalAPI: false, getWorkerUrl: (_id, label) => workers[label] };
async function prepareWorkers() {
  await Promise.all(Object.entries(workerUrls).map(async ([label, url]) => {
    const code = await (await fetch(url)).text();
    workers[label] = URL.createObjectURL(new Blob([code], { type: 'application/javascript' }));
  }));
}
</script>
<script src="${GRAPHIQL_ASSET_PATH}yoga-graphiql.umd.js"></script>
<script>
prepareWorkers().finally(() => YogaGraphiQL.renderYogaGraphiQL(document.getElementById('root'), ${escapeForScript(options ?? {})}));
</script>
</body>
</html>`;
}

const TYPES: Record<string, string> = { '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8' };

/** The asset at `path` (below GRAPHIQL_ASSET_PATH), or undefined when there is none. */
export async function graphiqlAsset(path: string): Promise<Response | undefined> {
  const relative = normalize(path.slice(GRAPHIQL_ASSET_PATH.length));
  if (relative.startsWith('..') || relative.includes('\0')) return undefined;
  const extension = relative.slice(relative.lastIndexOf('.'));
  const type = TYPES[extension];
  if (!type) return undefined;
  try {
    const body = await readFile(join(distDir, relative));
    return new Response(body, { headers: { 'content-type': type, 'cache-control': 'public, max-age=86400' } });
  } catch {
    return undefined;
  }
}

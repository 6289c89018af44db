// Compiles src/**/*.ts to dist/**/*.js, file for file (no bundling), so that `npm start`, the
// CLI and the container run JavaScript instead of transpiling TypeScript at every start.
// The tree keeps src's depth (src/server/main.ts → dist/server/main.js), so paths computed
// from import.meta.url (package.json, prisma/, node_modules) resolve the same from both.
// Type checking is `npm run typecheck`'s job; this only strips types (tsconfig has
// isolatedModules, so every file can be compiled alone). Plain JavaScript so that it starts
// in a fraction of a second: `npm start` runs it first and never serves stale code.
import { existsSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const src = join(root, 'src');
const dist = join(root, 'dist');

/** Every .ts file under `dir` (declaration files have nothing to compile). */
function sources(dir) {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts'))
    .map((entry) => join(entry.parentPath, entry.name));
}

const entryPoints = sources(src);
const stamp = join(dist, '.build-stamp');

// --if-stale (the tests' global set-up): nothing to do when no source changed since the last
// build. It also leaves the old files in place, as other test runs may be starting the CLI.
if (process.argv.includes('--if-stale') && existsSync(stamp)) {
  const built = statSync(stamp).mtimeMs;
  if (entryPoints.every((file) => statSync(file).mtimeMs <= built)) process.exit(0);
} else {
  removeEarlierBuild();
}

// Remove what an earlier build wrote for folders of src (a deleted source must not live on
// in dist); anything else in dist (the console's assets in dist/ui) belongs to other builds.
function removeEarlierBuild() {
  for (const entry of readdirSync(src, { withFileTypes: true })) {
    rmSync(join(dist, entry.name), { recursive: true, force: true });
  }
}

const started = performance.now();
await build({
  entryPoints,
  outdir: dist,
  outbase: src,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  sourcemap: 'linked',
  sourcesContent: false,
  logLevel: 'warning',
});
writeFileSync(stamp, `${new Date().toISOString()}\n`);
if (!process.argv.includes('--quiet')) {
  const ms = Math.round(performance.now() - started);
  console.log(`compiled ${entryPoints.length} files from ${relative(root, src)}/ to ${relative(root, dist)}/ in ${ms} ms`);
}

// Compiles src/**/*.ts to dist/**/*.js, file for file (no bundling), so that `npm start`, the
// CLI and the container run JavaScript instead of transpiling TypeScript at every start.
// The tree keeps src's depth (src/server/main.ts → dist/server/main.js), so paths computed
// from import.meta.url (package.json, prisma/, node_modules) resolve the same from both.
// Type checking is `npm run typecheck`'s job; this only strips types (tsconfig has
// isolatedModules, so every file can be compiled alone). Plain JavaScript so that it starts
// in a fraction of a second: `npm start` runs it first and never serves stale code.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, relative } from 'node:path';
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
// This script is a source too: a change to what it writes must reach dist.
if (process.argv.includes('--if-stale') && existsSync(stamp)) {
  const built = statSync(stamp).mtimeMs;
  if ([...entryPoints, fileURLToPath(import.meta.url)].every((file) => statSync(file).mtimeMs <= built)) process.exit(0);
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

// Prisma's generated client loads its query compiler (WebAssembly, 3 MB) from a JavaScript
// module holding it as a 4.4 MB base64 string, then decodes it. The module and its string stay
// in the heap for the life of the process (8.4 MiB, twice the text), and parsing it is start-up
// time. The compiled client reads the bytes from a .wasm file written beside it instead; the
// client is otherwise untouched. Should a Prisma upgrade change that code, the client is left as
// generated (a warning says so) and test/server/start-up-footprint.test.ts fails.
const QUERY_COMPILER_IMPORT =
  /(getQueryCompilerWasmModule: async \(\) => \{)\s*const \{ wasm \} = await import\("(@prisma\/client\/runtime\/[\w.]+)\.wasm-base64\.mjs"\)\s*return await decodeBase64AsWasm\(wasm\)\s*\}/;
const require = createRequire(import.meta.url);

const queryCompilerFromFile = {
  name: 'query-compiler-from-file',
  setup(esbuild) {
    esbuild.onLoad({ filter: /[\\/]generated[\\/][^\\/]+[\\/]internal[\\/]class\.ts$/ }, async (args) => {
      const source = readFileSync(args.path, 'utf8');
      const match = QUERY_COMPILER_IMPORT.exec(source);
      if (!match) {
        console.warn(`build: ${relative(root, args.path)} no longer loads its query compiler as expected; left as generated`);
        return { contents: source, loader: 'ts' };
      }
      const [whole, opening, runtimeModule] = match;
      const { wasm } = await import(require.resolve(`${runtimeModule}.wasm-base64.mjs`));
      const file = `${basename(runtimeModule)}.wasm`;
      const out = join(dist, relative(src, dirname(args.path)), file);
      mkdirSync(dirname(out), { recursive: true });
      writeFileSync(out, Buffer.from(wasm, 'base64'));
      const replacement = `${opening}
    // scripts/build.mjs: the bytes from a file beside this one, not from a base64 module.
    const { readFile } = await import('node:fs/promises')
    return await WebAssembly.compile(await readFile(new URL('./${file}', import.meta.url)))
  }`;
      return { contents: source.replace(whole, replacement), loader: 'ts' };
    });
  },
};

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
  plugins: [queryCompilerFromFile],
});
writeFileSync(stamp, `${new Date().toISOString()}\n`);
if (!process.argv.includes('--quiet')) {
  const ms = Math.round(performance.now() - started);
  console.log(`compiled ${entryPoints.length} files from ${relative(root, src)}/ to ${relative(root, dist)}/ in ${ms} ms`);
}

// Builds the operator console (ui/) to dist/ui, served by the gateway at /ui/ (src/server/console.ts).
// Every asset is bundled: nothing is fetched from a CDN or font service (air-gapped sites).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: here,
  base: '/ui/',
  publicDir: false,
  logLevel: 'warn',
  build: {
    outDir: fileURLToPath(new URL('../dist/ui', import.meta.url)),
    emptyOutDir: true,
    // Hashed names under assets/: the gateway serves them as immutable.
    assetsDir: 'assets',
    sourcemap: false,
    target: 'es2022',
    chunkSizeWarningLimit: 1024,
  },
});

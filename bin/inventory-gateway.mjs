#!/usr/bin/env node
// The package's command: runs the compiled JavaScript in dist/ (`npm run build`, which `npm ci`
// runs at install). Development runs the sources instead: `node --import tsx src/cli/main.ts`.
import { existsSync } from 'node:fs';

const main = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(main)) {
  process.stderr.write('inventory-gateway: not built yet: run `npm run build` (npm ci does it at install)\n');
  process.exit(1);
}
process.setSourceMapsEnabled(true);
await import(main.href);

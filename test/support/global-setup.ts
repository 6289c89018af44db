// Vitest global set-up: the tests that start the gateway or the CLI as a child process run
// the compiled JavaScript (as `npm start`, the CLI and the container do), so compile first
// when a source changed since the last build (under a second; nothing when up to date).
import { execFileSync } from 'node:child_process';
import { PROJECT_ROOT } from '../../src/db/client.js';

export default function compileSources(): void {
  execFileSync(process.execPath, ['scripts/build.mjs', '--if-stale', '--quiet'], { cwd: PROJECT_ROOT, stdio: 'inherit' });
}

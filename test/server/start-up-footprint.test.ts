// What a gateway loads to serve, and nothing more: started on a new database, it answers /ready
// without having loaded the other engine's driver, the BMC simulator, the demo generator, the
// JWT library (auth is off), pino-pretty (its output is not a terminal), the schema engine (a
// new database is migrated without it) or Prisma's query compiler as a base64 module (the
// build writes it as a .wasm file). Each is start-up time and idle memory (issue 17).
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/db/client.js';
import { TEST_DATABASE_URL, TEST_ENGINE } from '../support/database.js';
import { type GatewayProcess, startGatewayProcess } from '../support/gateway-process.js';

// Preloaded into the gateway: every module it loads (ESM through a loader hook, CommonJS from
// require's cache at exit) is written to MODULES_FILE.
const HOOKS = `import { appendFileSync } from 'node:fs';
export async function load(url, context, next) {
  appendFileSync(process.env.MODULES_FILE, url + '\\n');
  return next(url, context);
}
`;
const RECORDER = `import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';
register('./hooks.mjs', import.meta.url);
const require = createRequire(import.meta.url);
process.on('exit', () => appendFileSync(process.env.MODULES_FILE, Object.keys(require.cache).join('\\n') + '\\n'));
`;

const COMMON = [
  '/dist/simulator/',
  '/dist/fixtures/',
  '/node_modules/jose/',
  '/node_modules/pino-pretty/',
  '/node_modules/@prisma/schema-engine-wasm/',
  '.wasm-base64.',
];
const FORBIDDEN =
  TEST_ENGINE === 'sqlite'
    ? [...COMMON, '/node_modules/pg/', '/node_modules/@prisma/adapter-pg/', '/dist/generated/postgresql/']
    : [...COMMON, '/node_modules/better-sqlite3/', '/node_modules/@prisma/adapter-better-sqlite3/'];

describe(`a gateway started on a new ${TEST_ENGINE} database`, () => {
  let dir: string;
  let gateway: GatewayProcess;
  let modules: string[];
  let dropSchema = async () => {};

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'start-up-footprint-'));
    const recorder = join(dir, 'recorder.mjs');
    writeFileSync(recorder, RECORDER);
    writeFileSync(join(dir, 'hooks.mjs'), HOOKS);
    const modulesFile = join(dir, 'modules.txt');
    let url = `file:${join(dir, 'inventory.db')}`;
    if (TEST_ENGINE === 'postgresql') {
      const schema = `footprint_${process.pid}_${Date.now().toString(36)}`;
      const admin = async (sql: string) => {
        const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
        await client.connect();
        await client.query(sql).finally(() => client.end());
      };
      await admin(`CREATE SCHEMA "${schema}"`);
      dropSchema = () => admin(`DROP SCHEMA "${schema}" CASCADE`);
      url = `${TEST_DATABASE_URL}${TEST_DATABASE_URL.includes('?') ? '&' : '?'}schema=${schema}`;
    }
    gateway = await startGatewayProcess(['--database-url', url], {
      env: { NODE_OPTIONS: `--import ${pathToFileURL(recorder).href}`, MODULES_FILE: modulesFile },
    });
    expect((await fetch(`${gateway.base}/ready`)).status).toBe(200);
    expect(await gateway.stop()).toBe(0);
    modules = readFileSync(modulesFile, 'utf8').split('\n').filter(Boolean);
  });
  afterAll(async () => {
    await gateway?.stop();
    await dropSchema();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is migrated and ready (the recorder saw its modules load)', () => {
    expect(gateway.lines.some((l) => l.msg === 'database migrated')).toBe(true);
    expect(modules.some((m) => m.includes('/dist/server/app.js'))).toBe(true);
    expect(modules.some((m) => m.includes('/node_modules/pino/'))).toBe(true);
  });

  it.each(FORBIDDEN)('never loaded %s', (part) => {
    expect(modules.filter((m) => m.includes(part))).toEqual([]);
  });
});

describe('the compiled Prisma clients', () => {
  it.each(['sqlite', 'postgresql'])('%s: reads its query compiler from a .wasm file beside it, not from a base64 module', (engine) => {
    const internal = join(PROJECT_ROOT, 'dist', 'generated', engine, 'internal');
    const code = readFileSync(join(internal, 'class.js'), 'utf8');
    expect(code).not.toContain('wasm-base64');
    const wasm = readdirSync(internal).filter((f) => f.endsWith('.wasm'));
    expect(wasm).toHaveLength(1);
    expect(code).toContain(`new URL("./${wasm[0]}", import.meta.url)`);
    // The WebAssembly magic number: the file holds the module's bytes, not its base64 text.
    expect([...readFileSync(join(internal, wasm[0] as string)).subarray(0, 4)]).toEqual([0, 0x61, 0x73, 0x6d]);
  });
});

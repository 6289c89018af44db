// /openapi.json, as the gateway serves it, passes `redocly lint` with the recommended rules and
// the repository's redocly.yaml: no error, no warning (the deliberate exceptions are in
// .redocly.lint-ignore.yaml). Its security follows the auth gate: the bearer JWT everywhere but
// on the routes the gate lets through without a token.
import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/gateway.js';

const run = promisify(execFile);
const ROOT = new URL('../../', import.meta.url).pathname;
const REDOCLY = join(ROOT, 'node_modules/.bin/redocly');

let gw: TestGateway;
let doc: any;
let dir: string;
beforeAll(async () => {
  gw = await startTestGateway();
  doc = await (await gw.app.fetch(new Request('http://gateway.test/openapi.json'))).json();
  dir = await mkdtemp(join(tmpdir(), 'openapi-lint-'));
});
afterAll(async () => {
  await gw?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

interface LintReport {
  totals: { errors: number; warnings: number; ignored: number };
  problems: Array<{ ruleId: string; message: string; location: Array<{ pointer?: string }> }>;
}

describe('/openapi.json under redocly lint', () => {
  it('has no error and no warning', async () => {
    await writeFile(join(dir, 'openapi.json'), JSON.stringify(doc));
    for (const file of ['redocly.yaml', '.redocly.lint-ignore.yaml']) await copyFile(join(ROOT, file), join(dir, file));
    const env = { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' };
    // redocly exits 1 when it finds an error; the JSON report is on stdout either way.
    const { stdout, exitCode } = await run(REDOCLY, ['lint', 'openapi.json', '--format=json'], { cwd: dir, env, maxBuffer: 64 << 20 }).then(
      ({ stdout }) => ({ stdout, exitCode: 0 }),
      (err: { stdout?: string; code?: number }) => ({ stdout: err.stdout ?? '', exitCode: err.code ?? -1 }),
    );
    const report = JSON.parse(stdout) as LintReport;
    const problems = report.problems.map((p) => `${p.ruleId} ${p.location[0]?.pointer ?? ''}: ${p.message}`);
    expect(problems).toEqual([]);
    expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
    expect(exitCode).toBe(0);
  }, 180_000);
});

describe('/openapi.json security', () => {
  it('declares the bearer JWT scheme and requires it by default', () => {
    expect(doc.components.securitySchemes.bearerJwt).toMatchObject({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
    expect(doc.components.securitySchemes.bearerJwt.description).toMatch(/JWKS/);
    expect(doc.security).toEqual([{ bearerJwt: [] }]);
  });

  it('marks open exactly the operations the gate lets through without a token', () => {
    const open = Object.entries(doc.paths as Record<string, Record<string, any>>)
      .flatMap(([path, item]) => Object.entries(item).map(([method, op]) => ({ path, method, op })))
      .filter(({ op }) => Array.isArray(op?.security) && op.security.length === 0)
      .map(({ method, path }) => `${method} ${path}`)
      .sort();
    expect(open).toEqual(
      [
        'get /hsm/v2/service/ready',
        'get /hsm/v2/service/liveness',
        'get /hsm/v2/service/values',
        'get /hsm/v2/service/values/{name}',
        'get /hsm/v2/State/Components',
        'get /hsm/v2/Inventory/EthernetInterfaces',
        'get /health',
        'get /ready',
        'get /metrics',
        'get /openapi.json',
        'get /docs',
        ...['', '/cloud-init'].flatMap((mount) => [
          ...['meta-data', 'user-data', 'vendor-data', 'network-config', '{group}.yaml'].map((file) => `get ${mount}/${file}`),
          `post ${mount}/wg-init`,
          `post ${mount}/phone-home/{id}`,
        ]),
      ].sort(),
    );
  });

  it('gives every operation a 4XX response and the document a licence', () => {
    for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, any>>)) {
      for (const [method, op] of Object.entries(item)) {
        if (!METHODS.includes(method)) continue; // path-level parameters, summary …
        expect(
          Object.keys(op.responses).some((status) => status.startsWith('4')),
          `${method} ${path}`,
        ).toBe(true);
      }
      expect(path, 'router syntax leaked into a path').not.toMatch(/[*]|\{wildcard\}|\/:/);
    }
    expect(doc.info.license.name).toBeTruthy();
  });
});

// The deployment examples (deploy/) must configure the gateway with settings it has: a renamed
// variable or endpoint would otherwise go unnoticed until a site deploys.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { PROJECT_ROOT } from '../../src/db/client.js';
import { OPTIONS } from '../../src/server/config.js';

const DEPLOY = join(PROJECT_ROOT, 'deploy');
const KNOWN = new Set([...OPTIONS.map((o) => o.env), 'NODE_ENV']);
const read = (file: string) => readFileSync(join(DEPLOY, file), 'utf8');

/** KEY=value pairs of quadlet `Environment=` lines and env files. */
function assignments(text: string): string[] {
  return text
    .split('\n')
    .filter((line) => /^\s*(Environment=)?[A-Z][A-Z0-9_]*=/.test(line))
    .flatMap((line) => line.replace(/^\s*Environment=/, '').split(/\s+(?=[A-Z][A-Z0-9_]*=)/))
    .map((pair) => pair.split('=')[0].trim());
}

describe('deployment examples', () => {
  it('compose passes the gateway only variables it reads', () => {
    const compose = parse(read('compose.yaml'));
    const gateway = compose.services.gateway;
    expect(Object.keys(gateway.environment).filter((k) => !KNOWN.has(k))).toEqual([]);
    expect(gateway.env_file).toEqual(['inventory.env']);
    expect(compose.services.gateway.deploy.replicas).toBeGreaterThan(1);
  });

  it('the environment file and quadlet units use real variables', () => {
    const names = [...assignments(read('inventory.env.example')), ...assignments(read('quadlet/inventory-gateway@.container'))];
    expect(names).toContain('DATABASE_URL');
    expect(names.filter((k) => !KNOWN.has(k))).toEqual([]);
  });

  it('health checks probe the gateway’s readiness endpoint', () => {
    expect(read('haproxy.cfg')).toMatch(/option httpchk GET \/ready/);
    expect(read('quadlet/inventory-gateway@.container')).toMatch(/127\.0\.0\.1:8080\/ready/);
    expect(readdirSync(join(DEPLOY, 'quadlet')).sort()).toEqual([
      'inventory-gateway@.container',
      'inventory-postgres.container',
      'inventory.network',
    ]);
  });
});

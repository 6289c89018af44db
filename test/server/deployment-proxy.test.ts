// The shipped proxy examples name clients safely: HAProxy drops the client's own forwarding
// headers before adding its X-Forwarded-For, and compose trusts HAProxy's address only.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { PROJECT_ROOT } from '../../src/db/client.js';

const read = (file: string) => readFileSync(join(PROJECT_ROOT, 'deploy', file), 'utf8');

describe('deployment examples: the client behind HAProxy', () => {
  it('HAProxy strips client-sent X-Forwarded-For and Forwarded and adds its own', () => {
    const config = read('haproxy.cfg');
    const frontend = config.slice(config.indexOf('frontend inventory'), config.indexOf('backend gateways'));
    expect(frontend).toMatch(/^\s*http-request del-header X-Forwarded-For\s*$/m);
    expect(frontend).toMatch(/^\s*http-request del-header Forwarded\s*$/m);
    expect(config).toMatch(/^\s*option forwardfor\s*$/m);
  });

  it('compose trusts exactly the address HAProxy has', () => {
    const compose = parse(read('compose.yaml'));
    const haproxyAddress = compose.services.haproxy.networks.inventory.ipv4_address;
    expect(compose.services.gateway.environment.TRUSTED_PROXIES).toBe(haproxyAddress);
  });
});

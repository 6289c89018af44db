// Sites extend SMD's Role and SubRole lists (hms_config.json, HMSExtendedDefinitions; CSM sites
// use UAN, Gateway, Visualization …). With the additions loaded, /service/values shows them
// after SMD's base values, and components, node maps, filters and SCN subscriptions take them;
// a value in neither list is still refused as SMD refuses it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setSiteRoles } from '../../src/domain/site-roles.js';
import { parseCommandLine } from '../../src/server/config.js';
import { loadSiteRoles, parseHmsConfig } from '../../src/services/smd/index.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { expectSmdProblem, smdClient } from '../support/smd.js';

const BASE_ROLES = ['Compute', 'Service', 'System', 'Application', 'Storage', 'Management'];
const BASE_SUBROLES = ['Master', 'Worker', 'Storage'];

let gw: TestGateway;
let folder: string;
beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'hms-config-'));
  const file = join(folder, 'hms_config.json');
  // As CSM's cray-hms-base-config ConfigMap writes it: the base values repeated, then the site's.
  writeFileSync(
    file,
    JSON.stringify({ HMSExtendedDefinitions: { Role: [...BASE_ROLES, 'UAN'], SubRole: [...BASE_SUBROLES, 'Gateway', 'Visualization'] } }),
  );
  expect(loadSiteRoles(file)).toEqual({ roles: [...BASE_ROLES, 'UAN'], subRoles: [...BASE_SUBROLES, 'Gateway', 'Visualization'] });
  gw = await startTestGateway();
});
afterAll(async () => {
  setSiteRoles({});
  rmSync(folder, { recursive: true, force: true });
  await gw.close();
});

const smd = smdClient(() => gw);

describe('a site that adds roles', () => {
  it('/service/values lists them once, after the base values', async () => {
    const all = await smd('GET', '/service/values');
    expect(all.body.Role).toEqual([...BASE_ROLES, 'UAN']);
    expect(all.body.SubRole).toEqual([...BASE_SUBROLES, 'Gateway', 'Visualization']);
    expect((await smd('GET', '/service/values/subrole')).body).toEqual({ SubRole: [...BASE_SUBROLES, 'Gateway', 'Visualization'] });
  });

  it('components take them in any case, read back in the configured spelling, and filter by them', async () => {
    const created = await smd('POST', '/State/Components', {
      Components: [
        { ID: 'x9100c0s0b0n0', State: 'On', Role: 'uan', SubRole: 'gateway', NID: 91 },
        { ID: 'x9100c0s1b0n0', State: 'On', Role: 'Compute', NID: 92 },
      ],
    });
    expect(created.status).toBe(204);
    expect((await smd('GET', '/State/Components/x9100c0s0b0n0')).body).toMatchObject({ Role: 'UAN', SubRole: 'Gateway' });
    const uans = await smd('GET', '/State/Components?role=UAN');
    expect(uans.body.Components.map((c: { ID: string }) => c.ID)).toEqual(['x9100c0s0b0n0']);
    const patched = await smd('PATCH', '/State/Components/x9100c0s1b0n0/Role', { Role: 'Application', SubRole: 'Visualization' });
    expect(patched.status).toBe(204);
    expect((await smd('GET', '/State/Components/x9100c0s1b0n0')).body).toMatchObject({ Role: 'Application', SubRole: 'Visualization' });
  });

  it('node maps and SCN subscriptions take them', async () => {
    expect((await smd('PUT', '/Defaults/NodeMaps/x9100c0s2b0n0', { NID: 93, Role: 'UAN', SubRole: 'Gateway' })).status).toBe(200);
    const subscription = await smd('POST', '/Subscriptions/SCN', {
      Subscriber: 'site-roles@x9100',
      Roles: ['UAN'],
      SubRoles: ['Visualization'],
      Url: 'http://127.0.0.1:9/scn',
    });
    expect(subscription.status).toBe(200);
  });

  it('a value in neither list is refused as SMD refuses it', async () => {
    const reply = await smd('POST', '/State/Components', { Components: [{ ID: 'x9100c0s3b0n0', State: 'On', Role: 'Wizard' }] });
    expect(reply.status).toBe(400);
    expect(reply.body.detail).toMatch(/role/i);
    expectSmdProblem(await smd('GET', '/State/Components?role=Wizard'), 400, /Role/);
  });
});

describe('hms_config.json', () => {
  it('takes a document without additions, and refuses one that is not the shape SMD reads', () => {
    expect(parseHmsConfig('{}')).toEqual({});
    expect(parseHmsConfig('{"HMSExtendedDefinitions":{"Role":["UAN"]}}')).toEqual({ roles: ['UAN'], subRoles: [] });
    expect(() => parseHmsConfig('{nope')).toThrow(/not JSON/);
    expect(() => parseHmsConfig('{"HMSExtendedDefinitions":[]}')).toThrow(/must be an object/);
    expect(() => parseHmsConfig('{"HMSExtendedDefinitions":{"Role":"UAN"}}')).toThrow(/Role must be a list of non-empty strings/);
    expect(() => parseHmsConfig('{"HMSExtendedDefinitions":{"SubRole":[""]}}')).toThrow(/SubRole must be a list/);
  });

  it('is named by --hms-config or HMS_CONFIG_PATH, as SMD names it', () => {
    expect(parseCommandLine(['--hms-config', '/etc/hms/hms_config.json'], {}).config.hmsConfig).toBe('/etc/hms/hms_config.json');
    expect(parseCommandLine([], { HMS_CONFIG_PATH: '/hms_config/hms_config.json' }).config.hmsConfig).toBe('/hms_config/hms_config.json');
    expect(parseCommandLine([], {}).config.hmsConfig).toBe('');
  });
});

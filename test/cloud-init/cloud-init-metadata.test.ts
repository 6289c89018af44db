import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createComponents } from '../../src/services/smd/component.js';
import { createGroup } from '../../src/services/smd/group.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { expectError } from '../support/graphql-errors.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
  await createComponents(gw.service, [{ xname: 'x1c0s0b0n0' }, { xname: 'x1c0s0b0n1' }, { xname: 'x1c0s0b0n2' }]);
  await createGroup(gw.service, { name: 'compute' });
  await createGroup(gw.service, { kind: 'partition', name: 'p1' });
});
afterAll(() => gw.close());

describe('cluster defaults', () => {
  const SET = `mutation($input: ClusterDefaultsInput!) { setClusterDefaults(input: $input) { clusterName shortName nidLength baseUrl region publicKeys revision } }`;

  it('creates the one row, then merges the fields given', async () => {
    const first = await gw.gql(SET, {
      input: { clusterName: 'demo', nidLength: 4, baseUrl: 'http://cloud-init:27777/', publicKeys: ['ssh-ed25519 AAAA demo'] },
    });
    expect(first.errors).toBeUndefined();
    expect(first.data.setClusterDefaults).toEqual({
      clusterName: 'demo',
      shortName: null,
      nidLength: 4,
      baseUrl: 'http://cloud-init:27777',
      region: null,
      publicKeys: ['ssh-ed25519 AAAA demo'],
      revision: 1,
    });
    const second = await gw.gql(SET, { input: { region: 'lab', clusterName: null } });
    expect(second.data.setClusterDefaults).toMatchObject({
      clusterName: null,
      nidLength: 4,
      region: 'lab',
      publicKeys: ['ssh-ed25519 AAAA demo'],
      revision: 2,
    });
    expect(await gw.db.prisma.clusterDefaults.count()).toBe(1);
    const events = await gw.db.prisma.changeEvent.findMany({ where: { entityType: 'ClusterDefaults' }, orderBy: { seq: 'asc' } });
    expect(events.map((e) => e.action)).toEqual(['created', 'updated']);
  });

  it('refuses a NID length outside 1..9, a non-http URL and bad keys', async () => {
    expectError(await gw.gql(SET, { input: { nidLength: 0 } }), 'BAD_USER_INPUT', 'nidLength');
    expectError(await gw.gql(SET, { input: { nidLength: 10 } }), 'BAD_USER_INPUT', 'nidLength');
    expectError(await gw.gql(SET, { input: { nidLength: null } }), 'BAD_USER_INPUT', 'nidLength');
    expectError(await gw.gql(SET, { input: { baseUrl: 'ftp://cloud-init' } }), 'BAD_USER_INPUT', 'baseUrl');
    expectError(await gw.gql(SET, { input: { baseUrl: 'not a url' } }), 'BAD_USER_INPUT', 'baseUrl');
    expectError(await gw.gql(SET, { input: { publicKeys: ['ok', ' '] } }), 'BAD_USER_INPUT', 'publicKeys.1');
  });
});

describe('group templates', () => {
  const SET = `mutation($g: String!, $input: GroupTemplateInput!) { setGroupTemplate(groupName: $g, input: $input) { template metaData osVersion revision group { name } } }`;

  it("sets, replaces and deletes a group's template, kept exactly as given", async () => {
    const template = '## template: jinja\n#cloud-config\nhostname: {{ ds.meta_data.local_hostname }}\n';
    const first = await gw.gql(SET, { g: 'Compute', input: { template, metaData: { scheduler: 'slurm' }, osVersion: 'rocky9' } });
    expect(first.errors).toBeUndefined();
    expect(first.data.setGroupTemplate).toEqual({
      template,
      metaData: { scheduler: 'slurm' },
      osVersion: 'rocky9',
      revision: 1,
      group: { name: 'compute' },
    });
    const second = await gw.gql(SET, { g: 'compute', input: { template: '#cloud-config\n' } });
    expect(second.data.setGroupTemplate).toMatchObject({ template: '#cloud-config\n', metaData: { scheduler: 'slurm' }, revision: 2 });
    const read = await gw.gql(`{ group(name: "compute") { template { osVersion } } }`);
    expect(read.data.group.template).toEqual({ osVersion: 'rocky9' });

    const del = await gw.gql(`mutation { deleteGroupTemplate(groupName: "compute") { name template { id } } }`);
    expect(del.data.deleteGroupTemplate).toEqual({ name: 'compute', template: null });
    expectError(await gw.gql(`mutation { deleteGroupTemplate(groupName: "compute") { name } }`), 'NOT_FOUND', 'groupName');
  });

  it('refuses a template that does not render to YAML against sample metadata, naming the line and the reason', async () => {
    const syntax = expectError(
      await gw.gql(SET, { g: 'compute', input: { template: '#cloud-config\nhostname: {{ hostname | }}\n' } }),
      'BAD_USER_INPUT',
      'template',
    );
    expect(syntax).toMatch(/^template: line 2: expected symbol, got variable-end/);
    const yaml = expectError(
      await gw.gql(SET, { g: 'compute', input: { template: '#cloud-config\nruncmd:\n  - [ {{ nid }}\n' } }),
      'BAD_USER_INPUT',
      'template',
    );
    expect(yaml).toMatch(/^template: line \d+ of the rendered document .*not valid YAML/);
    const notMapping = expectError(
      await gw.gql(SET, { g: 'compute', input: { template: '#cloud-config\n- {{ hostname }}\n' } }),
      'BAD_USER_INPUT',
      'template',
    );
    expect(notMapping).toContain('must be a YAML mapping');
    // Rendered with the group's metaData; a node-rendered template is checked as text only.
    const ok = await gw.gql(SET, {
      g: 'compute',
      input: { template: '#cloud-config\nsched: {{ scheduler }}\nhost: {{ ds.meta_data.hostname }}\n', metaData: { scheduler: 'slurm' } },
    });
    expect(ok.errors).toBeUndefined();
    const client = await gw.gql(SET, {
      g: 'compute',
      input: { template: '## template: jinja\n#cloud-config\nx: {{ v1.local_hostname | upper }}\n' },
    });
    expect(client.errors).toBeUndefined();
    await gw.gql(`mutation { deleteGroupTemplate(groupName: "compute") { name } }`);
  });

  it('refuses a bad group name; takes no template as a metadata-only group', async () => {
    expectError(await gw.gql(SET, { g: 'bad name', input: { template: '#cloud-config' } }), 'BAD_USER_INPUT', 'groupName');
    const metadataOnly = await gw.gql(SET, { g: 'compute', input: { template: '  \n', metaData: { rack: 'r1' } } });
    expect(metadataOnly.errors).toBeUndefined();
    expect(metadataOnly.data.setGroupTemplate).toMatchObject({ template: '', metaData: { rack: 'r1' }, group: { name: 'compute' } });
    await gw.gql(`mutation { deleteGroupTemplate(groupName: "compute") { name } }`);
  });

  it('takes the template of a group SMD does not have yet; the group has it once created', async () => {
    const early = await gw.gql(SET, { g: 'storage', input: { template: '#cloud-config\nruncmd: [lsblk]\n', osVersion: 'rocky9' } });
    expect(early.errors).toBeUndefined();
    expect(early.data.setGroupTemplate).toMatchObject({ revision: 1, group: { name: 'storage' } });
    expect((await gw.gql(`{ group(name: "storage") { name } }`)).data.group).toBeNull();

    await createGroup(gw.service, { name: 'storage', members: ['x1c0s0b0n1'] });
    const read = await gw.gql(`{ group(name: "storage") { kind memberCount template { template osVersion revision } } }`);
    expect(read.data.group).toEqual({
      kind: 'group',
      memberCount: 1,
      template: { template: '#cloud-config\nruncmd: [lsblk]\n', osVersion: 'rocky9', revision: 2 },
    });
    // The row that held it meanwhile is gone; a partition's name is only a name to cloud-init.
    expect(await gw.db.prisma.group.count({ where: { kind: 'cloud-init', deletedAt: null } })).toBe(0);
    expect((await gw.gql(SET, { g: 'p1', input: { template: '#cloud-config' } })).errors).toBeUndefined();
    await gw.gql(`mutation { deleteGroupTemplate(groupName: "storage") { name } }`);
    await gw.gql(`mutation { deleteGroupTemplate(groupName: "p1") { name } }`);
    expect((await gw.gql(`{ group(name: "storage") { template { id } } }`)).data.group).toEqual({ template: null });
  });
});

describe('instance info', () => {
  const SET = `mutation($x: String!, $input: InstanceInfoInput!) { setInstanceInfo(xname: $x, input: $input) { instanceId localHostname hostname region publicKeys cloudInitBaseUrl revision component { xname } } }`;

  it('defaults the instance-id to the xname, as metadata-service, and merges later changes', async () => {
    const first = await gw.gql(SET, { x: 'X1C0S0B0N0', input: { localHostname: 'nid001', publicKeys: ['ssh-rsa AAAA'] } });
    expect(first.errors).toBeUndefined();
    expect(first.data.setInstanceInfo).toMatchObject({
      instanceId: 'x1c0s0b0n0',
      localHostname: 'nid001',
      component: { xname: 'x1c0s0b0n0' },
    });
    const second = await gw.gql(SET, { x: 'x1c0s0b0n0', input: { region: 'lab', cloudInitBaseUrl: 'https://ci.example/' } });
    expect(second.data.setInstanceInfo).toMatchObject({
      instanceId: 'x1c0s0b0n0',
      localHostname: 'nid001',
      region: 'lab',
      cloudInitBaseUrl: 'https://ci.example',
      publicKeys: ['ssh-rsa AAAA'],
      revision: 2,
    });
    const custom = await gw.gql(SET, { x: 'x1c0s0b0n0', input: { instanceId: 'i-custom01' } });
    expect(custom.data.setInstanceInfo.instanceId).toBe('i-custom01');
    const back = await gw.gql(SET, { x: 'x1c0s0b0n0', input: { instanceId: null } });
    expect(back.data.setInstanceInfo.instanceId).toBe('x1c0s0b0n0');
  });

  it('refuses an instance-id in use, an unknown or invalid xname and a bad URL', async () => {
    await gw.gql(SET, { x: 'x1c0s0b0n1', input: { instanceId: 'i-taken' } });
    const clash = expectError(await gw.gql(SET, { x: 'x1c0s0b0n2', input: { instanceId: 'i-taken' } }), 'CONFLICT', 'instanceId');
    expect(clash).toMatch(/x1c0s0b0n1/);
    expectError(await gw.gql(SET, { x: 'x1c0s0b0n9', input: {} }), 'NOT_FOUND', 'xname');
    expectError(await gw.gql(SET, { x: 'node-1', input: {} }), 'BAD_USER_INPUT', 'xname');
    expectError(await gw.gql(SET, { x: 'x1c0s0b0n2', input: { cloudInitBaseUrl: 'gopher://x' } }), 'BAD_USER_INPUT', 'cloudInitBaseUrl');
    expect(await gw.db.prisma.instanceInfo.count({ where: { component: { xname: 'x1c0s0b0n2' } } })).toBe(0);
  });

  it('deletes instance info; a re-created position takes its stable id back', async () => {
    await gw.gql(SET, { x: 'x1c0s0b0n2', input: { hostname: 'n2' } });
    const del = await gw.gql(`mutation { deleteInstanceInfo(xname: "x1c0s0b0n2") { xname instanceInfo { id } } }`);
    expect(del.data.deleteInstanceInfo).toEqual({ xname: 'x1c0s0b0n2', instanceInfo: null });
    expectError(await gw.gql(`mutation { deleteInstanceInfo(xname: "x1c0s0b0n2") { xname } }`), 'NOT_FOUND', 'xname');

    await gw.gql(SET, { x: 'x1c0s0b0n2', input: { hostname: 'n2' } });
    await gw.gql(`mutation { deleteComponent(xname: "x1c0s0b0n2") { id } }`);
    await createComponents(gw.service, [{ xname: 'x1c0s0b0n2' }]);
    const again = await gw.gql(SET, { x: 'x1c0s0b0n2', input: { hostname: 'n2-new' } });
    expect(again.errors).toBeUndefined();
    expect(again.data.setInstanceInfo.instanceId).toBe('x1c0s0b0n2');
  });
});

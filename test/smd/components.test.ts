// SMD /hsm/v2/State/Components as clients call it: shapes, filters, Query, ByNID, every PATCH
// op with SMD's status codes and texts, bulk atomicity, and that SMD and GraphQL see the same data.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGroup } from '../../src/services/smd/group.js';
import { type RestReply, startTestGateway, type TestGateway } from '../support/gateway.js';
import { expectSmdProblem, smdClient } from '../support/smd.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
});
afterAll(() => gw.close());

const smd = smdClient(() => gw);

const post = (components: unknown[], force?: boolean) =>
  smd('POST', '/State/Components', force === undefined ? { Components: components } : { Components: components, Force: force });
const ids = (reply: RestReply, prefix?: RegExp) =>
  (reply.body.Components as Array<{ ID: string }>)
    .map((c) => c.ID)
    .filter((id) => !prefix || prefix.test(id))
    .sort();
const getOne = async (xname: string) => (await smd('GET', `/State/Components/${xname}`)).body;

describe('POST, GET, PUT and DELETE /State/Components', () => {
  it('creates components (204) with SMD defaults and answers them in SMD JSON', async () => {
    const reply = await post([
      { ID: 'x0c0s0b0n0', State: 'On' },
      {
        ID: 'X0001C0S05B0N00',
        State: 'off',
        Flag: 'warn',
        Enabled: false,
        SoftwareStatus: 'booting',
        Arch: 'x86',
        Class: 'river',
        NetType: 'sling',
        Subtype: 'River',
      },
      { ID: 'x1000c0s0b0n0', State: 'Ready' },
      { ID: 'x0c0s0b0', Type: 'Node', State: 'Ready' },
      { ID: 'x0c0s0b0n0v1', State: 'On' },
      { ID: 'x0c0s0b0n3', State: 'On', Role: 'Service', SubRole: 'Master', NID: 7 },
    ]);
    expect(reply.status).toBe(204);
    expect(reply.text).toBe('');
    // Node defaults: Role Compute, NID from SMD's formula; the BMC gets none and its Type follows its xname.
    expect(await getOne('x0c0s0b0n0')).toEqual({
      ID: 'x0c0s0b0n0',
      Type: 'Node',
      State: 'On',
      Flag: 'OK',
      Enabled: true,
      Role: 'Compute',
      NID: 16384,
    });
    expect(await getOne('x1c0s5b0n0')).toEqual({
      ID: 'x1c0s5b0n0',
      Type: 'Node',
      State: 'Off',
      Flag: 'Warning',
      Enabled: false,
      SoftwareStatus: 'booting',
      Role: 'Compute',
      NID: 2 * 16384 + 5 * 32,
      Subtype: 'River',
      NetType: 'Sling',
      Arch: 'X86',
      Class: 'River',
    });
    expect((await getOne('x1000c0s0b0n0')).NID).toBe(16400384);
    expect(await getOne('x0c0s0b0')).toEqual({ ID: 'x0c0s0b0', Type: 'NodeBMC', State: 'Ready', Flag: 'OK', Enabled: true });
    expect(await getOne('x0c0s0b0n0v1')).toMatchObject({ Type: 'VirtualNode', Role: 'Compute', NID: 16385 });
    expect(await getOne('x0c0s0b0n3')).toMatchObject({ Role: 'Service', SubRole: 'Master', NID: 7 });
  });

  it('takes NID, Role and SubRole from Defaults/NodeMaps for new nodes', async () => {
    expect(
      (await smd('POST', '/Defaults/NodeMaps', { NodeMaps: [{ ID: 'x2c0s0b0n0', NID: 42, Role: 'storage', SubRole: 'worker' }] })).status,
    ).toBe(200);
    expect((await post([{ ID: 'x2c0s0b0n0', State: 'On' }])).status).toBe(204);
    expect(await getOne('x2c0s0b0n0')).toMatchObject({ NID: 42, Role: 'Storage', SubRole: 'Worker' });
  });

  it('leaves existing components alone without Force; Force overwrites State, Flag, Subtype, NetType, Arch, Class only', async () => {
    expect((await post([{ ID: 'x3c0s0b0n0', State: 'On', Role: 'Service', SoftwareStatus: 'up', Arch: 'ARM' }])).status).toBe(204);
    const before = await getOne('x3c0s0b0n0');
    expect((await post([{ ID: 'x3c0s0b0n0', State: 'Off', Role: 'Compute', NID: 99, Enabled: false }])).status).toBe(204);
    expect(await getOne('x3c0s0b0n0')).toEqual(before);
    expect(
      (
        await post(
          [{ ID: 'x3c0s0b0n0', State: 'Off', Flag: 'Alert', Role: 'Compute', NID: 99, Enabled: false, SoftwareStatus: 'x', Class: 'Hill' }],
          true,
        )
      ).status,
    ).toBe(204);
    expect(await getOne('x3c0s0b0n0')).toEqual({ ...before, State: 'Off', Flag: 'Alert', Class: 'Hill', Arch: undefined });
    // JSON keys match case-insensitively, as Go's decoder does.
    expect((await smd('POST', '/State/Components', { components: [{ id: 'x3c0s0b0n0', state: 'Ready' }], FORCE: true })).status).toBe(204);
    expect((await getOne('x3c0s0b0n0')).State).toBe('Ready');
  });

  it('refuses bad input with SMD texts and writes nothing', async () => {
    expectSmdProblem(await smd('POST', '/State/Components', {}), 400, 'Missing Components');
    expectSmdProblem(await post([{ State: 'On' }]), 400, 'Missing Components');
    expectSmdProblem(await post([{ ID: 'x4c0s0b0n0', State: 'Bogus' }]), 400, "couldn't validate components: state 'Bogus' is invalid");
    expectSmdProblem(await post([{ ID: 'x4c0s0b0n0' }]), 400, "couldn't validate components: state '' is invalid");
    expectSmdProblem(
      await post([
        { ID: 'x4c0s0b0n0', State: 'On' },
        { ID: 'x4c0s0b0n1', State: 'On', Flag: 'bad' },
      ]),
      400,
      "couldn't validate components: flag 'bad' is invalid",
    );
    expectSmdProblem(
      await post([{ ID: 'x4c0s0b0n0', State: 'On', Role: 'Boss' }]),
      400,
      "couldn't validate components: role 'Boss' is invalid",
    );
    expectSmdProblem(await post([{ ID: 'nonsense', State: 'On' }]), 400, "couldn't validate components: xname ID 'nonsense' is invalid");
    expectSmdProblem(
      await post([{ ID: 'x4c0s0b0n0', State: 'On', Enabled: 'yes' }]),
      400,
      /^error decoding JSON json: cannot unmarshal string into Go struct field .*Enabled of type bool/,
    );
    expectSmdProblem(await smd('POST', '/State/Components', '{"Components": ['), 400, /^error decoding JSON/);
    expect((await smd('GET', '/State/Components/x4c0s0b0n0')).status).toBe(404);
  });

  it('keeps the first of repeated IDs (after checking them all)', async () => {
    expect(
      (
        await post([
          { ID: 'x8c0s0b0n0', State: 'On' },
          { ID: 'X8C0S0B0N0', State: 'Off' },
        ])
      ).status,
    ).toBe(204);
    expect((await getOne('x8c0s0b0n0')).State).toBe('On');
    expectSmdProblem(
      await post([
        { ID: 'x8c0s0b0n1', State: 'On' },
        { ID: 'x8c0s0b0n1', State: 'Bogus' },
      ]),
      400,
      "couldn't validate components: state 'Bogus' is invalid",
    );
    expectSmdProblem(
      await post([{ ID: 'x8c0s0b0n1' }, { ID: 'x8c0s0b0n2', State: 'On', Flag: 'bad' }]),
      400,
      "couldn't validate components: state '' is invalid",
    );
  });

  it('answers a NID another component holds with 409 (NIDs are unique here)', async () => {
    expectSmdProblem(
      await post([{ ID: 'x5c0s0b0n0', State: 'On', NID: 16384 }]),
      409,
      /^operation 'Post Components' failed: NID 16384 is already used by component x0c0s0b0n0/,
    );
  });

  it('GET one: normalised xnames; a missing or invalid xname is 404 "no such xname."', async () => {
    expect((await getOne('X0C0S0B0N0')).ID).toBe('x0c0s0b0n0');
    expectSmdProblem(await smd('GET', '/State/Components/x99c0s0b0n0'), 404, 'no such xname.');
    expectSmdProblem(await smd('GET', '/State/Components/not-an-xname'), 404, 'no such xname.');
  });

  it('PUT upserts one component (204) and never changes its NID', async () => {
    expect((await smd('PUT', '/State/Components/x6c0s0b0n0', { Component: { State: 'On', NID: 600 } })).status).toBe(204);
    expect(await getOne('x6c0s0b0n0')).toMatchObject({ State: 'On', NID: 600, Role: 'Compute' });
    expect(
      (await smd('PUT', '/State/Components/x6c0s0b0n0', { Component: { ID: 'X6C0S0B0N0', State: 'Off', NID: 601 }, Force: true })).status,
    ).toBe(204);
    expect(await getOne('x6c0s0b0n0')).toMatchObject({ State: 'Off', NID: 600 });
    expectSmdProblem(
      await smd('PUT', '/State/Components/x6c0s0b0n0', { Component: { ID: 'x6c0s0b0n1', State: 'On' } }),
      400,
      'ID in URL and POST body do not match',
    );
    expectSmdProblem(
      await smd('PUT', '/State/Components/x6c0s0b0n0', { Component: { State: 'Nope' } }),
      400,
      "couldn't validate component: state 'Nope' is invalid",
    );
  });

  it('DELETE one and DELETE all answer SMD messages', async () => {
    await post([{ ID: 'x7c0s0b0n0', State: 'On' }]);
    const deleted = await smd('DELETE', '/State/Components/x7c0s0b0n0');
    expect(deleted.status).toBe(200);
    expect(deleted.body).toEqual({ code: 0, message: 'deleted 1 entry' });
    expectSmdProblem(await smd('DELETE', '/State/Components/x7c0s0b0n0'), 404, 'no such xname.');
    expectSmdProblem(await smd('DELETE', '/State/Components/bad'), 400, 'invalid xname');
  });

  it('follows the router conventions: trailing slash, 405 with allow, text 404', async () => {
    expect((await smd('GET', '/State/Components/')).status).toBe(200);
    const wrong = await smd('PUT', '/State/Components');
    expectSmdProblem(wrong, 405, 'allow GET, POST, DELETE');
    expect(wrong.headers.get('allow')).toBe('GET, POST, DELETE');
    expect((await smd('GET', '/State/Nothing')).text).toBe('404 page not found\n');
  });
});

describe('GET /State/Components filters', () => {
  // Everything here lives in cabinet x10; assertions look only at x10.
  const X10 = /^x10c/;
  beforeAll(async () => {
    const reply = await post([
      { ID: 'x10c0s0b0n0', State: 'On', Role: 'Compute', Arch: 'X86', SoftwareStatus: 'AdminDown', NID: 1001 },
      { ID: 'x10c0s0b0n1', State: 'Off', Role: 'Service', SubRole: 'Master', Flag: 'Alert', NID: 1002 },
      { ID: 'x10c0s1b0n0', State: 'Ready', Role: 'Storage', Enabled: false, Class: 'Mountain', NID: 1003 },
      { ID: 'x10c0s1b0n1', State: 'Empty', Role: 'Compute', Subtype: 'ABC', NID: 1004 },
      { ID: 'x10c0s1b0', State: 'On' },
      { ID: 'x10c0', State: 'On' },
    ]);
    expect(reply.status).toBe(204);
    // x10c0s0b0n0: group blue + partition p1; n1: blue; s1b0n0: red + p2; s1b0n1: p1; the BMC and chassis: nothing.
    await createGroup(gw.service, { name: 'blue', members: ['x10c0s0b0n0', 'x10c0s0b0n1'] });
    await createGroup(gw.service, { name: 'red', members: ['x10c0s1b0n0'] });
    await createGroup(gw.service, { kind: 'partition', name: 'p1', members: ['x10c0s0b0n0', 'x10c0s1b0n1'] });
    await createGroup(gw.service, { kind: 'partition', name: 'p2', members: ['x10c0s1b0n0'] });
  });
  const get = async (query: string) => {
    const reply = await smd('GET', `/State/Components?${query}`);
    expect(reply.status).toBe(200);
    return ids(reply, X10);
  };

  it('filters by type, case-insensitively in names and values', async () => {
    expect(await get('type=node')).toEqual(['x10c0s0b0n0', 'x10c0s0b0n1', 'x10c0s1b0n0', 'x10c0s1b0n1']);
    expect(await get('TYPE=NodeBMC')).toEqual(['x10c0s1b0']);
    expect(await get('Type=!Node&type=!NodeBMC')).toEqual(['x10c0']);
    expect(await get('type=Chassis&type=NodeBMC')).toEqual(['x10c0', 'x10c0s1b0']);
  });

  it('ORs repeated values and ANDs negations', async () => {
    expect(await get('state=On&state=off&type=Node')).toEqual(['x10c0s0b0n0', 'x10c0s0b0n1']);
    expect(await get('state=!Off&state=!Empty&type=node')).toEqual(['x10c0s0b0n0', 'x10c0s1b0n0']);
    expect(await get('flag=alert')).toEqual(['x10c0s0b0n1']);
    expect(await get('enabled=false')).toEqual(['x10c0s1b0n0']);
    expect(await get('enabled=T&type=node&role=storage')).toEqual([]);
    expect(await get('role=compute&role=service')).toEqual(['x10c0s0b0n0', 'x10c0s0b0n1', 'x10c0s1b0n1']);
    expect(await get('subrole=master')).toEqual(['x10c0s0b0n1']);
    expect(await get('class=mountain')).toEqual(['x10c0s1b0n0']);
    expect(await get('arch=x86')).toEqual(['x10c0s0b0n0']);
    expect(await get('subtype=ABC')).toEqual(['x10c0s1b0n1']);
    expect(await get('softwarestatus=AdminDown')).toEqual(['x10c0s0b0n0']);
    expect(await get('softwarestatus=admindown')).toEqual([]);
    expect(await get('id=X10C0S0B0N0&id=x10c0s1b0n1')).toEqual(['x10c0s0b0n0', 'x10c0s1b0n1']);
    expect(await get('id=!x10c0&type=!Node')).toEqual(['x10c0s1b0']);
  });

  it('treats an empty value as "unset" and "!" alone as "set"', async () => {
    expect(await get('role=')).toEqual(['x10c0', 'x10c0s1b0']);
    expect(await get('role=!&subrole=')).toEqual(['x10c0s0b0n0', 'x10c0s1b0n0', 'x10c0s1b0n1']);
    expect(await get('nid=')).toEqual(['x10c0', 'x10c0s1b0']);
  });

  it('filters NIDs: values, negation, ranges paired by position, nid_end alone', async () => {
    expect(await get('nid=1001&nid=1003')).toEqual(['x10c0s0b0n0', 'x10c0s1b0n0']);
    expect(await get('nid=!1001&type=node')).toEqual(['x10c0s0b0n1', 'x10c0s1b0n0', 'x10c0s1b0n1']);
    expect(await get('nid_start=1002&nid_end=1003')).toEqual(['x10c0s0b0n1', 'x10c0s1b0n0']);
    expect(await get('nid_start=1001&nid_end=1001&nid_start=1004&nid_end=1004')).toEqual(['x10c0s0b0n0', 'x10c0s1b0n1']);
    expect(await get('nid_start=1003&nid=1001')).toEqual(['x10c0s0b0n0', 'x10c0s1b0n0', 'x10c0s1b0n1']);
    expect(await get('nid_end=1002')).toEqual(['x10c0s0b0n0', 'x10c0s0b0n1']);
  });

  it('filters by group and partition, with NULL and intersections', async () => {
    expect(await get('group=blue')).toEqual(['x10c0s0b0n0', 'x10c0s0b0n1']);
    expect(await get('group=blue&group=red')).toEqual(['x10c0s0b0n0', 'x10c0s0b0n1', 'x10c0s1b0n0']);
    expect(await get('partition=p1')).toEqual(['x10c0s0b0n0', 'x10c0s1b0n1']);
    expect(await get('group=blue&partition=p1')).toEqual(['x10c0s0b0n0']);
    expect(await get('group=NULL')).toEqual(['x10c0', 'x10c0s1b0', 'x10c0s1b0n1']);
    expect(await get('partition=NULL')).toEqual(['x10c0', 'x10c0s0b0n1', 'x10c0s1b0']);
    expect(await get('group=NULL&partition=NULL')).toEqual(['x10c0', 'x10c0s1b0']);
    expect(await get('group=nosuchgroup')).toEqual([]);
    expect(await get('group=BLUE')).toEqual(['x10c0s0b0n0', 'x10c0s0b0n1']);
  });

  it('ignores unknown parameters', async () => {
    expect(await get('bogus=1&type=cabinet')).toEqual([]);
    expect((await get('bogus=1')).length).toBe(6);
  });

  it('refuses bad values with 400 "bad query param: ..."', async () => {
    const bad = async (query: string, detail: string) =>
      expectSmdProblem(await smd('GET', `/State/Components?${query}`), 400, `bad query param: ${detail}`);
    await bad('type=Booster', 'Argument was not a valid HMS Type');
    await bad('id=x10c0s0b0n0&id=junk', 'Argument was not a valid xname ID');
    await bad('state=Bogus', 'Argument was not a valid HMS State');
    await bad('state=', 'Argument was not a valid HMS State');
    await bad('flag=bad', 'Argument was not a valid HMS Flag');
    await bad('role=Boss', 'Argument was not a valid HMS Role');
    await bad('subrole=Boss', 'Argument was not a valid HMS SubRole');
    await bad('arch=z80', 'Argument was not a valid HMS Arch');
    await bad('class=Valley', 'Argument was not a valid HMS Class');
    await bad('subtype=a-b', 'Argument was not a valid HMS Subtype');
    await bad('enabled=FAKE', 'a required argument did not match any valid input');
    await bad('nid=abc', 'a required argument was not an integer');
    await bad('nid_start=-1', 'a required argument was not an integer');
    await bad('group=a%20b', 'no such group');
    await bad('partition=!p1', 'no such partition');
    await bad('group=a&group=b&partition=p1', 'group and partition cannot both have more than one value');
    await bad('group=NULL&partition=p1', 'NULL group and non-NULL partition arg not permitted');
    await bad('group=blue&partition=NULL', 'NULL partition and non-NULL group arg not permitted');
    await bad('group=NULL&group=blue', 'NULL and non-NULL group arguments not permitted');
  });

  it('limits the fields with stateonly, flagonly, roleonly and nidonly (first true wins)', async () => {
    const one = async (query: string) => (await smd('GET', `/State/Components?id=x10c0s0b0n1&${query}`)).body.Components[0];
    expect(await one('stateonly=true')).toEqual({ ID: 'x10c0s0b0n1', Type: 'Node', State: 'Off', Flag: 'Alert' });
    expect(await one('flagonly=1')).toEqual({ ID: 'x10c0s0b0n1', Type: 'Node', Flag: 'Alert' });
    expect(await one('roleonly=True')).toEqual({ ID: 'x10c0s0b0n1', Type: 'Node', Role: 'Service', SubRole: 'Master' });
    expect(await one('nidonly=t')).toEqual({ ID: 'x10c0s0b0n1', Type: 'Node', NID: 1002 });
    expect(await one('stateonly=false&nidonly=true')).toEqual({ ID: 'x10c0s0b0n1', Type: 'Node', NID: 1002 });
    expect(await one('flagonly=true&stateonly=true')).toEqual({ ID: 'x10c0s0b0n1', Type: 'Node', State: 'Off', Flag: 'Alert' });
  });

  it('reads the collection with one SQL statement (no per-row queries)', async () => {
    const reply = await smd('GET', '/State/Components?type=Node&group=blue');
    expect(reply.headers.get('x-sql-statements')).toBe('1');
  });
});

describe('Query and ByNID', () => {
  it('POST Query: exact IDs without type, subtrees with type, s0/all for everything', async () => {
    const query = (body: unknown) => smd('POST', '/State/Components/Query', body);
    expect(ids(await query({ ComponentIDs: ['x10c0s0b0n0', 'X10C0S1B0', 'x99c0s0b0n0'] }))).toEqual(['x10c0s0b0n0', 'x10c0s1b0']);
    expect(ids(await query({ ComponentIDs: ['x10c0s1'], type: ['Node'] }))).toEqual(['x10c0s1b0n0', 'x10c0s1b0n1']);
    expect(ids(await query({ ComponentIDs: ['x10c0'], Type: ['node', 'NodeBMC'], state: ['!Empty'] }))).toEqual([
      'x10c0s0b0n0',
      'x10c0s0b0n1',
      'x10c0s1b0',
      'x10c0s1b0n0',
    ]);
    // x1 selects x1…'s subtree, not x10 (a letter must follow the prefix).
    expect(ids(await query({ ComponentIDs: ['x1'], type: ['Node'] }))).toEqual(['x1c0s5b0n0']);
    expect(ids(await query({ ComponentIDs: ['s0'], type: ['Chassis'] }), /^x10/)).toEqual(['x10c0']);
    expect((await query({ ComponentIDs: ['x10c0s0b0n1'], stateonly: true })).body).toEqual({
      Components: [{ ID: 'x10c0s0b0n1', Type: 'Node', State: 'Off', Flag: 'Alert' }],
    });
    expect((await query({ ComponentIDs: ['nonsense'] })).body).toEqual({ Components: [] });
    // Long ID lists (PCS sends whole systems) behave the same.
    const many = [...Array.from({ length: 300 }, (_, i) => `x${500 + i}c0`), 'x10c0s0'];
    expect(ids(await query({ ComponentIDs: many, type: ['Node'], state: null, enabled: null }))).toEqual(['x10c0s0b0n0', 'x10c0s0b0n1']);
    expectSmdProblem(await query({ ComponentIDs: [] }), 400, 'Missing IDs');
    expectSmdProblem(await query({ ComponentIDs: ['x10c0'], state: ['Nope'] }), 400, 'bad query param: Argument was not a valid HMS State');
  });

  it('GET Query/{xname}: the subtree with type, an unknown xname is an empty list', async () => {
    expect(ids(await smd('GET', '/State/Components/Query/x10c0s0?type=node'))).toEqual(['x10c0s0b0n0', 'x10c0s0b0n1']);
    expect(ids(await smd('GET', '/State/Components/Query/x10c0s1b0'))).toEqual(['x10c0s1b0']);
    const none = await smd('GET', '/State/Components/Query/x55c0');
    expect(none.status).toBe(200);
    expect(none.body).toEqual({ Components: [] });
  });

  it('GET ByNID/{nid}', async () => {
    expect((await smd('GET', '/State/Components/ByNID/1003')).body).toMatchObject({ ID: 'x10c0s1b0n0', NID: 1003 });
    expectSmdProblem(await smd('GET', '/State/Components/ByNID/5555555'), 404, 'no such NID.');
    expectSmdProblem(await smd('GET', '/State/Components/ByNID/abc'), 400, 'a required argument was not an integer');
    expectSmdProblem(await smd('GET', '/State/Components/ByNID/-1'), 400, 'An argument was out of range');
  });

  it('POST ByNID/Query with NID ranges', async () => {
    const query = (body: unknown) => smd('POST', '/State/Components/ByNID/Query', body);
    expect(ids(await query({ NIDRanges: ['1001', '1003-1004'] }))).toEqual(['x10c0s0b0n0', 'x10c0s1b0n0', 'x10c0s1b0n1']);
    expect(ids(await query({ NIDRanges: ['1001-1004'], partition: ['p1'], nid: ['1002'] }))).toEqual(['x10c0s0b0n0', 'x10c0s1b0n1']);
    expect((await query({ NIDRanges: ['1002'], nidonly: true })).body).toEqual({
      Components: [{ ID: 'x10c0s0b0n1', Type: 'Node', NID: 1002 }],
    });
    expectSmdProblem(await query({ NIDRanges: [] }), 400, 'Missing NID ranges');
    expectSmdProblem(await query({ NIDRanges: ['5-'] }), 400, 'bad query param: argument was not a valid NID Range');
    expectSmdProblem(await query({ NIDRanges: ['five'] }), 400, 'bad query param: a required argument was not an integer');
  });
});

describe('PATCH operations', () => {
  // Cabinet x20: n0 Off, n1 Ready, n2 On with Flag Locked, n3 Standby.
  beforeAll(async () => {
    expect(
      (
        await post([
          { ID: 'x20c0s0b0n0', State: 'Off' },
          { ID: 'x20c0s0b0n1', State: 'Ready' },
          { ID: 'x20c0s0b0n2', State: 'On', Flag: 'Locked' },
          { ID: 'x20c0s0b0n3', State: 'Standby' },
        ])
      ).status,
    ).toBe(204);
  });
  const states = async () => {
    const reply = await smd(
      'GET',
      '/State/Components?type=node&stateonly=true&id=x20c0s0b0n0&id=x20c0s0b0n1&id=x20c0s0b0n2&id=x20c0s0b0n3',
    );
    return Object.fromEntries(
      (reply.body.Components as Array<{ ID: string; State: string; Flag: string }>).map((c) => [c.ID.slice(-2), `${c.State}/${c.Flag}`]),
    );
  };
  const bulk = (op: string, body: unknown) => smd('PATCH', `/State/Components/Bulk${op}`, body);
  const all = ['x20c0s0b0n0', 'x20c0s0b0n1', 'x20c0s0b0n2', 'x20c0s0b0n3'];

  it('BulkStateData answers 204 and follows the transition table; disallowed components are skipped', async () => {
    const reply = await bulk('StateData', { ComponentIDs: all, State: 'Halt' });
    expect(reply.status).toBe(204);
    expect(reply.text).toBe('');
    // Halt ← Halt, Ready: only n1 moves; n2 keeps its Locked flag when it moves.
    expect(await states()).toEqual({ n0: 'Off/OK', n1: 'Halt/OK', n2: 'On/Locked', n3: 'Standby/OK' });
    expect((await bulk('StateData', { ComponentIDs: all, State: 'Off', Flag: 'Alert' })).status).toBe(204);
    expect(await states()).toEqual({ n0: 'Off/Alert', n1: 'Off/Alert', n2: 'Off/Locked', n3: 'Off/Alert' });
    expect((await bulk('StateData', { ComponentIDs: [...all, 'x99c0s0b0n0'], State: 'Ready' })).status).toBe(204);
    expect(await states()).toEqual({ n0: 'Ready/OK', n1: 'Ready/OK', n2: 'Ready/Locked', n3: 'Ready/OK' });
  });

  it('Ready with Flag Warning only touches components already Ready; Empty needs Force', async () => {
    await bulk('StateData', { ComponentIDs: ['x20c0s0b0n0'], State: 'Off' });
    expect((await bulk('StateData', { ComponentIDs: all, State: 'Ready', Flag: 'Warning' })).status).toBe(204);
    expect(await states()).toEqual({ n0: 'Off/OK', n1: 'Ready/Warning', n2: 'Ready/Locked', n3: 'Ready/Warning' });
    expectSmdProblem(await bulk('StateData', { ComponentIDs: all, State: 'Empty' }), 400, 'operation not allowed and not forced.');
    expect((await bulk('StateData', { ComponentIDs: ['x20c0s0b0n3'], State: 'empty', Force: true })).status).toBe(204);
    expect((await states()).n3).toBe('Empty/OK');
  });

  it('refuses bad StateData requests with SMD texts, changing nothing', async () => {
    const before = await states();
    expectSmdProblem(await bulk('StateData', { State: 'On' }), 400, 'Missing IDs');
    expectSmdProblem(await bulk('StateData', { ComponentIDs: [], State: 'On' }), 400, 'Missing IDs');
    expectSmdProblem(await bulk('StateData', { ComponentIDs: all }), 400, 'Missing State');
    expectSmdProblem(await bulk('StateData', { ComponentIDs: all, State: 'Sleepy' }), 400, 'Argument was not a valid HMS State');
    expectSmdProblem(await bulk('StateData', { ComponentIDs: all, State: 'On', Flag: 'meh' }), 400, 'Argument was not a valid HMS Flag');
    expectSmdProblem(await bulk('StateData', { ComponentIDs: ['x20c0s0b0n0', 'bogus'], State: 'On' }), 400, 'invalid xname ID');
    expectSmdProblem(await bulk('StateData', { ComponentIDs: all, State: 5 }), 400, /^error decoding JSON/);
    expect(await states()).toEqual(before);
  });

  it('single StateData: 204, ID must match the URL, unknown xnames are a no-op', async () => {
    expect((await smd('PATCH', '/State/Components/x20c0s0b0n0/StateData', { State: 'On' })).status).toBe(204);
    expect((await states()).n0).toBe('On/OK');
    expect((await smd('PATCH', '/State/Components/x20c0s0b0n0/StateData', { ID: 'x20c0s0b0n0', State: 'Off' })).status).toBe(204);
    expectSmdProblem(
      await smd('PATCH', '/State/Components/x20c0s0b0n0/StateData', { ID: 'x20c0s0b0n1', State: 'On' }),
      400,
      'ID in URL and PATCH body do not match',
    );
    expect((await smd('PATCH', '/State/Components/x98c0s0b0n0/StateData', { State: 'On' })).status).toBe(204);
    expectSmdProblem(await smd('PATCH', '/State/Components/junk/StateData', { State: 'On' }), 400, 'invalid xname ID');
  });

  it('FlagOnly, Enabled, SoftwareStatus and Role, bulk and single', async () => {
    expect((await bulk('FlagOnly', { ComponentIDs: ['x20c0s0b0n0', 'x20c0s0b0n1'], Flag: 'alert' })).status).toBe(204);
    expect((await bulk('Enabled', { ComponentIDs: ['x20c0s0b0n0'], Enabled: false })).status).toBe(204);
    expect((await bulk('SoftwareStatus', { ComponentIDs: ['x20c0s0b0n0'], SoftwareStatus: 'DvsAvailable' })).status).toBe(204);
    expect((await bulk('Role', { ComponentIDs: ['x20c0s0b0n0'], Role: 'service', SubRole: 'worker' })).status).toBe(204);
    expect(await getOne('x20c0s0b0n0')).toMatchObject({
      Flag: 'Alert',
      Enabled: false,
      SoftwareStatus: 'DvsAvailable',
      Role: 'Service',
      SubRole: 'Worker',
    });
    expect((await getOne('x20c0s0b0n1')).Flag).toBe('Alert');
    expect((await smd('PATCH', '/State/Components/x20c0s0b0n0/FlagOnly', { Flag: 'OK' })).status).toBe(204);
    expect((await smd('PATCH', '/State/Components/x20c0s0b0n0/Enabled', { Enabled: true })).status).toBe(204);
    expect((await smd('PATCH', '/State/Components/x20c0s0b0n0/SoftwareStatus', { SoftwareStatus: '' })).status).toBe(204);
    expect((await smd('PATCH', '/State/Components/x20c0s0b0n0/Role', { Role: 'Compute' })).status).toBe(204);
    const n0 = await getOne('x20c0s0b0n0');
    expect(n0).toMatchObject({ Flag: 'OK', Enabled: true, Role: 'Compute' });
    expect(n0.SoftwareStatus).toBeUndefined();
    expect(n0.SubRole).toBeUndefined();
  });

  it('refuses missing and bad fields of the other ops', async () => {
    const one = ['x20c0s0b0n0'];
    expectSmdProblem(await bulk('FlagOnly', { ComponentIDs: one }), 400, 'Missing Flag');
    expectSmdProblem(await bulk('FlagOnly', { ComponentIDs: one, Flag: 'meh' }), 400, 'a required argument did not match any valid input');
    expectSmdProblem(await bulk('Enabled', { ComponentIDs: one }), 400, 'Missing Enabled field');
    expectSmdProblem(await bulk('Enabled', { ComponentIDs: one, Enabled: 'yes' }), 400, /^error decoding JSON/);
    expectSmdProblem(await bulk('SoftwareStatus', { ComponentIDs: one }), 400, 'Missing SoftwareStatus');
    expectSmdProblem(await bulk('Role', { ComponentIDs: one }), 400, 'Missing Role');
    expectSmdProblem(await bulk('Role', { ComponentIDs: one, Role: 'Boss' }), 400, 'a required argument did not match any valid input');
    expectSmdProblem(
      await bulk('Role', { ComponentIDs: one, Role: 'Compute', SubRole: 'Boss' }),
      400,
      'a required argument did not match any valid input',
    );
    expectSmdProblem(await smd('PATCH', '/State/Components/x20c0s0b0n0/NID', {}), 400, 'Missing NID');
  });

  it('NID: sets, unsets with a negative value, and refuses a NID in use with 409', async () => {
    expect((await smd('PATCH', '/State/Components/x20c0s0b0n0/NID', { NID: 2000 })).status).toBe(204);
    expect((await getOne('x20c0s0b0n0')).NID).toBe(2000);
    expect((await smd('PATCH', '/State/Components/x20c0s0b0n0/NID', { NID: -1 })).status).toBe(204);
    expect((await getOne('x20c0s0b0n0')).NID).toBeUndefined();
    expect((await smd('PATCH', '/State/Components/x20c0s0b0n0/NID', { NID: 1001 })).status).toBe(409);
  });

  it('BulkNID sets each NID, all or nothing', async () => {
    const reply = await bulk('NID', {
      Components: [
        { ID: 'x20c0s0b0n0', NID: 2100 },
        { ID: 'X20C0S0B0N1', NID: 2101 },
        { ID: 'x97c0s0b0n0', NID: 2102 },
      ],
    });
    expect(reply.status).toBe(204);
    expect((await getOne('x20c0s0b0n0')).NID).toBe(2100);
    expect((await getOne('x20c0s0b0n1')).NID).toBe(2101);
    // NIDs may be swapped in one request.
    expect(
      (
        await bulk('NID', {
          Components: [
            { ID: 'x20c0s0b0n0', NID: 2101 },
            { ID: 'x20c0s0b0n1', NID: 2100 },
          ],
        })
      ).status,
    ).toBe(204);
    expect((await getOne('x20c0s0b0n0')).NID).toBe(2101);
    // A repeated ID counts once: the first.
    expect(
      (
        await bulk('NID', {
          Components: [
            { ID: 'x20c0s0b0n2', NID: 2102 },
            { ID: 'x20c0s0b0n2', NID: 2103 },
          ],
        })
      ).status,
    ).toBe(204);
    expect((await getOne('x20c0s0b0n2')).NID).toBe(2102);
    expectSmdProblem(await bulk('NID', { Components: [] }), 400, 'Missing Components');
    expectSmdProblem(
      await bulk('NID', { Components: [{ ID: 'x20c0s0b0n0', NID: 2200 }, { ID: 'x20c0s0b0n1' }] }),
      400,
      'NID value missing.  Use NID < 0 to unset.',
    );
    expectSmdProblem(
      await bulk('NID', {
        Components: [
          { ID: 'x20c0s0b0n0', NID: 2200 },
          { ID: 'x20c0s0b0n1', NID: 1001 },
        ],
      }),
      409,
      /1001/,
    );
    expect((await getOne('x20c0s0b0n0')).NID).toBe(2101);
  });

  it('bulk ops are atomic: one bad xname and nothing changes', async () => {
    const before = await getOne('x20c0s0b0n1');
    expectSmdProblem(await bulk('Enabled', { ComponentIDs: ['x20c0s0b0n1', 'x20c0s0b0nX'], Enabled: false }), 400, 'invalid xname ID');
    expectSmdProblem(
      await bulk('NID', {
        Components: [
          { ID: 'x20c0s0b0n1', NID: 2300 },
          { ID: 'garbage', NID: 2301 },
        ],
      }),
      400,
      'invalid xname ID',
    );
    expect(await getOne('x20c0s0b0n1')).toEqual(before);
  });
});

describe('SMD and GraphQL share one store', () => {
  it('a write through SMD is visible in GraphQL at once, and the other way round', async () => {
    await post([{ ID: 'x30c0s0b0n0', State: 'Off' }]);
    expect((await smd('PATCH', '/State/Components/BulkStateData', { ComponentIDs: ['x30c0s0b0n0'], State: 'On' })).status).toBe(204);
    const seen = await gw.gql('{ component(xname: "x30c0s0b0n0") { state flag nid role } }');
    expect(seen.data.component).toEqual({ state: 'On', flag: 'OK', nid: 16384 * 31, role: 'Compute' });
    const changed = await gw.gql(
      'mutation { updateComponent(xname: "x30c0s0b0n0", input: { state: "Ready", softwareStatus: "up" }) { state } }',
    );
    expect(changed.errors).toBeUndefined();
    expect(await getOne('x30c0s0b0n0')).toMatchObject({ State: 'Ready', SoftwareStatus: 'up' });
  });

  it('records SMD writes in the change log with source smd', async () => {
    await smd('PATCH', '/State/Components/x30c0s0b0n0/FlagOnly', { Flag: 'Warning' });
    const component = await gw.db.prisma.component.findFirstOrThrow({ where: { xname: 'x30c0s0b0n0', deletedAt: null } });
    const last = await gw.db.prisma.changeEvent.findFirst({ where: { entityId: component.id }, orderBy: { seq: 'desc' } });
    expect(last).toMatchObject({ source: 'smd', action: 'updated', entityType: 'Component' });
  });

  it('DELETE /State/Components removes every component, then answers 404', async () => {
    const reply = await smd('DELETE', '/State/Components');
    expect(reply.status).toBe(200);
    expect(reply.body.message).toMatch(/^deleted \d+ entries$/);
    expect((await smd('GET', '/State/Components')).body).toEqual({ Components: [] });
    expectSmdProblem(await smd('DELETE', '/State/Components'), 404, 'no entries to delete');
    expect((await gw.gql('{ component(xname: "x30c0s0b0n0") { state } }')).data.component).toBeNull();
  });
});

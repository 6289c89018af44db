// SMD /hsm/v2/groups, /partitions and /memberships: shapes, filters, members, the 409s ochami's
// --overwrite flows rely on, SMD's error texts, and GraphQL seeing the same groups.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { SMD_CHASSIS, smdChassis } from '../support/scenarios.js';
import { expectSmdProblem, smdClient } from '../support/smd.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
  await smdChassis(gw.service);
});
afterAll(() => gw.close());

const smd = smdClient(() => gw);

const members = async (path: string) => (await smd('GET', `${path}/members`)).body.ids;

describe('groups', () => {
  it('POST creates a group (201 with URI array and Location), GET answers it in SMD JSON', async () => {
    const reply = await smd('POST', '/groups', {
      label: 'Blue',
      description: 'the blue ones',
      tags: ['Slurm', 'gpu'],
      members: { ids: ['X1C0S0B0N0', 'x1c0s0b0n1'] },
    });
    expect(reply.status).toBe(201);
    expect(reply.body).toEqual([{ URI: '/hsm/v2/groups/blue' }]);
    expect(reply.headers.get('location')).toBe('/hsm/v2/groups/blue');
    expect((await smd('GET', '/groups/blue')).body).toEqual({
      label: 'blue',
      description: 'the blue ones',
      tags: ['slurm', 'gpu'],
      members: { ids: ['x1c0s0b0n0', 'x1c0s0b0n1'] },
    });
    expect((await smd('POST', '/groups', { label: 'empty' })).status).toBe(201);
    expect((await smd('GET', '/groups/EMPTY')).body).toEqual({ label: 'empty', description: '', members: { ids: [] } });
    expect((await smd('POST', '/groups', { label: 'ex1', exclusiveGroup: 'Colors', members: { ids: ['x1c0s1b0n0'] } })).status).toBe(201);
    expect((await smd('GET', '/groups/ex1')).body).toEqual({
      label: 'ex1',
      description: '',
      exclusiveGroup: 'colors',
      members: { ids: ['x1c0s1b0n0'] },
    });
  });

  it('answers a duplicate label with 409 (ochami --overwrite relies on it)', async () => {
    expectSmdProblem(
      await smd('POST', '/groups', { label: 'BLUE' }),
      409,
      'operation would conflict with an existing group that has the same label or duplicate ids found in request.',
    );
    expectSmdProblem(
      await smd('POST', '/groups', { label: 'dups', members: { ids: ['x1c0s2b0n0', 'X1C0S2B0N0'] } }),
      409,
      'operation would conflict with an existing group that has the same label or duplicate ids found in request.',
    );
  });

  it('refuses bad groups with SMD texts', async () => {
    const invalid = "couldn't validate group: group or partition field has invalid characters";
    expectSmdProblem(await smd('POST', '/groups', { label: 'no way' }), 400, invalid);
    expectSmdProblem(await smd('POST', '/groups', {}), 400, invalid);
    expectSmdProblem(await smd('POST', '/groups', { label: 'ok', tags: ['a b'] }), 400, invalid);
    expectSmdProblem(await smd('POST', '/groups', { label: 'ok', exclusiveGroup: 'a/b' }), 400, invalid);
    expectSmdProblem(
      await smd('POST', '/groups', { label: 'ok', members: { ids: ['junk'] } }),
      400,
      "couldn't validate group: got HMSTypeInvalid instead of valid type",
    );
    expectSmdProblem(
      await smd('POST', '/groups', { label: 'ok', members: { ids: ['x9c0s0b0n0'] } }),
      400,
      'linked component does not exist',
    );
    expectSmdProblem(
      await smd('POST', '/groups', { label: 'ex2', exclusiveGroup: 'colors', members: { ids: ['x1c0s1b0n0'] } }),
      409,
      'operation would conflict with an existing member in another exclusive group.',
    );
    expectSmdProblem(await smd('POST', '/groups', { label: 'ok', tags: 'solo' }), 400, /^error decoding JSON/);
    expect((await smd('GET', '/groups/ok')).status).toBe(404);
  });

  it('GET /groups filters by group, tag and partition', async () => {
    expect((await smd('POST', '/partitions', { name: 'p1', members: { ids: ['x1c0s0b0n0'] } })).status).toBe(201);
    const labels = async (query: string) => (await smd('GET', `/groups${query}`)).body.map((g: { label: string }) => g.label);
    expect(await labels('')).toEqual(['blue', 'empty', 'ex1']);
    expect(await labels('?group=blue&group=EX1')).toEqual(['blue', 'ex1']);
    expect(await labels('?tag=gpu&tag=none')).toEqual(['blue']);
    expect(await labels('?group=nosuch')).toEqual([]);
    const inP1 = (await smd('GET', '/groups?group=blue&partition=p1')).body;
    expect(inP1).toEqual([{ label: 'blue', description: 'the blue ones', tags: ['slurm', 'gpu'], members: { ids: ['x1c0s0b0n0'] } }]);
    expect((await smd('GET', '/groups?group=blue&partition=NULL')).body[0].members.ids).toEqual(['x1c0s0b0n1']);
    expectSmdProblem(await smd('GET', '/groups?partition=p9'), 400, 'bad query param: no such partition');
    expectSmdProblem(await smd('GET', '/groups?partition=a%20b'), 400, 'Invalid partition name.');
    expectSmdProblem(await smd('GET', '/groups?tag=a%20b'), 400, 'Invalid tag.');
    expectSmdProblem(await smd('GET', '/groups?group=a%20b'), 400, 'Invalid group label.');
    expect((await smd('GET', '/groups/labels')).body).toEqual(['blue', 'empty', 'ex1']);
  });

  it('GET /groups/{label} and its members, with the partition filter', async () => {
    expect(await members('/groups/blue')).toEqual(['x1c0s0b0n0', 'x1c0s0b0n1']);
    expect((await smd('GET', '/groups/blue/members?partition=p1')).body).toEqual({ ids: ['x1c0s0b0n0'] });
    expect((await smd('GET', '/groups/blue?partition=NULL')).body.members.ids).toEqual(['x1c0s0b0n1']);
    expectSmdProblem(await smd('GET', '/groups/nosuch'), 404, 'No such group: nosuch');
    expectSmdProblem(await smd('GET', '/groups/nosuch/members'), 404, 'No such group: nosuch');
    expectSmdProblem(await smd('GET', '/groups/bad%20label'), 400, 'Invalid group label.');
  });

  it('PATCH changes description and replaces tags (204)', async () => {
    expect((await smd('PATCH', '/groups/blue', { tags: ['new'] })).status).toBe(204);
    expect((await smd('PATCH', '/groups/blue', { description: 'renamed' })).status).toBe(204);
    expect((await smd('GET', '/groups/blue')).body).toMatchObject({ description: 'renamed', tags: ['new'] });
    expectSmdProblem(await smd('PATCH', '/groups/blue', {}), 400, 'Request must have at least one patch field.');
    expectSmdProblem(await smd('PATCH', '/groups/blue', { tags: ['bad tag'] }), 400, 'Invalid tag.');
    expectSmdProblem(await smd('PATCH', '/groups/nosuch', { description: 'x' }), 404, 'no such group.');
  });

  it('adds (201), replaces (PUT) and removes members', async () => {
    const added = await smd('POST', '/groups/empty/members', { id: 'X1C0S2B0N0' });
    expect(added.status).toBe(201);
    expect(added.body).toEqual([{ URI: '/hsm/v2/groups/empty/members/x1c0s2b0n0' }]);
    expectSmdProblem(
      await smd('POST', '/groups/empty/members', { id: 'x1c0s2b0n0' }),
      409,
      'operation would conflict with an existing member in the same group.',
    );
    expectSmdProblem(await smd('POST', '/groups/empty/members', { id: 'junk' }), 400, 'invalid xname ID');
    expectSmdProblem(await smd('POST', '/groups/empty/members', { id: 'x9c0s0b0n0' }), 400, 'linked component does not exist');
    expectSmdProblem(await smd('POST', '/groups/nosuch/members', { id: 'x1c0s2b0n0' }), 404, 'No such group: nosuch');
    expect((await smd('POST', '/groups', { label: 'ex3', exclusiveGroup: 'colors' })).status).toBe(201);
    expectSmdProblem(
      await smd('POST', '/groups/ex3/members', { id: 'x1c0s1b0n0' }),
      409,
      'operation would conflict with an existing member in another exclusive group.',
    );

    const put = await smd('PUT', '/groups/empty/members', { ids: ['x1c0s2b0n1', 'x1c0s1b0n1', 'x1c0s2b0n1'] });
    expect(put.status).toBe(201);
    expect(put.body).toEqual([{ URI: '/hsm/v2/groups/empty/members/x1c0s2b0n1' }, { URI: '/hsm/v2/groups/empty/members/x1c0s1b0n1' }]);
    expect(await members('/groups/empty')).toEqual(['x1c0s1b0n1', 'x1c0s2b0n1']);
    expectSmdProblem(
      await smd('PUT', '/groups/empty/members', { ids: ['x1c0s2b0n1', 'bad1', 'bad2'] }),
      400,
      'invalid xname IDs: [bad1 bad2]',
    );
    expectSmdProblem(
      await smd('PUT', '/groups/ex3/members', { ids: ['x1c0s1b0n0'] }),
      409,
      'operation would conflict with an existing member in another exclusive group.',
    );
    expectSmdProblem(await smd('PUT', '/groups/nosuch/members', { ids: [] }), 404, 'No such group: nosuch');

    const removed = await smd('DELETE', '/groups/empty/members/x1c0s2b0n1');
    expect(removed.status).toBe(200);
    expect(removed.body).toEqual({ code: 0, message: 'deleted 1 entry' });
    expectSmdProblem(await smd('DELETE', '/groups/empty/members/x1c0s2b0n1'), 404, 'group has no such member.');
    expectSmdProblem(await smd('DELETE', '/groups/empty/members/junk'), 400, 'invalid xname ID');
    expectSmdProblem(await smd('DELETE', '/groups/nosuch/members/x1c0s2b0n1'), 404, 'No such group: nosuch');
    const cleared = await smd('PUT', '/groups/empty/members', { ids: [] });
    expect(cleared.status).toBe(204);
    expect(await members('/groups/empty')).toEqual([]);
  });

  it('DELETE removes a group (200), then 404', async () => {
    expect((await smd('DELETE', '/groups/ex3')).body).toEqual({ code: 0, message: 'deleted 1 entry' });
    expectSmdProblem(await smd('DELETE', '/groups/ex3'), 404, 'no such group.');
    expectSmdProblem(await smd('DELETE', '/groups/a%20b'), 400, 'Invalid group label.');
  });
});

describe('partitions', () => {
  it('creates, lists and reads partitions', async () => {
    const reply = await smd('POST', '/partitions', { name: 'P2', description: 'second', tags: ['Fast'], members: { ids: ['x1c0s1b0n0'] } });
    expect(reply.status).toBe(201);
    expect(reply.body).toEqual([{ URI: '/hsm/v2/partitions/p2' }]);
    expect((await smd('GET', '/partitions/p2')).body).toEqual({
      name: 'p2',
      description: 'second',
      tags: ['fast'],
      members: { ids: ['x1c0s1b0n0'] },
    });
    expect((await smd('GET', '/partitions/p1')).body).toEqual({ name: 'p1', members: { ids: ['x1c0s0b0n0'] } });
    expect((await smd('GET', '/partitions/names')).body).toEqual(['p1', 'p2']);
    expect((await smd('GET', '/partitions?partition=p2')).body.map((p: { name: string }) => p.name)).toEqual(['p2']);
    expect((await smd('GET', '/partitions?tag=fast')).body.map((p: { name: string }) => p.name)).toEqual(['p2']);
    expectSmdProblem(await smd('GET', '/partitions/p9'), 404, 'No such partition: p9');
    expectSmdProblem(await smd('GET', '/partitions/notapartition'), 404, 'No such partition: notapartition');
    expectSmdProblem(await smd('GET', '/partitions?partition=a%20b'), 400, 'Invalid partition name.');
  });

  it('refuses bad names, duplicates and a component in two partitions', async () => {
    expectSmdProblem(
      await smd('POST', '/partitions', { name: 'blue' }),
      400,
      "couldn't validate partition: Bad partition name. Must be p# or p#.#",
    );
    expectSmdProblem(
      await smd('POST', '/partitions', { name: 'p1' }),
      409,
      'operation would conflict with an existing partition that has the same name.',
    );
    expectSmdProblem(
      await smd('POST', '/partitions', { name: 'p3', members: { ids: ['x1c0s0b0n0'] } }),
      409,
      'operation would conflict with an existing member in another partition.',
    );
    expectSmdProblem(
      await smd('POST', '/partitions/p2/members', { id: 'x1c0s0b0n0' }),
      409,
      'operation would conflict with an existing member in another partition.',
    );
    expectSmdProblem(
      await smd('POST', '/partitions/p2/members', { id: 'x1c0s1b0n0' }),
      409,
      'operation would conflict with an existing member in the same partition.',
    );
    expectSmdProblem(await smd('POST', '/partitions/p2/members', { id: 'not-a-component' }), 400, 'linked component does not exist');
    expectSmdProblem(await smd('POST', '/partitions/p9/members', { id: 'x1c0s2b0n0' }), 404, 'No such partition: p9');
  });

  it('patches, manages members and deletes', async () => {
    expect((await smd('PATCH', '/partitions/p2', { description: 'changed' })).status).toBe(204);
    expectSmdProblem(await smd('PATCH', '/partitions/p9', { description: 'x' }), 404, 'no such partition.');
    expect((await smd('POST', '/partitions/p2/members', { id: 'x1c0s2b0n0' })).body).toEqual([
      { URI: '/hsm/v2/partitions/p2/members/x1c0s2b0n0' },
    ]);
    expect(await members('/partitions/p2')).toEqual(['x1c0s1b0n0', 'x1c0s2b0n0']);
    expect((await smd('DELETE', '/partitions/p2/members/x1c0s2b0n0')).status).toBe(200);
    expectSmdProblem(await smd('DELETE', '/partitions/p2/members/x1c0s2b0n0'), 404, 'partition has no such member.');
    expect((await smd('PUT', '/partitions/p2/members', { ids: [] })).status).toBe(405);
    expect((await smd('DELETE', '/partitions/p2')).body).toEqual({ code: 0, message: 'deleted 1 entry' });
    expectSmdProblem(await smd('DELETE', '/partitions/p2'), 404, 'no such partition.');
  });
});

describe('memberships', () => {
  it('lists one membership per component, with labels and partition', async () => {
    const reply = await smd('GET', '/memberships?type=node');
    expect(reply.status).toBe(200);
    const byId = Object.fromEntries(reply.body.map((m: { id: string }) => [m.id, m]));
    expect(Object.keys(byId).sort()).toEqual(SMD_CHASSIS.nodes);
    expect(byId.x1c0s0b0n0).toEqual({ id: 'x1c0s0b0n0', groupLabels: ['blue'], partitionName: 'p1' });
    expect(byId.x1c0s1b0n0).toEqual({ id: 'x1c0s1b0n0', groupLabels: ['ex1'], partitionName: '' });
    expect(byId.x1c0s2b0n1).toEqual({ id: 'x1c0s2b0n1', groupLabels: [], partitionName: '' });
    expect(reply.headers.get('x-sql-statements')).toBe('3');
  });

  it('takes the component filters, including group and partition', async () => {
    const ids = async (query: string) => (await smd('GET', `/memberships?${query}`)).body.map((m: { id: string }) => m.id).sort();
    expect(await ids('type=NodeBMC')).toEqual(SMD_CHASSIS.bmcs);
    expect(await ids('group=blue')).toEqual(['x1c0s0b0n0', 'x1c0s0b0n1']);
    expect(await ids('partition=p1&type=node')).toEqual(['x1c0s0b0n0']);
    expect((await smd('GET', '/memberships?group=blue&partition=p1')).body).toEqual([
      { id: 'x1c0s0b0n0', groupLabels: ['blue'], partitionName: 'p1' },
    ]);
    expectSmdProblem(await smd('GET', '/memberships?type=Booster'), 400, 'bad query param: Argument was not a valid HMS Type');
  });

  it('GET /memberships/{xname}', async () => {
    expect((await smd('GET', '/memberships/X1C0S0B0N1')).body).toEqual({ id: 'x1c0s0b0n1', groupLabels: ['blue'], partitionName: '' });
    expectSmdProblem(await smd('GET', '/memberships/x9c0s0b0n0'), 404, 'No such xname: x9c0s0b0n0');
    expectSmdProblem(await smd('GET', '/memberships/junk'), 400, 'invalid xname');
  });
});

describe('SMD and GraphQL share the groups', () => {
  it('a group made through SMD is visible in GraphQL, and one made in GraphQL through SMD', async () => {
    expect((await smd('POST', '/groups', { label: 'viasmd', members: { ids: ['x1c0s2b0n1'] } })).status).toBe(201);
    const seen = await gw.gql('{ component(xname: "x1c0s2b0n1") { groups { name } } }');
    expect(seen.data.component.groups).toEqual([{ name: 'viasmd' }]);
    const made = await gw.gql('mutation { createGroup(input: { name: "viagql", members: ["x1c0s2b0n1"] }) { name } }');
    expect(made.errors).toBeUndefined();
    expect((await smd('GET', '/groups/viagql')).body.members.ids).toEqual(['x1c0s2b0n1']);
    expect((await smd('GET', '/memberships/x1c0s2b0n1')).body.groupLabels).toEqual(['viagql', 'viasmd']);
    const group = await gw.db.prisma.group.findFirstOrThrow({ where: { name: 'viasmd', deletedAt: null } });
    expect(await gw.db.prisma.changeEvent.findFirst({ where: { entityId: group.id } })).toMatchObject({ source: 'smd', action: 'created' });
  });
});

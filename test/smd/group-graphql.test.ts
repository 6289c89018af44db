import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createComponents } from '../../src/services/smd/component.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { expectError } from '../support/graphql-errors.js';
import { expectRefused, gqlData } from '../support/graphql-writes.js';
import { smdChassis } from '../support/scenarios.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
  // Members below are the n0 nodes of chassis x1c0's eight slots.
  await smdChassis(gw.service);
});
afterAll(() => gw.close());

const GROUP = 'id uuid name kind description exclusiveGroup tags memberCount deletedAt components { xname }';
const CREATE = `mutation($input: GroupCreateInput!) { createGroup(input: $input) { ${GROUP} } }`;
const ADD = `mutation($name: String!, $kind: String, $xnames: [String!]!) { addGroupMembers(name: $name, kind: $kind, xnames: $xnames) { ${GROUP} } }`;
const UPDATE = `mutation($name: String!, $input: GroupUpdateInput!) { updateGroup(name: $name, input: $input) { ${GROUP} } }`;

const create = (input: Record<string, unknown>) => gqlData(gw, CREATE, { input });

const xnamesOf = (group: { components: Array<{ xname: string }> }) => group.components.map((c) => c.xname).sort();

describe('groups', () => {
  it('creates a group: label and tags lower-cased, members as xnames', async () => {
    const g = await create({
      name: 'Compute',
      description: 'all compute',
      tags: ['Slurm', 'gpu:a100'],
      members: ['X1C0S0B0N0', 'x1c0s1b0n0'],
    });
    expect(g).toMatchObject({ name: 'compute', kind: 'group', description: 'all compute', tags: ['slurm', 'gpu:a100'], memberCount: 2 });
    expect(xnamesOf(g)).toEqual(['x1c0s0b0n0', 'x1c0s1b0n0']);
    const member = await gw.gql(`{ component(xname: "x1c0s0b0n0") { groups { name } } }`);
    expect(member.data.component.groups).toEqual([{ name: 'compute' }]);
    const created = await gw.db.prisma.changeEvent.findFirst({ where: { entityType: 'Group', entityId: g.uuid } });
    expect(created).toMatchObject({ action: 'created', after: expect.objectContaining({ members: ['x1c0s0b0n0', 'x1c0s1b0n0'] }) });
  });

  it('refuses bad labels, tags and members, naming the field', async () => {
    expectError(await gw.gql(CREATE, { input: { name: 'bad label!' } }), 'BAD_USER_INPUT', 'name');
    expectError(await gw.gql(CREATE, { input: { name: 'ok', tags: ['fine', 'not fine'] } }), 'BAD_USER_INPUT', 'tags.1');
    expectError(await gw.gql(CREATE, { input: { name: 'ok', exclusiveGroup: 'no way' } }), 'BAD_USER_INPUT', 'exclusiveGroup');
    expectError(await gw.gql(CREATE, { input: { name: 'ok', kind: 'bogus' } }), 'BAD_USER_INPUT', 'kind');
    expectError(await gw.gql(CREATE, { input: { name: 'ok', members: ['nonsense'] } }), 'BAD_USER_INPUT', 'members.0');
    const missing = expectError(
      await gw.gql(CREATE, { input: { name: 'ok', members: ['x1c0s0b0n0', 'x9c0s0b0n0'] } }),
      'BAD_USER_INPUT',
      'members.1',
    );
    expect(missing).toMatch(/linked component does not exist/);
    expectError(await gw.gql(CREATE, { input: { name: 'ok', members: ['x1c0s0b0n0', 'X1C0S0B0N0'] } }), 'CONFLICT', 'members.1');
    expect(await gw.db.prisma.group.count({ where: { name: 'ok' } })).toBe(0);
  });

  it('refuses a second live group with the same label', async () => {
    await create({ name: 'dup' });
    expect(expectError(await gw.gql(CREATE, { input: { name: 'DUP' } }), 'CONFLICT', 'name')).toMatch(/dup/);
  });

  it('adds, removes and replaces members', async () => {
    await create({ name: 'ops', members: ['x1c0s2b0n0'] });
    const added = await gw.gql(ADD, { name: 'ops', xnames: ['x1c0s3b0n0', 'x1c0s4b0n0'] });
    expect(xnamesOf(added.data.addGroupMembers)).toEqual(['x1c0s2b0n0', 'x1c0s3b0n0', 'x1c0s4b0n0']);
    expectError(await gw.gql(ADD, { name: 'ops', xnames: ['x1c0s5b0n0', 'x1c0s3b0n0'] }), 'CONFLICT', 'members.1');
    expectError(await gw.gql(ADD, { name: 'nope', xnames: ['x1c0s5b0n0'] }), 'NOT_FOUND', 'name');

    const removed = await gw.gql(`mutation { removeGroupMember(name: "ops", xname: "x1c0s3b0n0") { ${GROUP} } }`);
    expect(xnamesOf(removed.data.removeGroupMember)).toEqual(['x1c0s2b0n0', 'x1c0s4b0n0']);
    expectError(await gw.gql(`mutation { removeGroupMember(name: "ops", xname: "x1c0s3b0n0") { id } }`), 'NOT_FOUND', 'xname');
    expectError(await gw.gql(`mutation { removeGroupMember(name: "ops", xname: "bogus") { id } }`), 'BAD_USER_INPUT', 'xname');

    const set = await gw.gql(`mutation { setGroupMembers(name: "ops", xnames: ["x1c0s4b0n0", "x1c0s3b0n0"]) { ${GROUP} } }`);
    expect(xnamesOf(set.data.setGroupMembers)).toEqual(['x1c0s3b0n0', 'x1c0s4b0n0']);
    const events = await gw.db.prisma.changeEvent.findMany({
      where: { entityType: 'Group', action: { in: ['member_added', 'member_removed'] } },
      orderBy: { seq: 'asc' },
    });
    expect(
      events.map((e) => [e.action, (e.after ?? e.before) as { xname: string }]).map(([a, m]) => `${a}:${(m as { xname: string }).xname}`),
    ).toEqual([
      'member_added:x1c0s3b0n0',
      'member_added:x1c0s4b0n0',
      'member_removed:x1c0s3b0n0',
      'member_removed:x1c0s2b0n0',
      'member_added:x1c0s3b0n0',
    ]);
  });

  it('updates description and tags; an empty patch is refused', async () => {
    await create({ name: 'docs', description: 'old', tags: ['a'] });
    const result = await gw.gql(UPDATE, { name: 'docs', input: { description: 'new', tags: ['B', 'c'] } });
    expect(result.data.updateGroup).toMatchObject({ description: 'new', tags: ['b', 'c'] });
    expectError(await gw.gql(UPDATE, { name: 'docs', input: {} }), 'BAD_USER_INPUT', 'input');
    expectError(await gw.gql(UPDATE, { name: 'nothing', input: { description: 'x' } }), 'NOT_FOUND', 'name');
  });
});

describe('exclusive groups and partitions', () => {
  it('keeps a component in one group of each exclusive group', async () => {
    await create({ name: 'red', exclusiveGroup: 'Colour', members: ['x1c0s5b0n0'] });
    await create({ name: 'blue', exclusiveGroup: 'colour' });
    const clash = await expectRefused(gw, ADD, { name: 'blue', xnames: ['x1c0s6b0n0', 'x1c0s5b0n0'] }, 'CONFLICT', 'members.1');
    expect(clash).toMatch(/x1c0s5b0n0.*red.*colour/);
    await expectRefused(
      gw,
      CREATE,
      { input: { name: 'green', exclusiveGroup: 'colour', members: ['x1c0s5b0n0'] } },
      'CONFLICT',
      'members.0',
    );
    expect((await gw.gql(`{ group(name: "blue") { memberCount } }`)).data.group.memberCount).toBe(0);
    // A plain group does not care.
    await create({ name: 'any', members: ['x1c0s5b0n0'] });
  });

  it("moves the members' key when the exclusive group changes, refusing a clash", async () => {
    await create({ name: 'small', exclusiveGroup: 'size', members: ['x1c0s6b0n0'] });
    await create({ name: 'plain', members: ['x1c0s6b0n0', 'x1c0s7b0n0'] });
    const clash = expectError(await gw.gql(UPDATE, { name: 'plain', input: { exclusiveGroup: 'size' } }), 'CONFLICT', 'exclusiveGroup');
    expect(clash).toMatch(/x1c0s6b0n0.*small/);
    const ok = await gw.gql(UPDATE, { name: 'plain', input: { exclusiveGroup: 'shape' } });
    expect(ok.data.updateGroup.exclusiveGroup).toBe('shape');
    const keys = await gw.db.prisma.groupMember.findMany({ where: { group: { name: 'plain' } }, select: { exclusiveGroup: true } });
    expect(keys).toEqual([{ exclusiveGroup: 'shape' }, { exclusiveGroup: 'shape' }]);
    // Now the key holds: another "shape" group cannot take x1c0s7b0n0.
    expectError(
      await gw.gql(CREATE, { input: { name: 'round', exclusiveGroup: 'shape', members: ['x1c0s7b0n0'] } }),
      'CONFLICT',
      'members.0',
    );
  });

  it('keeps a component in one partition; partition names are p# or p#.#', async () => {
    const p1 = await create({ kind: 'partition', name: 'P1', members: ['x1c0s0b0n0'] });
    expect(p1).toMatchObject({ name: 'p1', kind: 'partition' });
    // The same name as a group is another thing.
    await create({ name: 'p1' });
    const clash = expectError(
      await gw.gql(CREATE, { input: { kind: 'partition', name: 'p1.2', members: ['x1c0s1b0n0', 'x1c0s0b0n0'] } }),
      'CONFLICT',
      'members.1',
    );
    expect(clash).toMatch(/x1c0s0b0n0.*partition p1/);
    expectError(await gw.gql(CREATE, { input: { kind: 'partition', name: 'prod' } }), 'BAD_USER_INPUT', 'name');
    expectError(
      await gw.gql(CREATE, { input: { kind: 'partition', name: 'p2', exclusiveGroup: 'x' } }),
      'BAD_USER_INPUT',
      'exclusiveGroup',
    );
    expectError(await gw.gql(CREATE, { input: { kind: 'partition', name: 'p1' } }), 'CONFLICT', 'name');
    await create({ kind: 'partition', name: 'p1.2', members: ['x1c0s1b0n0'] });
    expectError(await gw.gql(ADD, { name: 'p1.2', kind: 'partition', xnames: ['x1c0s0b0n0'] }), 'CONFLICT', 'members.0');
  });

  it('lets only one of two concurrent writers put a component in one exclusive group twice', async () => {
    await create({ name: 'left', exclusiveGroup: 'hand' });
    await create({ name: 'right', exclusiveGroup: 'hand' });
    const results = await Promise.all(['left', 'right'].map((name) => gw.gql(ADD, { name, xnames: ['x1c0s4b0n0'] })));
    expect(results.filter((r) => !r.errors)).toHaveLength(1);
    const [loser] = results.filter((r) => r.errors);
    expect(expectError(loser, 'CONFLICT', 'members.0')).toMatch(/x1c0s4b0n0/);
    expect(await gw.db.prisma.groupMember.count({ where: { exclusiveGroup: 'hand', live: true } })).toBe(1);
  });

  it('the database refuses what slips past the checks', async () => {
    const p1 = await gw.db.prisma.group.findFirstOrThrow({ where: { kind: 'partition', name: 'p1' } });
    const other = await gw.db.prisma.group.findFirstOrThrow({ where: { kind: 'partition', name: 'p1.2' } });
    const member = await gw.db.prisma.groupMember.findFirstOrThrow({ where: { groupId: p1.id, live: true } });
    await expect(
      gw.db.prisma.groupMember.create({ data: { groupId: other.id, componentId: member.componentId, partition: true } }),
    ).rejects.toMatchObject({ code: 'P2002' });
  });
});

describe('deleting and restoring groups', () => {
  it('suspends the members, frees their exclusive keys, and refuses a restore that would clash', async () => {
    const north = await create({ name: 'north', exclusiveGroup: 'side', members: ['x1c0s2b0n0'] });
    const del = await gw.gql(`mutation { deleteGroup(name: "north") { deletedAt memberCount } }`);
    expect(del.data.deleteGroup.deletedAt).toBeTruthy();
    expect(del.data.deleteGroup.memberCount).toBe(0);
    expectError(await gw.gql(`mutation { deleteGroup(name: "north") { id } }`), 'NOT_FOUND', 'name');

    // The freed member can join another group of the same exclusive set …
    await create({ name: 'south', exclusiveGroup: 'side', members: ['x1c0s2b0n0'] });
    // … so restoring north now clashes.
    const clash = expectError(await gw.gql(`mutation($id: ID!) { restoreGroup(id: $id) { id } }`, { id: north.id }), 'CONFLICT', 'members');
    expect(clash).toMatch(/x1c0s2b0n0.*south/);

    await gw.gql(`mutation { removeGroupMember(name: "south", xname: "x1c0s2b0n0") { id } }`);
    const restored = await gw.gql(`mutation($id: ID!) { restoreGroup(id: $id) { deletedAt memberCount components { xname } } }`, {
      id: north.id,
    });
    expect(restored.data.restoreGroup).toEqual({ deletedAt: null, memberCount: 1, components: [{ xname: 'x1c0s2b0n0' }] });
  });

  it('refuses a restore when the label was taken again', async () => {
    const old = await create({ name: 'again' });
    await gw.gql(`mutation { deleteGroup(name: "again") { id } }`);
    await create({ name: 'again' });
    expectError(await gw.gql(`mutation($id: ID!) { restoreGroup(id: $id) { id } }`, { id: old.id }), 'CONFLICT', 'name');
  });

  it('refuses a component restore that would bring back two memberships of one exclusive group', async () => {
    await createComponents(gw.service, [{ xname: 'x2c0s0b0n0' }]);
    const component = (await gw.gql(`{ component(xname: "x2c0s0b0n0") { id } }`)).data.component;
    const first = await create({ name: 'tier-a', exclusiveGroup: 'tier', members: ['x2c0s0b0n0'] });
    await gw.gql(`mutation { deleteGroup(name: "tier-a") { id } }`);
    await create({ name: 'tier-b', exclusiveGroup: 'tier', members: ['x2c0s0b0n0'] });
    await gw.gql(`mutation { deleteComponent(xname: "x2c0s0b0n0") { id } }`);
    await gw.gql(`mutation($id: ID!) { restoreGroup(id: $id) { id } }`, { id: first.id });
    const clash = expectError(
      await gw.gql(`mutation($id: ID!) { restoreComponent(id: $id) { id } }`, { id: component.id }),
      'CONFLICT',
      'groups',
    );
    expect(clash).toMatch(/x2c0s0b0n0.*tier-/);
    await gw.gql(`mutation { deleteGroup(name: "tier-b") { id } }`);
    const restored = await gw.gql(`mutation($id: ID!) { restoreComponent(id: $id) { groups { name } } }`, { id: component.id });
    expect(restored.data.restoreComponent.groups).toEqual([{ name: 'tier-a' }]);
  });
});

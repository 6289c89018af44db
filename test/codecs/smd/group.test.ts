// SMD groups and partitions: the JSON of each kind, one decoder in two dialects, member bodies,
// and the service's refusals in SMD's words.
import { describe, expect, it } from 'vitest';
import {
  decodeGroup,
  decodeGroupPatch,
  decodeMemberAdd,
  decodeMembersPut,
  GROUP_WORDING,
  groupJson,
  groupReplacement,
  groupWriteError,
  memberRemoveError,
  SmdRuleError,
} from '../../../src/codecs/smd/index.js';
import { ConflictError, NotFoundError, ValidationError } from '../../../src/domain/errors.js';

const group = { name: 'gpu', description: null, exclusiveGroup: 'accel', tags: ['a'], members: ['x1c0s0b0n0'] };

describe('group JSON', () => {
  it('writes sm.Group with description always, sm.Partition with name and no exclusive group', () => {
    expect(groupJson(group)).toEqual({
      label: 'gpu',
      description: '',
      exclusiveGroup: 'accel',
      tags: ['a'],
      members: { ids: ['x1c0s0b0n0'] },
    });
    expect(groupJson({ ...group, name: 'p1', tags: [] }, 'partition')).toEqual({ name: 'p1', members: { ids: ['x1c0s0b0n0'] } });
  });

  it('reads back what it writes', () => {
    expect(decodeGroup(groupJson(group), 'lenient')).toEqual({
      kind: 'group',
      name: 'gpu',
      description: null,
      exclusiveGroup: 'accel',
      tags: ['a'],
      members: ['x1c0s0b0n0'],
    });
    expect(decodeGroup(groupJson({ ...group, name: 'p1' }, 'partition'), 'strict', 'partition')).toMatchObject({
      kind: 'partition',
      name: 'p1',
      exclusiveGroup: undefined,
      members: ['x1c0s0b0n0'],
    });
  });
});

describe('the two dialects', () => {
  it('strict keeps strings as given and refuses wrong types in Go words', () => {
    expect(decodeGroup({ label: 'g', description: '' }, 'strict')).toMatchObject({ name: 'g', description: '' });
    expect(() => decodeGroup({ label: 'g', tags: 'solo' }, 'strict')).toThrow(
      'json: cannot unmarshal string into Go struct field sm.Group.tags of type []string',
    );
  });

  it('lenient clears with "" and checks members as a field', () => {
    expect(decodeGroup({ label: 'g', description: '' }, 'lenient')).toMatchObject({ description: null });
    expect(() => decodeGroup({ label: 'g', members: { ids: 'x1' } }, 'lenient')).toThrow('members: ids must be a list of xnames');
  });

  it('a partition replacement reads `name` and has no exclusive group', () => {
    expect(groupReplacement({ name: 'p2', exclusiveGroup: 'ignored' }, 'partition')).toEqual({
      kind: 'partition',
      name: 'p2',
      description: null,
      exclusiveGroup: null,
      tags: null,
      members: [],
    });
  });
});

describe('member and patch bodies', () => {
  it('needs a patch field', () => {
    expect(() => decodeGroupPatch({}, 'group')).toThrow('Request must have at least one patch field.');
    expect(decodeGroupPatch({ tags: [] }, 'partition')).toEqual({ description: undefined, tags: [] });
  });

  it("takes a group member only as an xname, a partition's as given", () => {
    expect(decodeMemberAdd({ id: 'X1C0S0B0N0' }, 'group')).toEqual({ id: 'X1C0S0B0N0', xname: 'x1c0s0b0n0' });
    expect(() => decodeMemberAdd({ id: 'nope' }, 'group')).toThrow('invalid xname ID');
    expect(decodeMemberAdd({ id: 'nope' }, 'partition')).toEqual({ id: 'nope', xname: 'nope' });
  });

  it('names every invalid member of a PUT, as Go prints a list', () => {
    expect(decodeMembersPut({ ids: ['x1c0', 'X1C0', 'x2c0'] })).toEqual(['x1c0', 'x2c0']);
    expect(() => decodeMembersPut({ ids: ['a', 'x1c0', 7] })).toThrow('invalid xname IDs: [a 7]');
  });
});

describe("SMD's wording for refusals", () => {
  const text = (error: unknown) => {
    expect(error).toBeInstanceOf(SmdRuleError);
    return [(error as SmdRuleError).code, (error as Error).message];
  };

  it('answers conflicts per kind', () => {
    expect(text(groupWriteError('group', new ConflictError('name', 'a group named gpu exists'), ''))).toEqual([
      'CONFLICT',
      GROUP_WORDING.group.duplicate,
    ]);
    expect(text(groupWriteError('group', new ConflictError('members', 'x1 is in exclusive group accel'), ''))).toEqual([
      'CONFLICT',
      GROUP_WORDING.group.clash,
    ]);
    expect(text(groupWriteError('partition', new ConflictError('members', 'x1 is already a member of partition p1'), ''))).toEqual([
      'CONFLICT',
      'operation would conflict with an existing member in the same partition.',
    ]);
  });

  it('answers validation errors of a create and missing groups', () => {
    expect(text(groupWriteError('partition', new ValidationError('name', 'bad'), '', true))).toEqual([
      'BAD_USER_INPUT',
      "couldn't validate partition: Bad partition name. Must be p# or p#.#",
    ]);
    expect(text(groupWriteError('group', new NotFoundError('Group', 'g', 'name'), 'no such group.'))).toEqual([
      'NOT_FOUND',
      'no such group.',
    ]);
    expect(text(memberRemoveError('group', new NotFoundError('member', 'x1', 'xname'), 'No such group: g'))).toEqual([
      'NOT_FOUND',
      'group has no such member.',
    ]);
  });
});

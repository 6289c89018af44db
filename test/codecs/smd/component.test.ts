// SMD components: one decoder in two dialects (strict /hsm/v2 bodies, lenient Fabrica specs and
// dumps), the JSON State/Components answers, PATCH bodies, and SMD's wording for refusals.
import { describe, expect, it } from 'vitest';
import {
  badQueryParam,
  componentJson,
  componentPatchError,
  componentReplacement,
  componentsJson,
  componentUpsertError,
  decodeComponent,
  decodeComponentBulkPatch,
  decodeComponentNids,
  decodeComponentPatch,
  decodeComponentPut,
  decodeComponentsPost,
  decodeNidQuery,
  FILTER_ERRORS,
  fieldSetFromQuery,
  filterFromBody,
  filterFromQuery,
  SmdDecodeError,
  SmdRuleError,
} from '../../../src/codecs/smd/index.js';
import { ConflictError, ValidationError } from '../../../src/domain/errors.js';
import type { SmdComponentRow } from '../../../src/services/smd/index.js';

const query = (search: string) => {
  const params = new URLSearchParams(search);
  return { all: (n: string) => params.getAll(n), get: (n: string) => params.get(n) ?? undefined, has: (n: string) => params.has(n) };
};

const node: SmdComponentRow = {
  xname: 'x1000c0s0b0n0',
  type: 'Node',
  state: 'Ready',
  flag: 'OK',
  enabled: true,
  softwareStatus: null,
  role: 'Compute',
  subRole: null,
  nid: 7,
  subtype: null,
  netType: 'Sling',
  arch: 'X86',
  class: 'Mountain',
  reservationDisabled: false,
  locked: true,
};

describe('component JSON', () => {
  it('writes base.Component: keys in Go order, empty and false fields left out', () => {
    const json = componentJson(node);
    expect(Object.keys(json)).toEqual(['ID', 'Type', 'State', 'Flag', 'Enabled', 'Role', 'NID', 'NetType', 'Arch', 'Class', 'Locked']);
    expect(json).toMatchObject({ ID: 'x1000c0s0b0n0', NID: 7, Locked: true });
    expect(componentJson({ ...node, nid: -1 })).not.toHaveProperty('NID');
    expect(componentsJson([node, node]).Components).toHaveLength(2);
  });

  it('reads back what it writes, in either dialect', () => {
    const json = componentJson(node);
    const expected = {
      xname: node.xname,
      state: 'Ready',
      flag: 'OK',
      enabled: true,
      role: 'Compute',
      nid: 7,
      netType: 'Sling',
      arch: 'X86',
      class: 'Mountain',
      locked: true,
    };
    expect(decodeComponent(json, 'lenient')).toEqual(expected);
    expect(decodeComponent(json, 'strict', 'sm.ComponentsPost.Components')).toEqual(expected);
  });
});

describe('the two dialects', () => {
  const body = { id: 'x1c0s0b0n0', State: '', Role: '', NID: '-1', Locked: false, SoftwareStatus: null };

  it('strict: "" and false are Go zero values (not given), a negative NID is "no NID"', () => {
    expect(decodeComponent(body, 'strict', 'base')).toEqual({ xname: 'x1c0s0b0n0', nid: null });
  });

  it('lenient: "" clears a field, a NID may be a string, values go to the service as given', () => {
    expect(decodeComponent(body, 'lenient')).toEqual({ xname: 'x1c0s0b0n0', role: null, nid: -1, locked: false, softwareStatus: null });
    expect(decodeComponent({ ID: 'x1', Enabled: 'yes' }, 'lenient')).toMatchObject({ enabled: 'yes' });
  });

  it('strict refuses a wrong JSON type in Go words; lenient refuses a non-object naming the field', () => {
    expect(() => decodeComponent({ ID: 'x1', Enabled: 'yes' }, 'strict', 'sm.ComponentsPost.Components')).toThrow(
      'json: cannot unmarshal string into Go struct field sm.ComponentsPost.Components.Enabled of type bool',
    );
    expect(() => decodeComponent({ NID: 'seven' }, 'strict', 'base')).toThrow(SmdDecodeError);
    expect(() => decodeComponent([], 'lenient', 'spec')).toThrow('spec: must be a JSON object');
  });

  it('a replacement fills what the spec leaves out with the defaults', () => {
    expect(componentReplacement({ ID: 'x1c0s0b0n0' })).toMatchObject({
      state: 'Unknown',
      flag: 'OK',
      enabled: true,
      nid: null,
      locked: false,
    });
  });
});

describe('/hsm/v2 bodies', () => {
  it('POST needs components with an ID; force is read', () => {
    expect(decodeComponentsPost({ Components: [{ ID: 'x1', State: 'On' }], force: true })).toEqual({
      inputs: [{ xname: 'x1', state: 'On' }],
      force: true,
    });
    expect(() => decodeComponentsPost({ Components: [] })).toThrow('Missing Components');
    expect(() => decodeComponentsPost({ Components: [{ State: 'On' }] })).toThrow('Missing Components');
  });

  it("PUT takes the URL's xname, and refuses another", () => {
    expect(decodeComponentPut({ component: { State: 'On' } }, 'X1C0').input.xname).toBe('x1c0');
    expect(() => decodeComponentPut({ component: { ID: 'x2' } }, 'x1')).toThrow('ID in URL and POST body do not match');
  });

  it('checks a PATCH in SMD order: IDs first, then the operation field', () => {
    expect(() => decodeComponentBulkPatch('StateData', {})).toThrow('Missing IDs');
    expect(() => decodeComponentBulkPatch('StateData', { ComponentIDs: ['nope'] })).toThrow('invalid xname ID');
    expect(() => decodeComponentBulkPatch('StateData', { ComponentIDs: ['x1'] })).toThrow('Missing State');
    expect(() => decodeComponentBulkPatch('Role', { ComponentIDs: ['x1'], Role: '' })).toThrow(
      'a required argument did not match any valid input',
    );
    expect(decodeComponentBulkPatch('NID', { ComponentIDs: ['X1'], NID: -3 })).toEqual({ op: 'NID', ids: ['x1'], nid: null });
    expect(decodeComponentPatch('Enabled', { Enabled: false }, 'x1c0')).toEqual({
      op: 'Enabled',
      ids: ['x1c0'],
      fields: { enabled: false },
    });
    expect(() => decodeComponentPatch('Enabled', { ID: 'X1C0', Enabled: false }, 'x1c0')).toThrow('ID in URL and PATCH body do not match');
  });

  it('BulkNID needs an integral NID for each component', () => {
    expect(
      decodeComponentNids({
        Components: [
          { ID: 'x1', NID: 4 },
          { ID: 'x2', NID: '-1' },
        ],
      }),
    ).toEqual([
      { xname: 'x1', nid: 4 },
      { xname: 'x2', nid: null },
    ]);
    expect(() => decodeComponentNids({ Components: [{ ID: 'x1', NID: 1.5 }] })).toThrow('NID value missing.  Use NID < 0 to unset.');
  });

  it('ByNID/Query resolves ranges, and a bad range reads as a bad query param', () => {
    expect(decodeNidQuery({ NIDRanges: ['1-3', '9'], stateonly: true })).toEqual({
      filter: { nid: ['9'], nidStart: ['1'], nidEnd: ['3'] },
      fields: 'state',
    });
    expect(() => decodeNidQuery({ NIDRanges: ['-3'] })).toThrow(`bad query param: ${FILTER_ERRORS.nidRange}`);
    expect(() => decodeNidQuery({})).toThrow('Missing NID ranges');
  });

  it('reads the filter from a query string or a body, names case-insensitive', () => {
    expect(filterFromQuery(query('type=Node&type=!CDU&nid_start=1&group=g'))).toEqual({
      type: ['Node', '!CDU'],
      nidStart: ['1'],
      group: ['g'],
    });
    expect(fieldSetFromQuery(query('roleonly=t'))).toBe('role');
    expect(filterFromBody({ Type: 'Node', NID: [3] })).toEqual({ type: ['Node'], nid: ['3'] });
  });
});

describe("SMD's wording for refusals", () => {
  it('names the value SMD calls invalid, per upsert', () => {
    const inputs = [{ xname: 'x1', state: 'Sleepy' }];
    const error = componentUpsertError(new ValidationError('components.0.state', 'is not a state'), inputs, true);
    expect(error).toBeInstanceOf(SmdRuleError);
    expect((error as Error).message).toBe("couldn't validate components: state 'Sleepy' is invalid");
    expect((componentUpsertError(new ConflictError('nid', 'NID 3 is taken'), inputs, false) as SmdRuleError).code).toBe('CONFLICT');
  });

  it('answers a PATCH refusal with the operation text', () => {
    expect((componentPatchError('StateData', new ValidationError('state', 'bad')) as Error).message).toBe(
      'Argument was not a valid HMS State',
    );
    expect((componentPatchError('FlagOnly', new ValidationError('xnames.2', 'bad')) as Error).message).toBe('invalid xname ID');
  });

  it('prefixes only SMD rule errors of the filter', () => {
    expect((badQueryParam(new SmdRuleError(FILTER_ERRORS.type)) as Error).message).toBe(`bad query param: ${FILTER_ERRORS.type}`);
    const other = new Error('boom');
    expect(badQueryParam(other)).toBe(other);
  });
});

// Go's encoding/json as SMD's handlers decode bodies: case-insensitive keys, null as unset, and
// Go's wording for a value of the wrong type (with the struct named by the State handlers, the
// key alone by the Inventory ones).
import { describe, expect, it } from 'vitest';
import { SmdDecodeError } from '../../../src/codecs/smd/errors.js';
import { asObject, filterValues, get, objectAt, optBool, optInt, optStringList } from '../../../src/codecs/smd/go-json.js';
import { negatable, parseGoBool, smdMac } from '../../../src/codecs/smd/values.js';

const decodeFailure = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(SmdDecodeError);
    return (error as Error).message;
  }
  throw new Error('decoded');
};

describe('Go-style decoding', () => {
  it('matches keys exactly first, then ignoring case', () => {
    expect(get({ force: 1, Force: 2 }, 'Force')).toBe(2);
    expect(get({ FORCE: 3 }, 'force')).toBe(3);
    expect(get({}, 'force')).toBeUndefined();
  });

  it('reads null as unset and a whole null body as an empty struct', () => {
    expect(optBool({ Enabled: null }, 'Enabled', 'sm.X')).toBeUndefined();
    expect(asObject(null, 'sm.X')).toEqual({});
    expect(decodeFailure(() => asObject([1], 'sm.NodeMap'))).toBe('json: cannot unmarshal array into Go value of type sm.NodeMap');
  });

  it('words a wrong type as Go does, naming the struct only when there is one', () => {
    expect(decodeFailure(() => optInt({ ReservationDuration: '5' }, 'ReservationDuration', 'sm.CompLockV2Filter'))).toBe(
      'json: cannot unmarshal string into Go struct field sm.CompLockV2Filter.ReservationDuration of type int',
    );
    expect(decodeFailure(() => optBool({ Enabled: 'yes' }, 'Enabled'))).toBe(
      'json: cannot unmarshal string into Go struct field Enabled of type bool',
    );
    expect(decodeFailure(() => optStringList({ tags: [true] }, 'tags', 'sm.Group'))).toBe(
      'json: cannot unmarshal bool into Go struct field sm.Group.tags of type string',
    );
    expect(decodeFailure(() => objectAt(null, ''))).toBe('json: cannot unmarshal null into Go struct field  of type object');
  });

  it('takes a filter field as a list, a single value or numbers (lenient where Go is strict)', () => {
    expect(filterValues({ NID: [1, '2'] }, 'NID')).toEqual(['1', '2']);
    expect(filterValues({ Type: 'Node' }, 'type')).toEqual(['Node']);
    expect(decodeFailure(() => filterValues({ Type: [{}] }, 'Type'))).toMatch(/cannot unmarshal object/);
  });
});

describe('SMD values', () => {
  it("parses booleans as Go's strconv.ParseBool", () => {
    expect(['1', 't', 'TRUE', 'True'].map(parseGoBool)).toEqual([true, true, true, true]);
    expect(['0', 'F', 'false'].map(parseGoBool)).toEqual([false, false, false]);
    expect(parseGoBool('yes')).toBeUndefined();
  });

  it("normalises MACs with SMD's wording for the bad ones", () => {
    expect(smdMac('AA-BB-CC-DD-EE-0F')).toBe('aa:bb:cc:dd:ee:0f');
    expect(() => smdMac('aabb')).toThrow('MAC string has invalid length');
    expect(() => smdMac('zzbbccddeeff')).toThrow('strconv.ParseInt: parsing "zzbbccddeeff": invalid syntax');
  });

  it('splits negatable filter values and refuses one the parser refuses', () => {
    expect(negatable(['a', '!b', ''], (v) => v, 'bad')).toEqual({ in: ['a', ''], notIn: ['b'] });
    expect(negatable([], (v) => v, 'bad')).toBeUndefined();
    expect(() => negatable(['!x'], () => undefined, 'bad query param: nope')).toThrow('bad query param: nope');
  });
});

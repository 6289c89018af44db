// Properties of SMD's component filter as it arrives in a query string (QueryParams →
// filterFromQuery → componentFilterWhere, plus the NID ranges of the Query routes): any query
// string at all is either a filter or an SMD rule error with the client's code
// (BAD_USER_INPUT), never another exception; accepted parameters come back exactly as sent,
// whatever the case of their names, and their values reach the filter in canonical spelling.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fieldSetFromQuery, filterFromQuery, SmdRuleError, withNidRanges } from '../../src/codecs/smd/index.js';
import type { InventoryError } from '../../src/domain/errors.js';
import { COMPONENT_FLAGS, COMPONENT_ROLES, COMPONENT_STATES } from '../../src/domain/vocabulary.js';
import { HMS_TYPES } from '../../src/domain/xname.js';
import { QueryParams } from '../../src/rest-compat/http/query.js';
import { type ComponentFilterParams, componentFilterWhere } from '../../src/services/smd/component-queries.js';
import { HOSTILE_STRINGS } from './support/json-arbitraries.js';

/** SMD's filter parameter names (hmsds.ComponentFilter's JSON tags). */
const NAMES: Record<keyof ComponentFilterParams, string> = {
  id: 'id',
  type: 'type',
  state: 'state',
  flag: 'flag',
  enabled: 'enabled',
  softwareStatus: 'softwarestatus',
  role: 'role',
  subRole: 'subrole',
  subtype: 'subtype',
  arch: 'arch',
  class: 'class',
  nid: 'nid',
  nidStart: 'nid_start',
  nidEnd: 'nid_end',
  group: 'group',
  partition: 'partition',
  locked: 'locked',
  reservationDisabled: 'reservation_disabled',
};
const LIMITERS = ['stateonly', 'flagonly', 'roleonly', 'nidonly'];

const anyCase = (text: string) =>
  fc
    .array(fc.boolean(), { minLength: text.length, maxLength: text.length })
    .map((upper) => [...text].map((c, i) => (upper[i] ? c.toUpperCase() : c.toLowerCase())).join(''));
const hostileValue = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom(...HOSTILE_STRINGS),
  fc.constantFrom('!', '!!', 'NULL', '!NULL', '-1', '1-', '2147483648', '99999999999999999999'),
);
const anyName = fc.oneof(fc.constantFrom(...Object.values(NAMES), ...LIMITERS).chain(anyCase), fc.string({ maxLength: 12 }));

/** A query string in every encoding trick: raw pairs, percent-escapes of anything, '+' for spaces, empty names and values. */
const anyQuery = fc.oneof(
  fc
    .array(fc.tuple(anyName, hostileValue), { maxLength: 8 })
    .map((pairs) =>
      pairs
        .map(
          ([n, v]) => `${encodeURIComponent(n.replace(/[\ud800-\udfff]/g, ''))}=${encodeURIComponent(v.replace(/[\ud800-\udfff]/g, ''))}`,
        )
        .join('&'),
    ),
  fc.webQueryParameters(),
  fc.string({ unit: fc.constantFrom(...'ab=&%+!01zZ_-.'.split('')), maxLength: 30 }),
);

const parse = (query: string) => filterFromQuery(new QueryParams(new URLSearchParams(query)));

function outcome(run: () => unknown): unknown {
  try {
    run();
    return 'accepted';
  } catch (error) {
    return error;
  }
}

describe('the SMD component filter from a query string', () => {
  it('is a filter or an SMD rule error with the client code, never another exception', () => {
    fc.assert(
      fc.property(anyQuery, (query) => {
        const result = outcome(() => {
          fieldSetFromQuery(new QueryParams(new URLSearchParams(query)));
          componentFilterWhere(parse(query));
        });
        if (result !== 'accepted') {
          expect(result).toBeInstanceOf(SmdRuleError);
          expect((result as InventoryError).code).toBe('BAD_USER_INPUT');
        }
      }),
      { numRuns: 5000 },
    );
  });

  const negatable = (values: fc.Arbitrary<string>) => fc.tuple(fc.boolean(), values).map(([not, v]) => (not ? `!${v}` : v));
  const valid: { [K in keyof ComponentFilterParams]?: fc.Arbitrary<string> } = {
    id: fc.constantFrom('x1000c0s0b0n0', 'X1000C0S0B0N1', 'x01000c0s1b0', 'x3000c0r15b0', 's0'),
    type: fc.constantFrom(...HMS_TYPES).chain(anyCase),
    state: fc.constantFrom(...COMPONENT_STATES).chain(anyCase),
    flag: fc.constantFrom(...COMPONENT_FLAGS).chain(anyCase),
    enabled: fc.constantFrom('true', 't', '1', 'false', 'f', '0').chain(anyCase),
    role: fc.constantFrom(...COMPONENT_ROLES).chain(anyCase),
    nid: fc.nat({ max: 100_000 }).map(String),
    softwareStatus: fc.stringMatching(/^[A-Za-z0-9]{1,10}$/),
  };
  const validParams: fc.Arbitrary<Partial<Record<keyof ComponentFilterParams, string[]>>> = fc.record(
    Object.fromEntries(
      Object.entries(valid).map(([field, values]) => [
        field,
        fc.array(negatable(values as fc.Arbitrary<string>), { minLength: 1, maxLength: 3 }),
      ]),
    ),
    { requiredKeys: [] },
  );

  it('gives back every accepted parameter exactly as sent, whatever the case of its name and its place in the query', () => {
    fc.assert(
      fc.property(validParams, fc.infiniteStream(fc.boolean()), fc.integer(), (params, upper, seed) => {
        const pairs = Object.entries(params).flatMap(([field, values]) =>
          (values as string[]).map((v) => [NAMES[field as keyof ComponentFilterParams], v] as const),
        );
        const flip = upper[Symbol.iterator]();
        // Different parameters interleaved (deterministically from `seed`); each one's values stay in order.
        const slots = pairs.map(([name], i) => ({ name, k: Math.sin(seed + i) })).sort((a, b) => a.k - b.k);
        const next = new Map<string, number>();
        const shuffled = slots.map(({ name }) => {
          const values = pairs.filter(([n]) => n === name);
          const index = next.get(name) ?? 0;
          next.set(name, index + 1);
          return values[index];
        });
        const query = shuffled
          .map(([name, value]) => `${flip.next().value ? name.toUpperCase() : name}=${encodeURIComponent(value)}`)
          .join('&');
        expect(parse(query)).toEqual(params);
        expect(() => componentFilterWhere(parse(query))).not.toThrow();
      }),
      { numRuns: 2000 },
    );
  });

  it('puts each value in its canonical spelling, once', () => {
    fc.assert(
      fc.property(
        fc
          .array(fc.constantFrom(...COMPONENT_STATES), { minLength: 1, maxLength: 5 })
          .chain((states) => fc.tuple(fc.constant(states), fc.tuple(...states.map(anyCase)))),
        ([states, spelled]) => {
          const where = componentFilterWhere(parse(spelled.map((s) => `state=${s}`).join('&')));
          expect(where).toEqual({ AND: [{ deletedAt: null }, { state: { in: [...new Set(states)] } }] });
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('the NID ranges of the Query routes', () => {
  it('are NIDs and inclusive ranges, or an SMD rule error, never another exception', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(hostileValue, fc.stringMatching(/^-?\d{0,12}(-\d{0,12}){0,2}$/)), { maxLength: 5 }), (ranges) => {
        const result = outcome(() => componentFilterWhere(withNidRanges({}, ranges)));
        if (result !== 'accepted') expect(result).toBeInstanceOf(SmdRuleError);
      }),
      { numRuns: 3000 },
    );
  });

  it("pair each range's ends and keep single NIDs", () => {
    const item = fc.oneof(
      fc.nat({ max: 9999 }).map((n) => ({ text: String(n), nid: String(n) })),
      fc.tuple(fc.nat({ max: 9999 }), fc.nat({ max: 9999 })).map(([a, b]) => ({ text: `${a}-${b}`, start: String(a), end: String(b) })),
    );
    fc.assert(
      fc.property(fc.array(item, { minLength: 1, maxLength: 6 }), (items) => {
        const params = withNidRanges(
          { state: ['Ready'] },
          items.map((i) => i.text),
        );
        expect(params).toEqual({
          state: ['Ready'],
          nid: items.flatMap((i) => ('nid' in i ? [i.nid] : [])),
          nidStart: items.flatMap((i) => ('start' in i ? [i.start] : [])),
          nidEnd: items.flatMap((i) => ('end' in i ? [i.end] : [])),
        });
        expect(() => componentFilterWhere(params)).not.toThrow();
      }),
      { numRuns: 2000 },
    );
  });
});

describe('QueryParams', () => {
  it('reads names case-insensitively and keeps every value of a repeated name in order', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[a-z_]{1,10}$/),
        fc.array(fc.string(), { maxLength: 5 }),
        fc.array(fc.boolean(), { minLength: 5, maxLength: 5 }),
        (name, values, upper) => {
          const search = new URLSearchParams();
          for (const [i, v] of values.entries()) search.append(upper[i] ? name.toUpperCase() : name, v);
          const query = new QueryParams(search);
          expect(query.all(name.toUpperCase())).toEqual(values);
          expect(query.get(name)).toBe(values[0]);
          expect(query.has(name)).toBe(values.length > 0);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

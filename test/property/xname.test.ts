// Properties of the xname rules (src/domain/xname.ts, requireXname): every generated valid
// xname parses to itself and its HMS type, also when spelled with upper case, leading zeros
// and surrounding blanks; parsing is idempotent; the parent of a position is the position one
// level up; and every invalid input, of any JavaScript type, is refused with a ValidationError
// naming the field, never a TypeError.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/domain/errors.js';
import { requireXname } from '../../src/domain/smd-names.js';
import { HMS_TYPES, normalizeXname, parentXname, parseXname, xnameType } from '../../src/domain/xname.js';

/** Any number SMD's grammar allows where a level is unbounded, big ones included. */
const anyNumber = fc.oneof(fc.nat({ max: 99 }), fc.bigInt({ min: 0n, max: 10n ** 24n }));
const upTo = (max: number) => fc.nat({ max });
const positive = fc.oneof(fc.integer({ min: 1, max: 99 }), fc.bigInt({ min: 1n, max: 10n ** 20n }));

interface Level {
  type: string;
  parent?: string;
  letter: string;
  number: fc.Arbitrary<number | bigint>;
}

/** A slice of the HMS hierarchy, from the HMS xname convention (not from the code under test). */
const LEVELS: Level[] = [
  { type: 'Cabinet', letter: 'x', number: upTo(9999) },
  { type: 'CabinetPDUController', parent: 'Cabinet', letter: 'm', number: upTo(3) },
  { type: 'CabinetPDU', parent: 'CabinetPDUController', letter: 'p', number: upTo(7) },
  { type: 'Chassis', parent: 'Cabinet', letter: 'c', number: upTo(7) },
  { type: 'ChassisBMC', parent: 'Chassis', letter: 'b', number: fc.constant(0) },
  { type: 'ComputeModule', parent: 'Chassis', letter: 's', number: anyNumber },
  { type: 'RouterModule', parent: 'Chassis', letter: 'r', number: anyNumber },
  { type: 'MgmtSwitch', parent: 'Chassis', letter: 'w', number: positive },
  { type: 'NodeBMC', parent: 'ComputeModule', letter: 'b', number: anyNumber },
  { type: 'NodeEnclosure', parent: 'ComputeModule', letter: 'e', number: anyNumber },
  { type: 'Node', parent: 'NodeBMC', letter: 'n', number: anyNumber },
  { type: 'NodeBMCNic', parent: 'NodeBMC', letter: 'i', number: upTo(3) },
  { type: 'Processor', parent: 'Node', letter: 'p', number: upTo(3) },
  { type: 'Memory', parent: 'Node', letter: 'd', number: anyNumber },
  { type: 'NodeAccel', parent: 'Node', letter: 'a', number: anyNumber },
  { type: 'NodeNic', parent: 'Node', letter: 'i', number: upTo(3) },
  { type: 'NodeHsnNic', parent: 'Node', letter: 'h', number: upTo(3) },
  { type: 'VirtualNode', parent: 'Node', letter: 'v', number: anyNumber },
  { type: 'RouterBMC', parent: 'RouterModule', letter: 'b', number: anyNumber },
  { type: 'HSNBoard', parent: 'RouterModule', letter: 'e', number: anyNumber },
  { type: 'HSNAsic', parent: 'RouterModule', letter: 'a', number: upTo(3) },
];

const byType = new Map(LEVELS.map((level) => [level.type, level]));

/** The levels from the cabinet down to `type`. */
function chainOf(type: string): Level[] {
  const level = byType.get(type) as Level;
  return level.parent ? [...chainOf(level.parent), level] : [level];
}

interface Position {
  type: string;
  /** [letter, number] per level, top first. */
  parts: Array<[string, bigint]>;
}

const position: fc.Arbitrary<Position> = fc
  .constantFrom(...LEVELS.map((l) => l.type))
  .chain((type) =>
    fc
      .tuple(...chainOf(type).map((level) => level.number.map((n) => [level.letter, BigInt(n)] as [string, bigint])))
      .map((parts) => ({ type, parts })),
  );

const canonical = (p: Position) => p.parts.map(([letter, n]) => `${letter}${n}`).join('');

/** The same position spelled the way people and tools spell it: any case, leading zeros, blanks around. */
const noisySpelling = (p: Position) =>
  fc
    .tuple(
      fc.array(fc.tuple(fc.boolean(), fc.nat({ max: 3 })), { minLength: p.parts.length, maxLength: p.parts.length }),
      fc.constantFrom('', ' ', '\t', '  '),
      fc.constantFrom('', ' ', '\n'),
    )
    .map(
      ([noise, before, after]) =>
        before +
        p.parts.map(([letter, n], i) => `${noise[i][0] ? letter.toUpperCase() : letter}${'0'.repeat(noise[i][1])}${n}`).join('') +
        after,
    );

describe('xname parsing', () => {
  it('parses every valid xname to itself and its HMS type', () => {
    fc.assert(
      fc.property(position, (p) => {
        expect(parseXname(canonical(p))).toEqual({ xname: canonical(p), type: p.type });
      }),
      { numRuns: 2000 },
    );
  });

  it('parses every spelling of a position (case, leading zeros, blanks) to the canonical xname', () => {
    fc.assert(
      fc.property(
        position.chain((p) => fc.tuple(fc.constant(p), noisySpelling(p))),
        ([p, spelled]) => {
          expect(parseXname(spelled)).toEqual({ xname: canonical(p), type: p.type });
          expect(normalizeXname(spelled)).toBe(canonical(p));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('is idempotent on anything it accepts, and names only HMS types', () => {
    const xnameLike = fc.stringMatching(/^\s?[xXsSpPdD]\d{1,6}([a-zA-Z]\d{1,8}){0,7}(\.\d{1,3})?\s?$/);
    fc.assert(
      fc.property(fc.oneof(xnameLike, fc.string(), position.map(canonical)), (raw) => {
        const parsed = parseXname(raw);
        if (!parsed) return;
        expect(parseXname(parsed.xname)).toEqual(parsed);
        expect(xnameType(parsed.xname)).toBe(parsed.type);
        expect(HMS_TYPES).toContain(parsed.type);
        expect(parsed.xname).toBe(parsed.xname.trim().toLowerCase());
        expect(parsed.xname).not.toMatch(/(^|\D)0\d/);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('xname parents', () => {
  it('is the position one level up, itself a valid xname of the parent type', () => {
    fc.assert(
      fc.property(position, (p) => {
        const parent = parentXname(canonical(p));
        if (p.parts.length === 1) {
          expect(parent).toBeUndefined();
          return;
        }
        const up: Position = { type: byType.get(p.type)?.parent as string, parts: p.parts.slice(0, -1) };
        expect(parent).toBe(canonical(up));
        expect(parseXname(parent as string)).toEqual({ xname: canonical(up), type: up.type });
        expect(canonical(p).startsWith(parent as string)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});

/** Positions made invalid: a number out of its level's range, a letter no level uses, a letter without its number. */
const invalidXname = fc.oneof(
  position.chain((p) =>
    fc.constantFrom(
      `${canonical(p)}z1`,
      `${canonical(p)}q`,
      `${canonical(p)}${p.parts[p.parts.length - 1][0]}`,
      `${canonical(p)}-1`,
      `${canonical(p)}.`,
      `y${canonical(p).slice(1)}`,
      `x${canonical(p)}`,
    ),
  ),
  fc.integer({ min: 10_000, max: 10 ** 9 }).map((n) => `x${n}c0`),
  fc.integer({ min: 8, max: 99 }).map((n) => `x1c${n}`),
  fc.integer({ min: 4, max: 99 }).map((n) => `x1c0s0b0n0p${n}`),
  fc.constantFrom('', ' ', 'x', 'X', 'c0', 'n0', 'x1c', 'x-1', 'x1 c0', 'x１', 'x1c0s0b0n0\u0000', 'x1c0s0b0n0\ud800', '💥'),
);

describe('xnames given as input (requireXname)', () => {
  it('refuses every invalid xname with a ValidationError naming the field', () => {
    fc.assert(
      fc.property(invalidXname, fc.string({ minLength: 1, maxLength: 20 }), (raw, field) => {
        expect(parseXname(raw)).toBeUndefined();
        const error = (() => {
          try {
            requireXname(raw, field);
          } catch (e) {
            return e;
          }
        })();
        expect(error).toBeInstanceOf(ValidationError);
        expect((error as ValidationError).field).toBe(field);
      }),
      { numRuns: 2000 },
    );
  });

  it('answers any JavaScript value with an xname or a ValidationError, never another error', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.anything({ withBigInt: true, withDate: true, withMap: true, withSet: true, withNullPrototype: true, withTypedArray: true }),
          position.map(canonical),
        ),
        (value) => {
          try {
            const parsed = requireXname(value, 'xname');
            expect(typeof value).toBe('string');
            expect(parsed).toEqual(parseXname(value as string));
          } catch (error) {
            expect(error).toBeInstanceOf(ValidationError);
            expect((error as ValidationError).field).toBe('xname');
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});

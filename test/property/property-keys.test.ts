// Properties of RFD 112's rule for `properties` keys (src/domain/property-keys.ts): the check
// accepts exactly the grammar (lowercase snake_case parts joined by dots, at most 128
// characters), the conversion from other systems' keys always yields a key of that grammar (or
// nothing, when there is nothing to keep), leaves clean keys alone and is idempotent, and a
// properties object is refused naming every bad key, or the value the store cannot hold.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/domain/errors.js';
import {
  isValidPropertyKey,
  PROPERTY_KEY_MAX_LENGTH,
  PropertyKeyError,
  toPropertyKey,
  validateProperties,
} from '../../src/domain/property-keys.js';

/** The grammar, restated independently of the code: dot-separated non-empty parts of [a-z0-9_]. */
function obeysGrammar(key: string): boolean {
  return key
    .split('.')
    .every((part) => part.length > 0 && [...part].every((c) => (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c === '_'));
}

const grammarKey = fc.stringMatching(/^[a-z0-9_]{1,12}(\.[a-z0-9_]{1,12}){0,4}$/);
const cleanKey = fc.stringMatching(/^[a-z0-9]{1,8}(_[a-z0-9]{1,8}){0,3}(\.[a-z0-9]{1,8}(_[a-z0-9]{1,8}){0,3}){0,3}$/);
/** Keys as other systems write them: camelCase, Title Case, kebab-case, dotted, with symbols and unicode. */
const foreignKey = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.stringMatching(/^[A-Za-z][A-Za-z0-9]{0,10}([ ._-]?[A-Za-z0-9]{1,10}){0,4}$/),
  fc.constantFrom('biosBootMode', 'Wake-up Type', 'bios.Release Date', 'SKU Number', 'HTTPServerURL', '..a..', '_x_', 'é', '', '.'),
);
/** Near misses of the grammar: a valid key with one character changed or added. */
const nearMiss = fc
  .tuple(grammarKey, fc.nat(), fc.constantFrom('A', '-', ' ', '.', '..', 'é', '\u0000', '/', '$'))
  .map(([key, at, c]) => key.slice(0, at % (key.length + 1)) + c + key.slice(at % (key.length + 1)));

describe('isValidPropertyKey', () => {
  it('accepts exactly the grammar, up to the length limit', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          grammarKey,
          nearMiss,
          foreignKey,
          grammarKey.map((k) => k.repeat(20)),
        ),
        (key) => {
          expect(isValidPropertyKey(key)).toBe(obeysGrammar(key) && key.length <= PROPERTY_KEY_MAX_LENGTH);
        },
      ),
      { numRuns: 5000 },
    );
  });
});

describe('toPropertyKey', () => {
  it('always yields a key of the grammar, or "" when the input has no letter or digit to keep', () => {
    fc.assert(
      fc.property(fc.oneof(foreignKey, nearMiss, grammarKey), (raw) => {
        const key = toPropertyKey(raw);
        if (key === '') expect(raw).not.toMatch(/[A-Za-z0-9]/);
        else {
          expect(obeysGrammar(key)).toBe(true);
          expect(isValidPropertyKey(key)).toBe(key.length <= PROPERTY_KEY_MAX_LENGTH);
        }
      }),
      { numRuns: 5000 },
    );
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(fc.oneof(foreignKey, nearMiss, grammarKey), (raw) => {
        expect(toPropertyKey(toPropertyKey(raw))).toBe(toPropertyKey(raw));
      }),
      { numRuns: 5000 },
    );
  });

  it('leaves clean snake_case keys as they are', () => {
    fc.assert(
      fc.property(cleanKey, (key) => {
        expect(toPropertyKey(key)).toBe(key);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('validateProperties', () => {
  it('returns an object whose keys all obey the rule, and otherwise names every bad key', () => {
    const properties = fc.dictionary(fc.oneof(grammarKey, nearMiss, foreignKey), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 8 });
    fc.assert(
      fc.property(properties, (value) => {
        const bad = Object.keys(value).filter((key) => !(obeysGrammar(key) && key.length <= PROPERTY_KEY_MAX_LENGTH));
        if (bad.length === 0) {
          expect(validateProperties(value)).toBe(value);
          return;
        }
        const error = (() => {
          try {
            validateProperties(value);
          } catch (e) {
            return e;
          }
        })();
        expect(error).toBeInstanceOf(PropertyKeyError);
        expect((error as PropertyKeyError).keys).toEqual(bad);
        expect((error as PropertyKeyError).field).toBe(`properties.${bad[0]}`);
      }),
      { numRuns: 3000 },
    );
  });

  it('refuses a value the store cannot hold (U+0000, an unpaired surrogate), naming where it is', () => {
    const bad = fc
      .tuple(fc.string({ maxLength: 8 }), fc.constantFrom('\u0000', '\ud800', '\udc00'), fc.string({ maxLength: 8 }))
      .map(([a, c, b]) => a + c + b);
    fc.assert(
      fc.property(fc.uniqueArray(cleanKey, { minLength: 1, maxLength: 4 }), fc.nat(), bad, fc.boolean(), (keys, at, text, nested) => {
        const key = keys[at % keys.length];
        const value = Object.fromEntries(keys.map((k) => [k, k === key ? (nested ? { inner: [text] } : text) : 'ok']));
        const error = (() => {
          try {
            validateProperties(value);
          } catch (e) {
            return e;
          }
        })();
        expect(error).toBeInstanceOf(ValidationError);
        expect((error as ValidationError).field).toBe(nested ? `properties.${key}.inner.0` : `properties.${key}`);
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses anything but a plain JSON object with a ValidationError on the field, never another error', () => {
    const notAnObject = fc.oneof(
      fc
        .anything({ withBigInt: true, withDate: true, withMap: true, withSet: true, withTypedArray: true })
        .filter((v) => v === null || typeof v !== 'object' || Array.isArray(v)),
      fc.array(fc.jsonValue()),
    );
    fc.assert(
      fc.property(notAnObject, fc.constantFrom('properties', 'spec.properties'), (value, field) => {
        expect(() => validateProperties(value, field)).toThrow(ValidationError);
        try {
          validateProperties(value, field);
        } catch (e) {
          expect((e as ValidationError).field).toBe(field);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

// JSON values for request bodies: values a body schema describes (its examples and enums
// preferred, so many are valid), hostile values (huge strings, NUL, lone surrogates, numbers
// out of every range, deep nesting, prototype keys) and valid values mutated by them.
import fc from 'fast-check';
import { type OpenApiDocument, resolveSchema, type Schema } from './openapi-operations.js';

export const HUGE_STRING_LENGTH = 70_000;

/** The string with lone surrogates replaced (encodeURIComponent refuses them). */
export function wellFormed(text: string): string {
  return text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}

/** Strings that have broken parsers, validators and databases before. */
export const HOSTILE_STRINGS: readonly string[] = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  '\udfff\ud800',
  '💥🧨',
  'İstanbul',
  '\u202e\u0041',
  'x'.repeat(HUGE_STRING_LENGTH),
  '%00',
  '%zz',
  '../../etc/passwd',
  "' OR 1=1 --",
  '"; DROP TABLE "Device"; --',
  '{{ 7*7 }}',
  '{% for x in range(99999999) %}{% endfor %}',
  '<script>alert(1)</script>',
  'NULL',
  'null',
  'undefined',
  '__proto__',
  'constructor',
  '-1',
  '1e309',
  '0x1F',
  'NaN',
  '9'.repeat(40),
  'x1000c0s0b0n0',
  'X01000C0S0B0N0',
  'x9999c7s99999999999999999999b0n0',
  'p1.2',
  's0',
  'all',
  'a4:bf:01:38:f0:ae',
  '10.100.0.2',
  '::1',
  '1970-01-01T00:00:00Z',
  '9999-12-31T23:59:59.999Z',
  '0000-00-00T00:00:00Z',
  'http://127.0.0.1:1/',
];

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }) },
  { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
);

export const hostileNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(
    -1,
    0,
    -0,
    0.5,
    1.5,
    2 ** 31 - 1,
    2 ** 31,
    -(2 ** 31) - 1,
    2 ** 32,
    2 ** 53,
    2 ** 53 + 2,
    -(2 ** 63),
    1e21,
    1e308,
    -1e308,
    5e-324,
  ),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

/**
 * An array or object nested `depth` levels deep, kept as this marker until it is written out
 * (JSON.stringify and structuredClone recurse, and would overflow the test's own stack).
 */
export class DeepJson {
  constructor(
    readonly depth: number,
    readonly asObject: boolean,
  ) {}

  /** How fast-check shows it in a counterexample. */
  [fc.toStringMethod](): string {
    return `DeepJson(${this.depth}, ${this.asObject ? 'objects' : 'arrays'})`;
  }

  text(): string {
    return this.asObject
      ? `${'{"a":'.repeat(this.depth)}1${'}'.repeat(this.depth)}`
      : `${'['.repeat(this.depth)}1${']'.repeat(this.depth)}`;
  }
}

export const deepValue: fc.Arbitrary<unknown> = fc
  .tuple(fc.constantFrom(64, 500, 5_000, 50_000), fc.boolean())
  .map(([depth, asObject]) => new DeepJson(depth, asObject));

/** The JSON text of a body value; DeepJson markers are written out in place. */
export function jsonText(value: unknown): string {
  const deep: DeepJson[] = [];
  const token = `@@deep-${Math.random().toString(36).slice(2)}@@`;
  const text = JSON.stringify(value, (_key, v: unknown) => (v instanceof DeepJson ? `${token}${deep.push(v) - 1}` : v));
  if (text === undefined) return '';
  return deep.length ? text.replace(new RegExp(`"${token}(\\d+)"`, 'g'), (_, i: string) => deep[Number(i)].text()) : text;
}

/** A deep copy of a JSON value that keeps own "__proto__" keys as keys and DeepJson markers as they are. */
function cloneJson(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || value instanceof DeepJson) return value;
  if (Array.isArray(value)) return value.map(cloneJson);
  const copy: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) setKey(copy, key, cloneJson(child));
  return copy;
}

function setKey(target: any, key: string | number, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: hostileString },
  { weight: 3, arbitrary: hostileNumber },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: deepValue },
  { weight: 1, arbitrary: fc.array(hostileString, { minLength: 300, maxLength: 600 }) },
  { weight: 1, arbitrary: fc.constantFrom({}, [], [null], { __proto__: null, constructor: { prototype: { polluted: true } } }) },
  { weight: 1, arbitrary: fc.constant(JSON.parse('{"__proto__": {"polluted": true}}')) },
);

const MAX_DEPTH = 6;

/** Values shaped by a JSON Schema (OpenAPI 3.1): the documented examples and enums are preferred. */
export function schemaValue(doc: OpenApiDocument, raw: Schema | undefined, depth = 0): fc.Arbitrary<unknown> {
  const schema = resolveSchema(doc, raw);
  if ('const' in schema) return fc.constant(schema.const);
  if (Array.isArray(schema.enum)) return fc.constantFrom(...schema.enum);
  const examples: unknown[] = Array.isArray(schema.examples) ? schema.examples : [];
  const base = typedValue(doc, schema, depth);
  return examples.length ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...examples) }, { weight: 1, arbitrary: base }) : base;
}

function typedValue(doc: OpenApiDocument, schema: Schema, depth: number): fc.Arbitrary<unknown> {
  const type = schema.type;
  if (Array.isArray(type)) return fc.oneof(...type.map((t: string) => typedValue(doc, { ...schema, type: t }, depth)));
  if (depth >= MAX_DEPTH) return fc.constant(null);
  switch (type) {
    case 'object': {
      const properties: Record<string, Schema> = schema.properties ?? {};
      const names = Object.keys(properties);
      if (names.length === 0) return fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 4 });
      const required: string[] = schema.required ?? [];
      return fc.record(Object.fromEntries(names.map((name) => [name, schemaValue(doc, properties[name], depth + 1)])), {
        requiredKeys: required.filter((r) => names.includes(r)),
      });
    }
    case 'array':
      return fc.array(schemaValue(doc, schema.items, depth + 1), { maxLength: 4 });
    case 'string':
      return schema.format === 'date-time' ? fc.date({ noInvalidDate: true }).map((d) => d.toISOString()) : fc.string({ maxLength: 16 });
    case 'integer':
      return fc.integer({ min: schema.minimum ?? 0, max: schema.maximum ?? 10_000 });
    case 'number':
      return fc.double({ noNaN: true, noDefaultInfinity: true });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

type Path = Array<string | number>;

/** Paths of the containers and leaves in a JSON value (the root first), at most `limit`. */
function pathsIn(value: unknown, limit = 200): Path[] {
  const paths: Path[] = [];
  const walk = (node: unknown, path: Path) => {
    if (paths.length >= limit) return;
    paths.push(path);
    if (node !== null && typeof node === 'object' && !(node instanceof DeepJson))
      for (const [key, child] of Object.entries(node)) walk(child, [...path, Array.isArray(node) ? Number(key) : key]);
  };
  walk(value, []);
  return paths;
}

type Mutation =
  | { op: 'remove'; at: number }
  | { op: 'replace'; at: number; value: unknown }
  | { op: 'add'; at: number; key: string; value: unknown }
  | { op: 'recase'; at: number }
  | { op: 'wrap'; at: number }
  | { op: 'corrupt'; at: number; how: Corruption; number: number };

/** What a leaf becomes: NUL inside it, a lone surrogate after it, 70 000 characters, 50 000 levels deep, or a number out of range. */
type Corruption = 'nul' | 'surrogate' | 'huge' | 'deep' | 'number';

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('remove' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('replace' as const), at: fc.nat(), value: hostileValue }),
  fc.record({
    op: fc.constant('add' as const),
    at: fc.nat(),
    key: fc.oneof(hostileString, fc.constantFrom('__proto__', 'constructor', 'ID', 'id', 'spec', 'metadata')),
    value: hostileValue,
  }),
  fc.record({ op: fc.constant('recase' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('wrap' as const), at: fc.nat() }),
  // Twice as likely: most damage is done to a leaf of an otherwise valid body.
  ...Array.from({ length: 2 }, () =>
    fc.record({
      op: fc.constant('corrupt' as const),
      at: fc.nat(),
      how: fc.constantFrom<Corruption>('nul', 'surrogate', 'huge', 'deep', 'number'),
      number: hostileNumber,
    }),
  ),
);

function corrupt(leaf: unknown, how: Corruption, number: number, at: number): unknown {
  const text = typeof leaf === 'string' ? leaf : String(leaf ?? '');
  switch (how) {
    case 'nul':
      return `${text.slice(0, at % (text.length + 1))}\u0000${text.slice(at % (text.length + 1))}`;
    case 'surrogate':
      return `${text}\ud800`;
    case 'huge':
      return (text || 'x').repeat(Math.ceil(HUGE_STRING_LENGTH / Math.max(text.length, 1)));
    case 'deep':
      return new DeepJson(at % 2 ? 50_000 : 5_000, at % 3 === 0);
    case 'number':
      return number;
  }
}

/** `value` with one mutation applied at one of its paths (a fresh copy; the root may be replaced). */
function applyMutation(value: unknown, m: Mutation): unknown {
  const copy = cloneJson(value);
  const paths = pathsIn(copy);
  const valueAt = (p: Path) => p.reduce<any>((node, key) => node[key], copy);
  // A corruption aims at a string leaf (any leaf when there is none).
  const leaves = paths.filter((p) => typeof valueAt(p) === 'string');
  const targets = m.op === 'corrupt' && leaves.length ? leaves : paths;
  const path = targets[m.at % targets.length];
  const parent = path.slice(0, -1).reduce<any>((node, key) => node[key], copy);
  const key = path[path.length - 1];
  const current = path.length ? parent[key] : copy;
  const set = (next: unknown) => {
    if (!path.length) return next;
    setKey(parent, key, next);
    return copy;
  };
  switch (m.op) {
    case 'remove':
      if (!path.length) return undefined;
      if (Array.isArray(parent)) parent.splice(Number(key), 1);
      else delete parent[key];
      return copy;
    case 'replace':
      return set(m.value);
    case 'add':
      if (current !== null && typeof current === 'object' && !Array.isArray(current) && !(current instanceof DeepJson))
        setKey(current, m.key, m.value);
      else if (Array.isArray(current)) current.push(m.value);
      return copy;
    case 'recase':
      if (path.length && !Array.isArray(parent) && typeof key === 'string') {
        const renamed = key === key.toUpperCase() ? key.toLowerCase() : key.toUpperCase();
        const child = parent[key];
        delete parent[key];
        setKey(parent, renamed, child);
      }
      return copy;
    case 'wrap':
      return set([current]);
    case 'corrupt':
      return set(corrupt(current, m.how, m.number, m.at));
  }
}

/** A valid value with one to three mutations. */
export function mutated(valid: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc
    .tuple(valid, fc.array(mutation, { minLength: 1, maxLength: 3 }))
    .map(([value, mutations]) => mutations.reduce(applyMutation, value));
}

/** Any body value: schema-shaped, mutated seeds, arbitrary JSON, hostile. `seeds` are known-valid bodies (a resource as read back). */
export function bodyValue(doc: OpenApiDocument, schema: Schema | undefined, seeds: unknown[] = []): fc.Arbitrary<unknown> {
  const valid = seeds.length ? fc.oneof(schemaValue(doc, schema), fc.constantFrom(...seeds)) : schemaValue(doc, schema);
  return fc.oneof(
    { weight: 3, arbitrary: valid },
    { weight: 5, arbitrary: mutated(valid) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
    { weight: 1, arbitrary: fc.object({ maxDepth: 2, values: [hostileString, hostileNumber, fc.boolean(), fc.constant(null)] }) },
    { weight: 1, arbitrary: hostileValue },
  );
}

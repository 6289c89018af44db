// GraphQL requests built from the gateway's own schema: random root fields of Query and
// Mutation with random arguments (literals or variables, right or wrong types) and random
// selections, sometimes garbled as text, sent as JSON, GET or not-JSON. Subscriptions are
// left out: a live one never ends.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import {
  buildSchema,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLObjectType,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  isUnionType,
} from 'graphql';
import { createPrng, type Prng } from '../../../src/fixtures/prng.js';

// The printed schema (kept current by a test), read with this module's own graphql: the
// Pothos-built schema object may come from graphql's other (CommonJS) copy.
const schema = buildSchema(readFileSync(new URL('../../../schema.graphql', import.meta.url), 'utf8'));

import { hostileNumber, hostileString, jsonText, wellFormed } from './json-arbitraries.js';
import type { RawRequest } from './raw-http.js';

const MAX_DEPTH = 4;

interface Build {
  rng: Prng;
  /** Strings to use as argument values (real ids and xnames first, hostile ones too). */
  strings: readonly string[];
  /** Values for variables, taken in turn. */
  values: readonly unknown[];
  variables: Record<string, unknown>;
  definitions: string[];
}

function stringLiteral(b: Build): string {
  return JSON.stringify(wellFormed(b.rng.pick(b.strings)));
}

/** A literal of `type`, usually right, sometimes of another type. */
function literal(b: Build, type: GraphQLInputType, depth = 0): string {
  if (b.rng.next() < 0.08) return b.rng.pick(['null', '1', '"x"', 'true', '[]', '{}', '99999999999999999999', '-1', '1.5', 'ENUM_VALUE']);
  if (isNonNullType(type)) return literal(b, type.ofType, depth);
  if (isListType(type)) return `[${Array.from({ length: b.rng.int(3) }, () => literal(b, type.ofType, depth + 1)).join(', ')}]`;
  if (isEnumType(type)) return b.rng.pick(type.getValues()).name;
  if (isInputObjectType(type)) {
    if (depth > MAX_DEPTH) return '{}';
    const fields = Object.values(type.getFields()).filter((f) => isNonNullType(f.type) || b.rng.next() < 0.4);
    return `{ ${fields.map((f) => `${f.name}: ${literal(b, f.type, depth + 1)}`).join(', ')} }`;
  }
  switch (type.name) {
    case 'Int':
      return String(b.rng.pick([0, 1, 5, 100, -1, 2 ** 31, 10_000]));
    case 'Float':
      return String(b.rng.pick([0, 1.5, -1e300]));
    case 'Boolean':
      return b.rng.pick(['true', 'false']);
    case 'JSON':
    case 'JSONObject':
      return b.rng.pick(['{ a: 1 }', '{ bios_mode: "uefi", "Bad Key": 1 }', '[1, 2]', '"text"', '{}']);
    default:
      return stringLiteral(b);
  }
}

/** An argument value: a literal, or a variable whose value is one of the generated values. */
function argument(b: Build, name: string, type: GraphQLInputType): string {
  if (b.rng.next() < 0.3) {
    const variable = `v${b.definitions.length}`;
    b.definitions.push(`$${variable}: ${type.toString()}`);
    b.variables[variable] = b.values[b.definitions.length % Math.max(b.values.length, 1)];
    return `${name}: $${variable}`;
  }
  return `${name}: ${literal(b, type)}`;
}

function fieldText(b: Build, field: GraphQLField<unknown, unknown>, depth: number): string {
  const args = field.args.filter((a) => isNonNullType(a.type) || b.rng.next() < 0.3).map((a) => argument(b, a.name, a.type));
  const alias = b.rng.next() < 0.1 ? `a${b.rng.int(100)}: ` : '';
  return `${alias}${field.name}${args.length ? `(${args.join(', ')})` : ''}${selection(b, getNamedType(field.type), depth + 1)}`;
}

function selection(b: Build, type: GraphQLNamedType, depth: number): string {
  if (isLeafType(type)) return '';
  if (depth > MAX_DEPTH) return ' { __typename }';
  if (isUnionType(type)) {
    const member = b.rng.pick(type.getTypes());
    return ` { __typename ... on ${member.name}${selection(b, member, depth)} }`;
  }
  if (isObjectType(type) || isInterfaceType(type)) {
    const fields = Object.values(type.getFields());
    const picked = Array.from({ length: 1 + b.rng.int(4) }, () => b.rng.pick(fields));
    return ` { ${[...new Set(picked)].map((f) => fieldText(b, f, depth)).join(' ')} }`;
  }
  return '';
}

/** A query or mutation document with its variables. */
function document(
  seed: number,
  strings: readonly string[],
  values: readonly unknown[],
): { query: string; variables: Record<string, unknown>; mutation: boolean } {
  const b: Build = { rng: createPrng(seed), strings, values, variables: {}, definitions: [] };
  const mutationType = schema.getMutationType();
  const mutation = mutationType !== null && mutationType !== undefined && b.rng.next() < 0.4;
  const root = (mutation ? mutationType : schema.getQueryType()) as GraphQLObjectType;
  const fields = Object.values(root.getFields());
  const body = Array.from({ length: 1 + b.rng.int(2) }, () => fieldText(b, b.rng.pick(fields), 0)).join(' ');
  const head = `${mutation ? 'mutation' : 'query'} Fuzz${b.definitions.length ? `(${b.definitions.join(', ')})` : ''}`;
  return { query: `${head} { ${body} }`, variables: b.variables, mutation };
}

const GARBLE_TOKENS = [
  '{',
  '}',
  '(',
  ')',
  '$',
  '...',
  '@skip(if: true)',
  '@include(if: $nope)',
  'fragment F on Query { __typename }',
  '#',
  '"',
  '\\',
  ':',
  '!',
  '[',
  ']',
  '99999999999999999999',
  'query',
  'mutation',
  '__schema { types { name } }',
  '\u0000',
  '💥',
];

/** The document text with a few edits: a slice removed, a token inserted, a slice repeated. */
function garble(text: string, seed: number): string {
  const rng = createPrng(seed, 1);
  let out = text;
  for (let edits = 1 + rng.int(3); edits > 0; edits--) {
    const at = rng.int(out.length + 1);
    const kind = rng.int(3);
    if (kind === 0) out = out.slice(0, at) + out.slice(at + 1 + rng.int(8));
    else if (kind === 1) out = out.slice(0, at) + rng.pick(GARBLE_TOKENS) + out.slice(at);
    else out = out.slice(0, at) + out.slice(at, at + 20).repeat(1 + rng.int(30)) + out.slice(at);
  }
  return out;
}

const ACCEPTS = [
  'application/json',
  'application/graphql-response+json',
  '*/*',
  'text/html',
  'multipart/mixed',
  'text/event-stream',
  'application/xml',
];

/** A GraphQL request: POST JSON (mostly), GET with the query string, or a body that is not a GraphQL request. */
export function graphqlRequest(strings: readonly string[]): fc.Arbitrary<RawRequest> {
  const variableValue = fc.oneof(
    hostileString,
    hostileNumber,
    fc.jsonValue({ maxDepth: 3 }),
    strings.length ? fc.constantFrom(...strings) : fc.constant('x1000c0s0b0n0'),
  );
  return fc
    .record({
      seed: fc.integer(),
      values: fc.array(variableValue, { maxLength: 4 }),
      garbled: fc.boolean(),
      form: fc.constantFrom('post', 'post', 'post', 'post', 'get', 'graphql-text', 'not-json', 'batch'),
      accept: fc.constantFrom(...ACCEPTS),
      operationName: fc.option(fc.constantFrom('Fuzz', 'Other', ''), { nil: undefined }),
      junkVariables: fc.option(fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constant('not an object')), { freq: 8, nil: undefined }),
    })
    .map(({ seed, values, garbled, form, accept, operationName, junkVariables }): RawRequest => {
      const doc = document(seed, strings, values);
      const query = garbled ? garble(doc.query, seed) : doc.query;
      const variables = junkVariables === undefined ? doc.variables : junkVariables;
      const headers = { accept, 'content-type': 'application/json' };
      switch (form) {
        case 'get': {
          const search = new URLSearchParams({ query: wellFormed(query), variables: jsonText(variables) });
          if (operationName !== undefined) search.set('operationName', operationName);
          return { method: 'GET', path: `/graphql?${search}`, headers: { accept } };
        }
        case 'graphql-text':
          return { method: 'POST', path: '/graphql', headers: { accept, 'content-type': 'application/graphql' }, body: query };
        case 'not-json':
          return { method: 'POST', path: '/graphql', headers, body: query };
        case 'batch':
          return { method: 'POST', path: '/graphql', headers, body: jsonText([{ query, variables }, { query: doc.query }]) };
        default:
          return {
            method: 'POST',
            path: '/graphql',
            headers,
            body: jsonText({ query, variables, ...(operationName === undefined ? {} : { operationName }) }),
          };
      }
    });
}

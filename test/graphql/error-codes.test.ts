// Every GraphQL error carries an extensions.code, and bad input is never an unexpected error:
// the test walks every argument of every query and mutation field of the schema and gives it
// bad values of its kind (ids, cursors, numbers, scalars, enums, input objects), as variables
// and as literals, with every other required argument filled in plausibly. A client's mistake
// is a BAD_USER_INPUT (or NOT_FOUND, CONFLICT, …), never INTERNAL_SERVER_ERROR.
import {
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  getNamedType,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schema } from '../../src/schema/index.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway({ exposeErrors: false });
  await gw.gql('mutation { createDevice(input: { deviceType: "Cabinet", name: "cab" }) { id } }');
});
afterAll(() => gw.close());

interface Reply {
  status: number;
  body: { errors?: Array<{ message: string; path?: unknown; extensions?: Record<string, unknown> }> };
}

async function post(body: unknown): Promise<Reply> {
  const response = await gw.app.fetch(
    new Request('http://gateway.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
      body: JSON.stringify(body),
    }),
  );
  return { status: response.status, body: (await response.json()) as Reply['body'] };
}

const UUID = '8c1f6a52-6e8e-4d0b-9a59-2b5a3c7d9e10';

/** A plausible value of a type (for the arguments not under test). */
function plausible(type: GraphQLInputType, name: string, depth = 0): unknown {
  const nullable = getNullableType(type) as GraphQLInputType;
  if (isListType(nullable)) return [plausible(nullable.ofType, name, depth)];
  if (isEnumType(nullable)) return nullable.getValues()[0]?.name;
  if (isInputObjectType(nullable)) {
    if (depth > 3) return {};
    const value: Record<string, unknown> = {};
    for (const field of Object.values(nullable.getFields()))
      if (isNonNullType(field.type)) value[field.name] = plausible(field.type, field.name, depth + 1);
    return value;
  }
  switch (nullable.name) {
    case 'Int':
      return 1;
    case 'Float':
      return 1.5;
    case 'Boolean':
      return true;
    case 'ID':
    case 'UUID':
      return UUID;
    case 'DateTime':
      return '2024-01-01T00:00:00Z';
    case 'MAC':
      return 'de:ca:fc:0f:fe:e0';
    case 'IP':
      return '10.0.0.1';
    case 'JSON':
    case 'JSONObject':
      return {};
    default:
      if (/xname/i.test(name)) return 'x3000c0s0b0n0';
      return 'x';
  }
}

/** Bad values for an argument of `type`, each with a label. */
function badValues(type: GraphQLInputType, name: string): Array<[string, unknown]> {
  const nullable = getNullableType(type) as GraphQLInputType;
  const named = getNamedType(type);
  const bad: Array<[string, unknown]> = [];
  if (isListType(nullable)) bad.push(['a list of wrong items', [{ wrong: true }]]);
  if (isInputObjectType(named)) bad.push(['a string for an object', 'x'], ['an unknown field', { noSuchField: 1 }]);
  if (isEnumType(named)) bad.push(['an unknown enum value', 'NO_SUCH_VALUE']);
  if (isScalarType(named)) {
    switch (named.name) {
      case 'Int':
        bad.push(['a 2^40 Int', 2 ** 40], ['a negative Int', -1], ['a string for an Int', 'x']);
        break;
      case 'ID':
        bad.push(['a non-id', 'not-an-id'], ['a global id of an unknown type', Buffer.from('Nope:1').toString('base64')]);
        bad.push(['a global id of a missing row', Buffer.from(`Device:${UUID}`).toString('base64')]);
        break;
      case 'String':
        if (/^(after|before)$/.test(name)) bad.push(['a non-cursor', 'zzz'], ['a long non-cursor', 'q'.repeat(5000)]);
        else bad.push(['a 5,000-character string', 'q'.repeat(5000)], ['a NUL', 'a\u0000b']);
        break;
      case 'Boolean':
        bad.push(['a string for a Boolean', 'yes']);
        break;
      default:
        bad.push(['a malformed scalar', 'not-a-value-of-this-scalar']);
    }
  }
  return bad;
}

/** Documents and variables that give `arg` of `field` bad values, as a variable and as a literal. */
function cases(rootType: 'query' | 'mutation', field: GraphQLField<unknown, unknown>, arg: GraphQLArgument) {
  const out: Array<{ label: string; body: unknown }> = [];
  const selection = isScalarType(getNamedType(field.type)) || isEnumType(getNamedType(field.type)) ? '' : ' { __typename }';
  for (const [label, value] of badValues(arg.type, arg.name)) {
    const others = field.args.filter((a) => a !== arg && isNonNullType(a.type));
    const variables: Record<string, unknown> = { bad: value };
    const definitions = [`$bad: ${arg.type.toString()}`];
    const args = [`${arg.name}: $bad`];
    for (const other of others) {
      variables[other.name] = plausible(other.type, other.name);
      definitions.push(`$${other.name}: ${other.type.toString()}`);
      args.push(`${other.name}: $${other.name}`);
    }
    out.push({
      label: `${field.name}(${arg.name}: ${label}) as a variable`,
      body: { query: `${rootType} (${definitions.join(', ')}) { ${field.name}(${args.join(', ')})${selection} }`, variables },
    });
  }
  return out;
}

const ROOTS = [
  ['query', schema.getQueryType()],
  ['mutation', schema.getMutationType()],
] as const;

const ALL = ROOTS.flatMap(([rootType, type]) =>
  Object.values(type?.getFields() ?? {}).flatMap((field) => field.args.flatMap((arg) => cases(rootType, field, arg))),
);

describe('every argument of every root field, given bad values', () => {
  it('has a case for every kind of argument', () => {
    expect(ALL.length).toBeGreaterThan(100);
  });

  it.each(ALL.map((c) => [c.label, c.body] as const))('%s: every error has a code, none unexpected', async (_label, body) => {
    const reply = await post(body);
    expect(reply.status, JSON.stringify(reply.body)).toBeLessThan(500);
    for (const error of reply.body.errors ?? []) {
      expect(error.extensions?.code, JSON.stringify(error)).toEqual(expect.any(String));
      expect(error.extensions?.code, JSON.stringify(error)).not.toBe('INTERNAL_SERVER_ERROR');
      expect(error.message.length, 'at most an excerpt of the value').toBeLessThanOrEqual(1024);
    }
  });
});

describe('the errors the hostile run found', () => {
  it.each([
    ['a bad cursor', '{ devices(after: "zzz") { totalCount } }', 'BAD_USER_INPUT'],
    [
      'a bad nested cursor',
      '{ devices(first: 1) { edges { node { childrenConnection(after: "zzz") { totalCount } } } } }',
      'BAD_USER_INPUT',
    ],
    ['a bad global id', '{ node(id: "nope") { id } }', 'BAD_USER_INPUT'],
    ['a global id of an unknown type', `{ node(id: "${Buffer.from('Nope:1').toString('base64')}") { id } }`, 'BAD_USER_INPUT'],
    ['a global id of no row', `{ node(id: "${Buffer.from(`Device:${UUID}`).toString('base64')}") { id } }`, 'NOT_FOUND'],
    ['a required variable missing', 'query($n: Int!) { devices(first: $n) { totalCount } }', 'BAD_USER_INPUT'],
  ])('%s has code %s', async (_name, query, code) => {
    const reply = await post({ query });
    expect(reply.body.errors?.[0].extensions?.code, JSON.stringify(reply.body)).toBe(code);
    expect(reply.status).toBeLessThan(500);
  });
});

// Every REST request body the OpenAPI document describes (POST, PUT and PATCH of every family,
// found in the document so a new one is covered), sent over real HTTP to real resources with
// arbitrary JSON: values of the body's own schema, known-good bodies read back from the API,
// both mutated (fields removed, wrong types, huge strings, deep nesting, unicode, numbers out
// of range, prototype keys), and arbitrary JSON values. The answer is a 2xx or a 4xx in the
// family's format (RFD problem+json naming the field; SMD's problem+json; Fabrica's and
// NoCloud's {error, code}); never a 5xx, never a crash the server logs as unexpected.
// PROPERTY_RUNS and PROPERTY_SEED choose a longer run or another seed.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatViolation } from './support/family-format.js';
import { type HostileGateway, startHostileGateway } from './support/hostile-gateway.js';
import { bodyValue, jsonText } from './support/json-arbitraries.js';
import {
  fetchOpenApi,
  fillPath,
  harvestPathValues,
  type OpenApiDocument,
  type Operation,
  operationsOf,
  readBackBodies,
  valuesFor,
} from './support/openapi-operations.js';

const RUNS = Number(process.env.PROPERTY_RUNS ?? 16);
const SEED = Number(process.env.PROPERTY_SEED ?? 7);
const WRITES = ['POST', 'PUT', 'PATCH'];

let hg: HostileGateway;
let doc: OpenApiDocument;
let pools: Map<string, string[]>;
let operations: Operation[];

beforeAll(async () => {
  hg = await startHostileGateway();
  doc = await fetchOpenApi(hg.client);
  operations = operationsOf(doc).filter((op) => WRITES.includes(op.method) && op.bodyTypes.length > 0 && op.path !== '/graphql');
  pools = await harvestPathValues(hg.client, operationsOf(doc), hg.knownAnswers);
}, 120_000);
afterAll(() => hg?.close());

/** Path values that name real resources, so the body reaches the validation behind the lookup. */
function realParams(op: Operation): fc.Arbitrary<Record<string, string>> {
  const values = (param: string) => valuesFor(pools, op, param);
  return fc.record(
    Object.fromEntries(
      op.pathParams.map((p) => [
        p,
        values(p).length ? fc.constantFrom(...values(p)).map(encodeURIComponent) : fc.constant('x1000c0s0b0n0'),
      ]),
    ),
  );
}

describe('REST request bodies', () => {
  it('are found in the OpenAPI document for every family', () => {
    const prefixes = new Set(operations.map((op) => op.path.split('/')[1]));
    expect([...prefixes]).toEqual(expect.arrayContaining(['hsm', 'components', 'groups', 'apis', 'cloud-init', 'wg-init']));
    expect(operations.length).toBeGreaterThan(80);
  });

  it('never answer a 5xx or outside the family format, whatever the body', async () => {
    let requests = 0;
    const statuses = new Map<number, number>();
    const failures: string[] = [];
    for (const op of operations) {
      const seeds = await readBackBodies(hg.client, op, pools);
      const property = fc.asyncProperty(
        realParams(op),
        bodyValue(doc, op.bodySchema, seeds),
        fc.constantFrom(...op.bodyTypes),
        async (params, body, contentType) => {
          const logged = hg.unexpectedErrors().length;
          const path = fillPath(op.path, params);
          // A node's address through the trusted proxy, so the node routes read the body too.
          const reply = await hg.client.send({
            method: op.method,
            path,
            headers: { 'content-type': contentType, 'x-forwarded-for': '10.100.0.2' },
            body: jsonText(body),
          });
          requests++;
          statuses.set(reply.status, (statuses.get(reply.status) ?? 0) + 1);
          const context = `${op.method} ${path} → ${reply.status} ${reply.text.slice(0, 300)}`;
          expect(reply.status, context).toBeLessThan(500);
          expect(formatViolation(op.method, path, reply), context).toBeUndefined();
          expect(hg.unexpectedErrors().slice(logged), context).toEqual([]);
        },
      );
      // Every operation is tried even when one fails, so one run lists every broken route.
      const result = await fc.check(property, { numRuns: RUNS, seed: SEED });
      if (result.failed)
        failures.push(
          `${op.method} ${op.path}: ${(result.errorInstance as Error | undefined)?.message?.slice(0, 600)}\n${fc.defaultReportMessage(result)?.slice(0, 1200)}`,
        );
    }
    const histogram = [...statuses].sort(([a], [b]) => a - b).map(([status, count]) => `${status}: ${count}`);
    console.log(
      `REST bodies: ${requests} requests over ${operations.length} body operations; statuses {${histogram.join(', ')}}; ${failures.length} failing`,
    );
    expect(failures).toEqual([]);
  }, 300_000);
});

// Fuzz: random and mutated requests against every route and method of the gateway's own
// OpenAPI document (so a new route is fuzzed without touching this file), other methods on
// those paths, and GraphQL documents built from the schema, over real HTTP with a fixed seed.
// No answer may be a 5xx, no handler may crash (every family logs those as "unexpected"), every
// error must be in its family's format, and the process must still answer /health at the end.
// FUZZ_SEED and FUZZ_RUNS choose another seed or a longer run.
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { MAX_BODY_BYTES } from '../../src/rest-compat/http/respond.js';
import { formatViolation, unexpectedGraphQLErrors } from '../property/support/family-format.js';
import { graphqlRequest } from '../property/support/graphql-arbitraries.js';
import { type HostileGateway, startHostileGateway } from '../property/support/hostile-gateway.js';
import { HOSTILE_STRINGS } from '../property/support/json-arbitraries.js';
import { fetchOpenApi, harvestPathValues, operationsOf, readBackBodies } from '../property/support/openapi-operations.js';
import type { RawReply, RawRequest } from '../property/support/raw-http.js';
import { operationRequest } from '../property/support/request-arbitraries.js';
import { TEST_ENGINE } from '../support/database.js';

const SEED = Number(process.env.FUZZ_SEED ?? 112);
const RUNS = Number(process.env.FUZZ_RUNS ?? 3000);

let hg: HostileGateway;
beforeAll(async () => {
  hg = await startHostileGateway();
}, 120_000);
afterAll(() => hg?.close());

const show = (request: RawRequest) => `${request.method} ${request.path.slice(0, 160)}${request.path.length > 160 ? '…' : ''}`;

it(
  'answers random and mutated requests to every route without a 5xx, a crash or an error outside its family format',
  async () => {
    const doc = await fetchOpenApi(hg.client);
    const operations = operationsOf(doc);
    expect(operations.length).toBeGreaterThan(100);
    const pools = await harvestPathValues(hg.client, operations, hg.knownAnswers);
    const seeds = await Promise.all(operations.map((op) => (op.bodyTypes.length ? readBackBodies(hg.client, op, pools) : [])));
    const strings = [...(pools.get('*') ?? []).slice(0, 60), ...HOSTILE_STRINGS];
    // A DELETE of a whole collection (no path parameter) is marked, to be sent last: the other
    // requests then meet a populated store.
    const arbitrary = fc.oneof(
      {
        weight: 10,
        arbitrary: fc.oneof(
          ...operations.map((op, i) =>
            operationRequest(op, doc, pools, seeds[i]).map((request) => ({
              request,
              wipes: request.method === 'DELETE' && op.pathParams.length === 0,
            })),
          ),
        ),
      },
      { weight: 2, arbitrary: graphqlRequest(strings).map((request) => ({ request, wipes: false })) },
    );
    const sampled = fc.sample(arbitrary, { seed: SEED, numRuns: RUNS });
    const requests = [...sampled.filter((s) => !s.wipes), ...sampled.filter((s) => s.wipes)].map((s) => s.request);
    // Beyond the body limit, once: refused before it is parsed.
    requests.push({
      method: 'POST',
      path: '/apis/inventory/v1/devices',
      headers: { 'content-type': 'application/json' },
      body: `{"deviceType":"${'x'.repeat(MAX_BODY_BYTES)}"}`,
    });

    const histogram = new Map<number, number>();
    const failures: string[] = [];
    const started = performance.now();
    for (const request of requests) {
      const logged = hg.unexpectedErrors().length;
      let reply: RawReply;
      try {
        reply = await hg.client.send(request);
      } catch (error) {
        failures.push(`${show(request)}: no answer (${(error as Error).message})`);
        continue;
      }
      histogram.set(reply.status, (histogram.get(reply.status) ?? 0) + 1);
      const problems = [
        ...(reply.status >= 500 ? [`status ${reply.status}`] : []),
        ...[formatViolation(request.method, request.path, reply)].filter((v) => v !== undefined),
        ...unexpectedGraphQLErrors(request.path, reply).map((m) => `unexpected GraphQL error: ${m}`),
        ...hg
          .unexpectedErrors()
          .slice(logged)
          .map((e) => `logged: ${e.msg} ${JSON.stringify(e.err).slice(0, 300)}`),
      ];
      if (problems.length)
        failures.push(
          `${show(request)} [${request.headers['content-type'] ?? ''}] ${String(request.body ?? '').slice(0, 120)} → ${reply.status} ${reply.text.slice(0, 200)}: ${problems.join('; ')}`,
        );
    }
    const seconds = (performance.now() - started) / 1000;
    const fivexx = [...histogram].filter(([status]) => status >= 500).reduce((n, [, count]) => n + count, 0);
    const statuses = [...histogram].sort(([a], [b]) => a - b).map(([status, count]) => `${status}: ${count}`);
    console.log(
      `fuzz (${TEST_ENGINE}, seed ${SEED}): ${requests.length} requests in ${seconds.toFixed(1)} s over ${operations.length} documented operations; ` +
        `5xx seen: ${fivexx}; statuses {${statuses.join(', ')}}`,
    );

    if (failures.length) console.log(`${failures.length} failures, the first ones:\n${failures.slice(0, 40).join('\n')}`);

    const health = await hg.client.send({ method: 'GET', path: '/health', headers: {} });
    expect(failures.slice(0, 20)).toEqual([]);
    expect(fivexx).toBe(0);
    expect(health.status).toBe(200);
    // Bodies carried "__proto__" and "constructor" keys: nothing may have leaked into prototypes.
    expect(Object.keys(Object.prototype)).toEqual([]);
    // The fuzz reached the handlers, not only the routers' 404s.
    expect([...histogram.keys()].some((s) => s >= 200 && s < 300)).toBe(true);
  },
  Math.max(120_000, RUNS * 60),
);

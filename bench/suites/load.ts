// Load: the gateway as its own process, three targets hit at fixed concurrency for a fixed
// time each (autocannon): the SMD component list, the NoCloud documents of many nodes (each
// request names its node through X-Forwarded-For from a trusted proxy, as behind a real
// proxy), and one cabinet's GraphQL tree. Reports throughput, latency, errors (any non-2xx
// counts) and the gateway's resident memory before and after.
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import type { Engine } from '../../src/db/engine-schema.js';
import { generateCluster } from '../../src/fixtures/synthetic-cluster.js';
import { setGroupTemplate } from '../../src/services/cloud-init/cloud-init.js';
import { loadInventory } from '../../src/services/core/bulk-load.js';
import { startGatewayProcess } from '../../test/support/gateway-process.js';
import { TREE_DOCUMENT } from '../lib/cases.js';
import { createBenchDatabase } from '../lib/database.js';
import { ms, table } from '../lib/stats.js';
import type { BenchSuite, SuiteContext } from './index.js';

/** One cabinet's whole tree: what a dashboard opens. */
const CABINET_TREE = TREE_DOCUMENT.replace('first: 500', 'first: 1');

interface Target {
  name: string;
  requests: autocannon.Request[];
}

function residentMegabytes(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  return Number(line?.replace(/\D+/g, '') ?? Number.NaN) / 1024;
}

function targets(nodeAddresses: string[]): Target[] {
  const nodes = nodeAddresses.slice(0, 200);
  return [
    { name: 'smd components', requests: [{ method: 'GET', path: '/hsm/v2/State/Components?type=Node' }] },
    {
      name: 'nocloud documents',
      requests: nodes.flatMap((address) =>
        ['meta-data', 'user-data', 'vendor-data'].map((file) => ({
          method: 'GET' as const,
          path: `/cloud-init/${file}`,
          headers: { 'x-forwarded-for': address },
        })),
      ),
    },
    {
      name: 'graphql cabinet tree',
      requests: [
        {
          method: 'POST',
          path: '/graphql',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: CABINET_TREE }),
        },
      ],
    },
  ];
}

interface Row {
  engine: Engine;
  target: string;
  result?: autocannon.Result;
  rssBefore?: number;
  rssAfter?: number;
  error?: string;
}

async function loadEngine(context: SuiteContext, engine: Engine, rows: Row[]): Promise<void> {
  const nodes = Number(context.values['load-nodes']);
  const seconds = Number(context.values['load-seconds']);
  const connections = Number(context.values['load-connections']);
  const bench = await createBenchDatabase(engine, { pgUrl: context.pgUrl });
  try {
    await loadInventory({ db: bench.database.prisma, source: 'seed', actor: 'bench' }, generateCluster({ nodes, seed: context.seed }), {
      engine,
    });
    const ctx = { db: bench.database.prisma, source: 'system' as const, actor: 'bench' };
    await setGroupTemplate(ctx, 'compute', { template: '#cloud-config\nhostname: {{ hostname }}\nruncmd:\n  - echo nid {{ nid }}\n' });
    const addresses = (await bench.raw(`SELECT "address" FROM "IpAddress" WHERE "address" LIKE '10.100.%' ORDER BY "address"`)).map((r) =>
      String(r.address),
    );
    const gateway = await startGatewayProcess(['--database-url', bench.url, '--trusted-proxies', '127.0.0.1/32'], {
      startupLinesOnly: true,
    });
    try {
      for (const target of targets(addresses)) {
        const row: Row = { engine, target: target.name };
        rows.push(row);
        process.stderr.write(`[load ${engine}] ${target.name}: ${connections} connections for ${seconds} s …\n`);
        await autocannon({ url: gateway.base, connections, duration: 2, requests: target.requests }); // warm-up
        row.rssBefore = residentMegabytes(gateway.child.pid as number);
        row.result = await autocannon({ url: gateway.base, connections, duration: seconds, requests: target.requests, timeout: 30 });
        row.rssAfter = residentMegabytes(gateway.child.pid as number);
      }
    } finally {
      await gateway.stop();
    }
  } catch (error) {
    rows.push({ engine, target: '-', error: (error as Error).message });
  } finally {
    await bench.dispose();
  }
}

export const loadSuite: BenchSuite = {
  summary: 'fixed-concurrency load on SMD components, NoCloud documents and a GraphQL tree',
  flags: {
    'load-nodes': { type: 'string', default: '2000' },
    'load-seconds': { type: 'string', default: '60' },
    'load-connections': { type: 'string', default: '16' },
  },
  usage: `  --load-nodes N       load suite: nodes in the cluster (default 2000)
  --load-seconds S     load suite: seconds per target (default 60)
  --load-connections N load suite: concurrent keep-alive connections (default 16)`,
  async run(context) {
    const rows: Row[] = [];
    for (const engine of context.engines) await loadEngine(context, engine, rows);
    const header = [
      'engine',
      'target',
      'requests',
      'req/s',
      'p50 ms',
      'p99 ms',
      'max ms',
      'errors',
      'non-2xx',
      'RSS start MB',
      'RSS end MB',
    ];
    const body = rows.map((r) => {
      const x = r.result;
      if (!x) return [r.engine, r.target, '', '', '', '', '', '', '', '', `error: ${r.error}`];
      return [
        r.engine,
        r.target,
        String(x.requests.total),
        x.requests.average.toFixed(0),
        ms(x.latency.p50),
        ms(x.latency.p99),
        ms(x.latency.max),
        String(x.errors + x.timeouts),
        String(x.non2xx),
        (r.rssBefore ?? 0).toFixed(0),
        (r.rssAfter ?? 0).toFixed(0),
      ];
    });
    console.log(
      `${context.values['load-connections']} connections, ${context.values['load-seconds']} s per target after a 2 s warm-up, ${context.values['load-nodes']} nodes`,
    );
    console.log(table(header, body));
  },
};

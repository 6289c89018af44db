// The operator console at --console-nodes nodes (10,000 by default), per engine: headless Chromium
// loads a page from a fresh browser context (cold cache, as a first visit) and the suite times how
// long until its first meaningful content is drawn — the overview's counts, a node's device page
// with its serial number, a cabinet drawn as chassis, slots and blades — measured in the page from
// navigation start. First contentful paint (the page frame) is reported beside it. Skipped when
// Chromium is absent (CHROMIUM_PATH, default /usr/bin/chromium).
import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import type { Engine } from '../../src/db/engine-schema.js';
import { generateCluster } from '../../src/fixtures/synthetic-cluster.js';
import { loadInventory } from '../../src/services/core/bulk-load.js';
import { ensureConsoleBuilt } from '../../test/console/support/console-browser.js';
import { CHROMIUM, launchChromium } from '../../test/support/browser.js';
import { createBenchDatabase } from '../lib/database.js';
import { startServer } from '../lib/server.js';
import { ms, summarize, table } from '../lib/stats.js';
import type { BenchSuite, SuiteContext } from './index.js';

const NODE = 'x1000c0s0b0n0';

interface PageCase {
  name: string;
  path: string;
  /** Evaluated in the page: true once the meaningful content is drawn. */
  ready: string;
}

const CASES: PageCase[] = [
  {
    name: 'overview',
    path: '/ui/',
    ready: `(document.querySelector('[data-testid="overview-summary"]')?.textContent ?? '').includes('nodes') && document.querySelectorAll('.cabinet-tile').length > 0`,
  },
  {
    name: 'device page',
    path: `/ui/devices/${NODE}`,
    ready: `(document.querySelector('[data-testid="serial"]')?.textContent ?? '') !== ''`,
  },
  { name: 'cabinet', path: '/ui/machine-room/cabinets/x1000', ready: `document.querySelectorAll('a.node').length > 0` },
];

interface Row {
  engine: Engine;
  page: string;
  n: number;
  meaningful: { p50: number; p95: number };
  fcp: { p50: number };
  api: { p50: number };
  error?: string;
}

const log = (message: string) => process.stderr.write(`[console] ${message}\n`);

/** Milliseconds from navigation start to the meaningful content, and the first contentful paint. */
async function timeOnce(browser: Browser, url: string, ready: string): Promise<{ meaningful: number; fcp: number; api: number }> {
  // bypassCSP: the readiness check is a string evaluated in the page, which the console's CSP refuses.
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, bypassCSP: true });
  try {
    const page = await context.newPage();
    await page.goto(url, { waitUntil: 'commit' });
    const meaningful = (await (
      await page.waitForFunction(`(${ready}) && performance.now()`, undefined, { polling: 'raf', timeout: 120_000 })
    ).jsonValue()) as number;
    const fcp = (await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? Number.NaN)) as number;
    // How much of it the gateway's answers took: the summed durations of the GraphQL requests
    // (queries, not the long-lived subscription streams, which never finish).
    const api = (await page.evaluate(() =>
      (performance.getEntriesByType('resource') as PerformanceResourceTiming[])
        .filter((entry) => entry.name.endsWith('/graphql') && entry.responseEnd > 0)
        .reduce((sum, entry) => sum + entry.duration, 0),
    )) as number;
    return { meaningful, fcp, api };
  } finally {
    await context.close();
  }
}

async function runEngine(context: SuiteContext, engine: Engine, browser: Browser, rows: Row[]): Promise<void> {
  const nodes = Number(context.values['console-nodes']);
  const iterations = Number(context.values['console-iterations']);
  const cluster = generateCluster({ nodes, seed: context.seed });
  const bench = await createBenchDatabase(engine, { pgUrl: context.pgUrl });
  try {
    const started = performance.now();
    await loadInventory({ db: bench.database.prisma, source: 'seed', actor: 'bench' }, cluster, { engine });
    log(`${engine}: ${nodes} nodes (${cluster.devices.length} devices) loaded in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    const server = await startServer(bench.database, { defaultLimits: true }); // the console lives within the default limits
    try {
      for (const pageCase of CASES) {
        const url = `${server.url}${pageCase.path}`;
        try {
          await timeOnce(browser, url, pageCase.ready); // warm-up: the server's first query plans, the OS file cache
          const samples = [];
          for (let i = 0; i < iterations; i++) samples.push(await timeOnce(browser, url, pageCase.ready));
          const meaningful = summarize(samples.map((s) => s.meaningful));
          const fcp = summarize(samples.map((s) => s.fcp));
          const api = summarize(samples.map((s) => s.api));
          log(
            `${engine} ${pageCase.name}: meaningful p50 ${ms(meaningful.p50)} ms, FCP p50 ${ms(fcp.p50)} ms, GraphQL p50 ${ms(api.p50)} ms`,
          );
          rows.push({ engine, page: pageCase.name, n: meaningful.n, meaningful, fcp, api });
        } catch (error) {
          rows.push({
            engine,
            page: pageCase.name,
            n: 0,
            meaningful: { p50: Number.NaN, p95: Number.NaN },
            fcp: { p50: Number.NaN },
            api: { p50: Number.NaN },
            error: String(error).slice(0, 120),
          });
        }
      }
    } finally {
      await server.close();
    }
  } finally {
    await bench.dispose();
  }
}

export const consoleSuite: BenchSuite = {
  summary: 'operator console: time to first meaningful paint of the overview, a device page and a cabinet (Chromium)',
  flags: {
    'console-nodes': { type: 'string', default: '10000' },
    'console-iterations': { type: 'string', default: '5' },
  },
  usage: `console suite:
  --console-nodes N       nodes in the synthetic cluster the console shows (default 10000)
  --console-iterations N  cold page loads timed per page, after one warm-up (default 5)`,
  async run(context) {
    if (!existsSync(CHROMIUM)) {
      log(`skipped: no Chromium at ${CHROMIUM} (set CHROMIUM_PATH)`);
      return;
    }
    ensureConsoleBuilt();
    const browser = await launchChromium();
    const rows: Row[] = [];
    try {
      for (const engine of context.engines) await runEngine(context, engine, browser, rows);
    } finally {
      await browser.close();
    }
    console.log(
      `\nOperator console at ${Number(context.values['console-nodes']).toLocaleString('en')} nodes: ms from navigation start, fresh browser context each load\n`,
    );
    console.log(
      table(
        ['engine', 'page', 'n', 'meaningful p50', 'meaningful p95', 'FCP p50', 'GraphQL p50', 'error'],
        rows.map((r) => [
          r.engine,
          r.page,
          String(r.n),
          ms(r.meaningful.p50),
          ms(r.meaningful.p95),
          ms(r.fcp.p50),
          ms(r.api.p50),
          r.error ?? '',
        ]),
      ),
    );
  },
};

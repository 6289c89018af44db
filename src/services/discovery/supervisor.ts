// Crawls outlive the replica that started them: at start-up, and then once per lease period,
// each replica looks for running crawls that no replica holds (never claimed, or a lease that
// lapsed because its replica stopped) and resumes them — from the start: reading a BMC twice
// is harmless, and a crawl's result is written only when it ends — or, after MAX_ATTEMPTS
// starts, marks them failed, so that no Operation is left running forever. The lease is
// claimed atomically, so one replica takes each.
import type { Db } from '../../db/client.js';
import { type CrawlHandler, type CrawlLogger, failCrawl, launchCrawl } from './crawl-runner.js';
import { type CrawlKind, loadCrawl, MAX_ATTEMPTS, orphanedCrawls } from './crawl-store.js';
import { discoveryOptionsOf } from './options.js';
import { scanCrawlHandler } from './scan-crawl.js';
import { discoverHandler } from './smd-discover.js';

const HANDLERS: Record<CrawlKind, CrawlHandler> = { scan: scanCrawlHandler, discover: discoverHandler };

export interface ResumeReport {
  resumed: string[];
  failed: string[];
}

/** Resumes (or fails, past MAX_ATTEMPTS) every crawl no replica holds. */
export async function resumeOrphanedCrawls(db: Db, logger?: CrawlLogger): Promise<ResumeReport> {
  const report: ResumeReport = { resumed: [], failed: [] };
  for (const { id, attempts } of await orphanedCrawls(db)) {
    if (attempts >= MAX_ATTEMPTS) {
      await failCrawl(db, id, `the crawl was interrupted ${attempts} times (its replica stopped); it is not resumed again`);
      logger?.warn({ operation: id, attempts }, 'crawl: interrupted too often; marked failed');
      report.failed.push(id);
      continue;
    }
    const crawl = await loadCrawl(db, id);
    if (crawl && (await launchCrawl(db, id, HANDLERS[crawl.kind], logger))) {
      logger?.info({ operation: id, attempt: attempts + 1 }, 'crawl: resumed after its replica stopped');
      report.resumed.push(id);
    }
  }
  return report;
}

/** Resumes orphaned crawls now and once per lease period; stop() ends the watch. */
export function superviseCrawls(db: Db, logger?: CrawlLogger): { stop(): void; ready: Promise<ResumeReport> } {
  const sweep = () =>
    resumeOrphanedCrawls(db, logger).catch((error) => {
      logger?.warn({ err: error }, 'crawl supervisor: cannot look for interrupted crawls; trying again later');
      return { resumed: [], failed: [] };
    });
  const ready = sweep();
  const timer = setInterval(sweep, discoveryOptionsOf(db).leaseMs);
  timer.unref();
  return { stop: () => clearInterval(timer), ready };
}

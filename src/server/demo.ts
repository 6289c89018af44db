// --demo: a small synthetic cluster in an empty database, so a first start has something to show.
import type { Database } from '../db/client.js';
import { seedDemo } from '../fixtures/seed.js';
import type { Logger } from './logger.js';

/** Loads the demo cluster into an empty database; true when it did. */
export async function loadDemoIfEmpty(database: Database, logger: Logger): Promise<boolean> {
  const outcome = await seedDemo(database);
  if (!outcome.seeded) {
    logger.info({ devices: outcome.devices }, 'demo: the database already holds an inventory, nothing loaded');
    return false;
  }
  logger.info(
    { nodes: outcome.meta.nodes, devices: outcome.meta.devices, seconds: Math.round(outcome.load.seconds * 100) / 100 },
    'demo cluster loaded',
  );
  return true;
}

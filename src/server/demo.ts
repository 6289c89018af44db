// --demo: a small synthetic cluster in an empty database, so a first start has something to show.
import type { Database } from '../db/client.js';
import type { Logger } from './logger.js';

export async function loadDemoIfEmpty(database: Database, logger: Logger): Promise<void> {
  const devices = await database.prisma.device.count();
  if (devices > 0) {
    logger.info({ devices }, 'demo: the database is not empty, nothing loaded');
    return;
  }
  logger.warn('demo: the synthetic cluster generator is not wired in yet');
}

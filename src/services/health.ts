// Whether the database answers: what /ready and SMD's service/ready report.
import type { Db } from '../db/client.js';

/** Resolves when the database answers a trivial query; rejects with the driver's error otherwise. */
export async function checkDatabase(db: Db): Promise<void> {
  await db.$queryRaw`SELECT 1`;
}

// Whether the database answers: what /ready and SMD's service/ready report.
import type { Db } from '../../db/client.js';

/** How long readiness waits for the database before calling it unavailable. */
const READY_TIMEOUT_MS = 2000;

/** Resolves when the database answers a trivial query in time; rejects otherwise. */
export async function checkDatabase(db: Db, timeoutMs = READY_TIMEOUT_MS): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the database did not answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([db.$queryRaw`SELECT 1`, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

// The `smd` export: {"<path>": <GET /hsm/v2/<path>>, ...} for every SMD collection, in the
// order an import applies them. Each collection is answered by this gateway's own /hsm/v2
// route, in-process, so a dump holds exactly what those GETs return (and what an import
// pulling from a URL reads), and is streamed out one collection at a time.
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { pino } from 'pino';
import type { RestContext } from '../../rest-compat/http/context.js';
import { createSmdRouter, SMD_PREFIX } from '../../rest-compat/smd/index.js';
import { createLogger } from '../../server/logger.js';
import { type Db, engineOf } from '../../services/core/index.js';
import { SMD_COLLECTIONS } from './collections.js';

/** A route's unexpected error is logged here (standard error: standard output may be the dump). */
let logger: pino.Logger | undefined;

async function put(out: Writable, chunk: string | Uint8Array): Promise<void> {
  if (!out.write(chunk)) await once(out, 'drain');
}

export async function writeSmdDump(db: Db, out: Writable): Promise<void> {
  logger ??= createLogger('error', pino.destination(2));
  const router = createSmdRouter();
  const ctx: RestContext = { service: { db, source: 'system' }, engine: engineOf(db), logger };
  await put(out, '{');
  for (const [i, collection] of SMD_COLLECTIONS.entries()) {
    const path = `${SMD_PREFIX}/${collection.path}`;
    const response = await router.handle(new Request(`http://export.invalid${path}`), ctx);
    if (!response.ok || !response.body)
      throw new Error(`GET ${path} answered ${response.status}: ${(await response.text()).slice(0, 500)}`);
    await put(out, `${i ? ',' : ''}\n${JSON.stringify(collection.path)}: `);
    for await (const chunk of response.body) await put(out, chunk);
  }
  await put(out, '\n}\n');
}

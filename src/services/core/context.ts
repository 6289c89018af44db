// Who and what a write is for: every service call receives one.
import type { Db } from '../../db/client.js';

/** The API family a change came through, recorded with it in the change log. */
export type ChangeSource = 'graphql' | 'smd' | 'fabrica' | 'rfd' | 'nocloud' | 'scan' | 'import' | 'seed' | 'system' | 'discovery';

export interface ServiceContext {
  db: Db;
  source: ChangeSource;
  actor?: string;
  requestId?: string;
}

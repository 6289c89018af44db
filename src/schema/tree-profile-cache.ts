// The device tree's profile per database, for the query cost limit: read once before the
// first query is weighed, then again in the background once a minute old, so that weighing a
// query never waits for SQL after the first time. Between refreshes the estimates may lag the
// store by a minute (an import's new rows count from the next refresh).
import { AsyncResource } from 'node:async_hooks';
import { type Db, readTreeProfile, type TreeProfile } from '../services/core/index.js';

/** How old a profile may be before a query starts a refresh. */
export const TREE_PROFILE_MAX_AGE_MS = 60_000;

interface Entry {
  profile?: TreeProfile;
  readAt: number;
  reading?: Promise<TreeProfile>;
}

const entries = new WeakMap<Db, Entry>();

// The statements are the gateway's own, not the request's: they run in the async context of
// this module's loading, outside any request's statement count (x-sql-statements).
const outsideRequests = new AsyncResource('tree-profile');

function refresh(db: Db, entry: Entry): Promise<TreeProfile> {
  entry.reading ??= outsideRequests.runInAsyncScope(() =>
    readTreeProfile(db).then(
      (profile) => {
        Object.assign(entry, { profile, readAt: Date.now(), reading: undefined });
        return profile;
      },
      (error: unknown) => {
        entry.reading = undefined;
        throw error;
      },
    ),
  );
  return entry.reading;
}

/** The profile of `db`'s device tree: the one in hand (refreshed in the background when old), else read now. */
export async function treeProfileOf(db: Db): Promise<TreeProfile> {
  let entry = entries.get(db);
  if (!entry) {
    entry = { readAt: 0 };
    entries.set(db, entry);
  }
  if (!entry.profile) return refresh(db, entry);
  if (Date.now() - entry.readAt > TREE_PROFILE_MAX_AGE_MS) refresh(db, entry).catch(() => undefined);
  return entry.profile;
}

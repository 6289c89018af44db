// Committed changes, announced to live listeners (GraphQL subscriptions), per database.
// - SQLite (one process serves a database file): write() publishes in-process after commit.
// - PostgreSQL (any number of replicas): write() sends the changes with pg_notify inside its
//   transaction, so PostgreSQL delivers them at commit, and only then, to every replica that
//   listens on the database's channel, this one included; each replica's listener publishes
//   them in-process. A listener never sees a rolled-back change on either engine.
import { createPubSub, Repeater } from 'graphql-yoga';
import type { Db, Tx } from '../../db/client.js';
import { listen, MAX_PAYLOAD_BYTES, notifyInTransaction, supportsNotifications } from '../../db/notifications.js';
import type { Change, ChangeAction } from './change-log.js';

export interface ChangeNotice {
  /** The change log's sequence number, when known (the bulk insert does not return it). */
  seq: number | null;
  action: ChangeAction;
  entityType: string;
  entityId: string;
}

type PubSub = ReturnType<typeof createPubSub<{ change: [ChangeNotice] }>>;

const feeds = new WeakMap<object, PubSub>();
let listening = 0;

function pubsubOf(db: Db): PubSub {
  let pubsub = feeds.get(db);
  if (!pubsub) feeds.set(db, (pubsub = createPubSub<{ change: [ChangeNotice] }>()));
  return pubsub;
}

type Wire = [action: ChangeAction, entityType: string, entityId: string];

/** The changes as JSON arrays of [action, entityType, entityId], each under NOTIFY's limit. */
export function encodeChanges(changes: readonly Change[]): string[] {
  const payloads: string[] = [];
  let batch: string[] = [];
  let size = 2;
  for (const { action, entityType, entityId } of changes) {
    const item = JSON.stringify([action, entityType, entityId] satisfies Wire);
    if (size + item.length + 1 > MAX_PAYLOAD_BYTES && batch.length) {
      payloads.push(`[${batch.join(',')}]`);
      batch = [];
      size = 2;
    }
    batch.push(item);
    size += Buffer.byteLength(item) + 1;
  }
  if (batch.length) payloads.push(`[${batch.join(',')}]`);
  return payloads;
}

function deliver(db: Db, wires: readonly Wire[]): void {
  const pubsub = pubsubOf(db);
  for (const [action, entityType, entityId] of wires) pubsub.publish('change', { seq: null, action, entityType, entityId });
}

/** Inside the write's transaction: on PostgreSQL, queues the notifications for commit. */
export async function announceChanges(tx: Tx, db: Db, changes: readonly Change[]): Promise<void> {
  if (changes.length && supportsNotifications(db)) await notifyInTransaction(tx, db, encodeChanges(changes));
}

/** After commit: on SQLite, tells this process's listeners (PostgreSQL delivers by itself). */
export function publishChanges(db: Db, changes: readonly Change[]): void {
  if (!supportsNotifications(db))
    deliver(
      db,
      changes.map((c) => [c.action, c.entityType, c.entityId]),
    );
}

/**
 * Starts hearing other replicas' changes (PostgreSQL). Resolves once listening, or after
 * `waitMs` while the database cannot be reached (the listener keeps retrying by itself).
 */
export function startChangeFeed(
  db: Db,
  onState?: (state: 'listening' | 'lost', error?: unknown) => void,
  waitMs = 5000,
): Promise<{ close(): Promise<void> }> {
  if (!supportsNotifications(db)) return Promise.resolve({ close: async () => undefined });
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(listener), waitMs);
    const listener = listen(
      db,
      (payload) => {
        try {
          deliver(db, JSON.parse(payload) as Wire[]);
        } catch {
          // Not ours (someone NOTIFYing our channel by hand): nothing to deliver.
        }
      },
      (state, error) => {
        onState?.(state, error);
        if (state === 'listening') {
          clearTimeout(timer);
          resolve(listener);
        }
      },
    );
  });
}

/**
 * Every change committed from now on, until the caller calls return(). A Repeater, not an
 * async generator: a generator waiting for the next change would only see return() after it.
 */
export function subscribeChanges(db: Db): Repeater<ChangeNotice> {
  return new Repeater(async (push, stop) => {
    const source = pubsubOf(db).subscribe('change');
    listening++;
    void stop.then(() => source.return?.());
    try {
      for await (const notice of source) await push(notice);
    } finally {
      listening--;
    }
    stop();
  });
}

/** How many listeners are attached (for metrics and for tests that must not publish too early). */
export function changeListenerCount(): number {
  return listening;
}

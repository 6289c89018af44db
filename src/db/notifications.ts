// PostgreSQL LISTEN/NOTIFY for one database: a channel name per schema (so schemas sharing a
// server never hear each other), and a dedicated listening connection that reconnects by itself
// with back-off when the database goes away. SQLite has no such thing: a SQLite database is
// served by one process, whose in-process feed is enough.
import type { Client } from 'pg';
import type { Db, Tx } from './client.js';

interface Target {
  url: string;
  channel: string;
}

const targets = new WeakMap<object, Target>();
const open = new WeakMap<object, Set<Listener>>();

/** Called by openDatabase for a PostgreSQL client. */
export function registerNotifications(db: Db, url: string): void {
  const parsed = new URL(url);
  const schema = parsed.searchParams.get('schema') ?? 'public';
  parsed.searchParams.delete('schema');
  targets.set(db, { url: parsed.toString(), channel: `inventory_changes:${schema}`.slice(0, 63) });
}

export function supportsNotifications(db: Db): boolean {
  return targets.has(db);
}

/** Largest payload PostgreSQL accepts is 8000 bytes; chunks stay below with room to spare. */
export const MAX_PAYLOAD_BYTES = 7000;

/** Sends the payloads inside `tx`: PostgreSQL delivers them when, and only if, it commits. */
export async function notifyInTransaction(tx: Tx, db: Db, payloads: string[]): Promise<void> {
  const target = targets.get(db);
  if (!target || payloads.length === 0) return;
  await tx.$executeRawUnsafe('SELECT pg_notify($1, payload) FROM unnest($2::text[]) AS payload', target.channel, payloads);
}

export interface Listener {
  close(): Promise<void>;
}

const RETRY_MIN_MS = 200;
const RETRY_MAX_MS = 5000;

/**
 * Calls `onPayload` for every notification on the database's channel until close(). While the
 * connection is down it retries with back-off; notifications sent meanwhile are missed.
 */
export function listen(
  db: Db,
  onPayload: (payload: string) => void,
  onState?: (state: 'listening' | 'lost', error?: unknown) => void,
): Listener {
  const target = targets.get(db);
  if (!target) throw new Error('listen: not a PostgreSQL database opened by openDatabase');
  let client: Client | undefined;
  let closed = false;
  let delay = RETRY_MIN_MS;
  let timer: NodeJS.Timeout | undefined;

  const retry = (error: unknown) => {
    if (closed || timer) return;
    onState?.('lost', error);
    client?.removeAllListeners();
    void client?.end().catch(() => undefined);
    client = undefined;
    timer = setTimeout(() => {
      timer = undefined;
      void connect();
    }, delay);
    timer.unref();
    delay = Math.min(delay * 2, RETRY_MAX_MS);
  };

  const connect = async () => {
    // Imported here, not at the top: a SQLite gateway never loads the PostgreSQL driver.
    const { default: pg } = await import('pg');
    if (closed) return;
    const next = new pg.Client({ connectionString: target.url, connectionTimeoutMillis: 5000, keepAlive: true });
    next.on('error', retry);
    next.on('end', () => retry(new Error('listening connection ended')));
    next.on('notification', (message) => {
      if (message.channel === target.channel && message.payload) onPayload(message.payload);
    });
    client = next;
    try {
      await next.connect();
      await next.query(`LISTEN "${target.channel.replace(/"/g, '""')}"`);
      if (closed) return void (await next.end());
      delay = RETRY_MIN_MS;
      onState?.('listening');
    } catch (error) {
      if (client === next) retry(error);
    }
  };

  void connect();
  const listener: Listener = {
    async close() {
      closed = true;
      clearTimeout(timer);
      open.get(db)?.delete(listener);
      const last = client;
      client = undefined;
      last?.removeAllListeners();
      last?.on('error', () => undefined);
      await last?.end().catch(() => undefined);
    },
  };
  if (!open.has(db)) open.set(db, new Set());
  open.get(db)?.add(listener);
  return listener;
}

/** Closes every listener of `db` (when the database closes). */
export async function closeListeners(db: Db): Promise<void> {
  await Promise.all([...(open.get(db) ?? [])].map((l) => l.close()));
}

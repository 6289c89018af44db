// SMD's state change notifications (SCNs), delivered: after a write commits, each component
// change that a subscription's triggers select is POSTed to the subscriber's URL as SMD sends it
// (sm.SCNPayload: the component IDs and the new State and Flag, Enabled, SoftwareStatus, or
// Role and SubRole). Delivery is best effort, as in SMD: a bounded queue (the oldest waiting
// notification is dropped when it is full), a few attempts with a growing pause, then it gives
// up and logs. A rolled-back write sends nothing; each replica sends the writes it committed.
import type { Db } from '../../db/client.js';
import type { Change } from '../core/change-log.js';
import { onCommitted } from '../core/transaction.js';
import type { ComponentFields } from './component.js';

export interface ScnPayload {
  Components: string[];
  Enabled?: boolean;
  Flag?: string;
  Role?: string;
  SubRole?: string;
  SoftwareStatus?: string;
  State?: string;
}

export interface ScnDeliveryOptions {
  /** Most notifications waiting to be sent (default 10,000). */
  maxQueue?: number;
  /** Attempts per notification (default 4) and the first pause between them (doubled each time). */
  attempts?: number;
  retryMs?: number;
  /** How long one POST may take (default 5 s). */
  timeoutMs?: number;
  log?: (level: 'warn' | 'info', fields: Record<string, unknown>, message: string) => void;
}

/** A component as the change log holds it: the fields an SCN reports. */
type Row = Pick<ComponentFields, 'state' | 'flag' | 'enabled' | 'softwareStatus' | 'role' | 'subRole'> & { xname?: string };

interface Subscription {
  url: string;
  enabled: boolean | null;
  roles: unknown;
  subRoles: unknown;
  softwareStatus: unknown;
  states: unknown;
}

const list = (value: unknown): string[] => (Array.isArray(value) ? (value as string[]).map((v) => String(v).toLowerCase()) : []);
const has = (values: unknown, value: string | null | undefined) => value != null && list(values).includes(value.toLowerCase());

/** The SCNs one component change makes for one subscription (SMD sends one per kind of change). */
export function scnPayloads(before: Row, after: Row, subscription: Subscription): ScnPayload[] {
  const id = after.xname ?? before.xname;
  if (!id) return [];
  const out: ScnPayload[] = [];
  if ((before.state !== after.state || before.flag !== after.flag) && has(subscription.states, after.state))
    out.push({ Components: [id], Flag: after.flag, State: after.state });
  if (before.enabled !== after.enabled && subscription.enabled === true) out.push({ Components: [id], Enabled: after.enabled });
  if (before.softwareStatus !== after.softwareStatus && has(subscription.softwareStatus, after.softwareStatus))
    out.push({ Components: [id], SoftwareStatus: after.softwareStatus ?? '' });
  if (
    (before.role !== after.role || before.subRole !== after.subRole) &&
    (has(subscription.roles, after.role) || has(subscription.subRoles, after.subRole))
  )
    out.push({ Components: [id], Role: after.role ?? '', SubRole: after.subRole ?? '' });
  return out;
}

interface Delivery {
  url: string;
  payload: ScnPayload;
  attempt: number;
}

/** Starts delivering the SCNs of `db`'s committed writes; answers the stopper. */
export function startScnDelivery(db: Db, options: ScnDeliveryOptions = {}): () => void {
  const { maxQueue = 10_000, attempts = 4, retryMs = 500, timeoutMs = 5_000, log = () => {} } = options;
  const queue: Delivery[] = [];
  let sending = false;
  let stopped = false;
  let dropped = 0;

  const enqueue = (delivery: Delivery) => {
    if (queue.length >= maxQueue) {
      queue.shift();
      dropped += 1;
      if (dropped === 1 || dropped % 1000 === 0) log('warn', { dropped, maxQueue }, 'SCN queue full: the oldest notifications are dropped');
    }
    queue.push(delivery);
    void drain();
  };

  async function send(delivery: Delivery): Promise<void> {
    try {
      const reply = await fetch(delivery.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(delivery.payload),
        signal: AbortSignal.timeout(timeoutMs),
      });
      await reply.body?.cancel();
      if (reply.ok) return;
      throw new Error(`HTTP ${reply.status}`);
    } catch (error) {
      if (stopped) return;
      if (delivery.attempt + 1 >= attempts) {
        log('warn', { url: delivery.url, attempts, err: (error as Error).message }, 'SCN not delivered: giving up');
        return;
      }
      const pause = retryMs * 2 ** delivery.attempt;
      setTimeout(() => enqueue({ ...delivery, attempt: delivery.attempt + 1 }), pause).unref();
    }
  }

  async function drain(): Promise<void> {
    if (sending) return;
    sending = true;
    try {
      for (let next = queue.shift(); next && !stopped; next = queue.shift()) await send(next);
    } finally {
      sending = false;
    }
  }

  async function notify(changes: readonly Change[]): Promise<void> {
    const updates = changes.filter((c) => c.entityType === 'Component' && c.action === 'updated' && c.before && c.after);
    if (updates.length === 0) return;
    const subscriptions = await db.scnSubscription.findMany();
    for (const subscription of subscriptions)
      for (const change of updates)
        for (const payload of scnPayloads(change.before as Row, change.after as Row, subscription))
          enqueue({ url: subscription.url, payload, attempt: 0 });
  }

  const remove = onCommitted((committedDb, changes) => {
    if (committedDb !== db || stopped) return;
    notify(changes).catch((error) => log('warn', { err: (error as Error).message }, 'SCN: cannot read the subscriptions'));
  });
  return () => {
    stopped = true;
    queue.length = 0;
    remove();
  };
}

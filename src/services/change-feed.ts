// Committed changes, announced in-process to live listeners (GraphQL subscriptions). write()
// publishes only after its transaction commits, so a listener never sees a rolled-back change.
// In-process only: with several replicas a change committed on one is not seen by the others'
// listeners; that needs PostgreSQL LISTEN/NOTIFY fed from the change log (issue 7).
import { Repeater, createPubSub } from 'graphql-yoga';
import type { Change, ChangeAction } from './change-log.js';

export interface ChangeNotice {
  /** The change log's sequence number, when known (the bulk insert does not return it). */
  seq: number | null;
  action: ChangeAction;
  entityType: string;
  entityId: string;
}

const pubsub = createPubSub<{ change: [ChangeNotice] }>();
let listening = 0;

export function publishChanges(changes: readonly Change[]): void {
  for (const { action, entityType, entityId } of changes) pubsub.publish('change', { seq: null, action, entityType, entityId });
}

/**
 * Every change committed from now on, until the caller calls return(). A Repeater, not an
 * async generator: a generator waiting for the next change would only see return() after it.
 */
export function subscribeChanges(): Repeater<ChangeNotice> {
  return new Repeater(async (push, stop) => {
    const source = pubsub.subscribe('change');
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

// In-process news of a crawl's progress, so a subscriber hears it at once; subscribers also
// re-read the Operation row now and then, which is how they hear crawls run by other replicas.
import { EventEmitter } from 'node:events';

const news = new EventEmitter();
news.setMaxListeners(0);

export function announceProgress(operationId: string): void {
  news.emit(operationId);
}

/** Resolves when the operation's progress is announced, or after `ms`; `signal` ends the wait. */
export function nextProgress(operationId: string, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      news.off(operationId, done);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    news.once(operationId, done);
    signal?.addEventListener('abort', done, { once: true });
  });
}

// The mapped items of a cani document, in document order. A large file is read and mapped on a
// thread of its own (mapping-worker.ts) while the importing thread writes: parsing and mapping
// were ~10% of a 10,000-node import's time on the one thread that also runs the writes (and,
// on SQLite, the database). A small file, standard input or a request body is mapped inline:
// a thread costs tens of milliseconds to start.
import { on } from 'node:events';
import { Worker } from 'node:worker_threads';
import { revived, type TransferredError } from '../../domain/transferred-error.js';
import type { ImportSource } from '../source.js';
import { readDocument } from './document.js';
import { type MappedItem, mapItem } from './record-mapping.js';

/** Files from this size are mapped on their own thread. */
export const MAPPING_THREAD_MIN_BYTES = 1024 * 1024;
/** Records per message from the mapping thread. */
const RECORDS_PER_MESSAGE = 500;

export interface MappingWorkerData {
  path: string;
  recordsPerMessage: number;
  messagesAhead: number;
}

export type MappingMessage = { type: 'items'; items: MappedItem[] } | { type: 'done' } | { type: 'failed'; error: TransferredError };

export interface MappingOptions {
  /** Map on a thread of its own (default: for a file of MAPPING_THREAD_MIN_BYTES or more). */
  thread?: boolean;
  /**
   * Records the thread may map ahead of the reader (default 2,000): the writer's batch, so
   * that the next batch is mapped while one is written.
   */
  recordsAhead?: number;
}

export async function* mappedItems(source: ImportSource, options: MappingOptions = {}): AsyncGenerator<MappedItem> {
  const path = source.path;
  const thread = options.thread ?? (source.bytes ?? 0) >= MAPPING_THREAD_MIN_BYTES;
  if (!thread || path === undefined) {
    for await (const item of readDocument(source.open())) yield mapItem(item);
    return;
  }
  const workerData: MappingWorkerData = {
    path,
    recordsPerMessage: RECORDS_PER_MESSAGE,
    messagesAhead: Math.ceil((options.recordsAhead ?? 2000) / RECORDS_PER_MESSAGE) + 1,
  };
  const worker = new Worker(workerEntry(), { workerData });
  try {
    // A thread that fails rejects the iteration with its error; one that exits ends it.
    for await (const [message] of on(worker, 'message', { close: ['exit'] }) as AsyncIterable<[MappingMessage]>) {
      if (message.type === 'done') return;
      if (message.type === 'failed') throw revived(message.error);
      // The writer has the message's items: the thread may map one more message ahead.
      worker.postMessage(null);
      yield* message.items;
    }
    throw new Error('the cani mapping thread exited before the document was read');
  } finally {
    await worker.terminate();
  }
}

/**
 * The compiled worker next to this file; run from the TypeScript sources (development, tests),
 * the worker registers tsx first, as the process that started it did.
 */
function workerEntry(): URL {
  if (!import.meta.url.endsWith('.ts')) return new URL('./mapping-worker.js', import.meta.url);
  const tsx = import.meta.resolve('tsx/esm/api');
  const worker = new URL('./mapping-worker.ts', import.meta.url).href;
  const bootstrap = `import { register } from ${JSON.stringify(tsx)}; register(); await import(${JSON.stringify(worker)});`;
  return new URL(`data:text/javascript,${encodeURIComponent(bootstrap)}`);
}

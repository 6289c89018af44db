// The mapping thread of a large cani import (mapped-items.ts): reads the file, splits it into
// records and maps them while the importing thread writes the records before them. It runs at
// most `messagesAhead` messages (a writer's batch) ahead of the writer, so memory stays bounded
// by that, not by the file.
import { createReadStream } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { transferable } from '../../domain/transferred-error.js';
import { readDocument } from './document.js';
import type { MappingMessage, MappingWorkerData } from './mapped-items.js';
import { type MappedItem, mapItem } from './record-mapping.js';

const { path, recordsPerMessage, messagesAhead } = workerData as MappingWorkerData;
const port = parentPort as NonNullable<typeof parentPort>;

let credits = messagesAhead;
let wake: (() => void) | null = null;
/** Each message from the importing thread says it has taken one of ours. */
const onTaken = () => {
  credits++;
  wake?.();
  wake = null;
};
port.on('message', onTaken);

const post = (message: MappingMessage) => port.postMessage(message);

async function send(items: MappedItem[]): Promise<void> {
  while (credits === 0) await new Promise<void>((resolve) => (wake = resolve));
  credits--;
  post({ type: 'items', items });
}

let items: MappedItem[] = [];
try {
  let records = 0;
  for await (const item of readDocument(createReadStream(path))) {
    const mapped = mapItem(item);
    items.push(mapped);
    if (mapped.kind === 'records') records += mapped.records.length;
    if (records >= recordsPerMessage) {
      await send(items);
      items = [];
      records = 0;
    }
  }
  await send(items);
  post({ type: 'done' });
} catch (error) {
  // What was read before the error is applied first, as it would be on one thread.
  if (items.length > 0) await send(items);
  post({ type: 'failed', error: transferable(error) });
}
// Nothing left to wait for: the thread ends once its messages are sent.
port.off('message', onTaken);

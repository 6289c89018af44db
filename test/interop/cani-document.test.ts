// The cani reader's records own their strings: what the import keeps of a record (a UUID, a
// path) must not keep the file's text alive. V8 cuts substrings of 13 characters or more as
// slices of their source, which hold the whole source; kept ids would then hold every chunk of
// the file they came from.
import { Readable } from 'node:stream';
import v8 from 'node:v8';
import vm from 'node:vm';
import { expect, it } from 'vitest';
import { readDocument } from '../../src/interop/cani/document.js';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

const uuid = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;

/** A 20 MiB document of 2,000 records of 10 KiB, as a file's 64 KiB chunks (the text itself is not kept). */
function documentChunks(): Buffer[] {
  const filler = 'x'.repeat(10_000);
  const records = Array.from(
    { length: 2_000 },
    (_, i) => `"${uuid(i)}": {"id": "${uuid(i)}", "name": "node ${i}", "description": "${filler}"}`,
  );
  const bytes = Buffer.from(`{"schemaVersion": "v1alpha6", "devices": {${records.join(',')}}}`);
  return Array.from({ length: Math.ceil(bytes.length / 65_536) }, (_, i) => bytes.subarray(i * 65_536, (i + 1) * 65_536));
}

it('keeps no part of the file alive through the keys and values it hands out', async () => {
  const chunks = documentChunks();
  const kept: string[] = [];
  gc();
  const before = process.memoryUsage().heapUsed;
  for await (const item of readDocument(Readable.from(chunks))) {
    if (item.kind === 'record') kept.push(item.key, (item.value as { id: string }).id);
  }
  gc();
  const grown = process.memoryUsage().heapUsed - before;
  expect(kept).toHaveLength(4_000);
  // 4,000 strings of 36 characters are well under a megabyte; slices would hold the 20 MiB text.
  expect(grown).toBeLessThan(4 * 1024 * 1024);
});

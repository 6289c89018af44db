// Progress of an export on standard error, as imports report theirs: the bytes written so far
// about once a second while it runs, then one summary line. The counting stream passes every
// chunk on to the real output and waits for it to drain (a slow pipe slows the export, and
// memory stays flat).
import { Writable } from 'node:stream';

const REPORT_EVERY_MS = 1_000;

export interface ExportProgress {
  /** Where the exporter writes. */
  stream: Writable;
  /** Ends the counting stream (not `out`) and prints the summary. */
  finish(destination: string): Promise<void>;
}

const mebibytes = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

export function exportProgress(format: string, out: NodeJS.WritableStream, say: ((line: string) => void) | undefined): ExportProgress {
  const started = performance.now();
  let bytes = 0;
  let reported = started;
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      bytes += Buffer.byteLength(chunk);
      const now = performance.now();
      if (say && now - reported >= REPORT_EVERY_MS) {
        reported = now;
        say(`${format}: ${mebibytes(bytes)} written`);
      }
      if (out.write(chunk)) done();
      else out.once('drain', () => done());
    },
  });
  return {
    stream,
    async finish(destination) {
      await new Promise<void>((resolve, reject) => stream.end((error?: Error | null) => (error ? reject(error) : resolve())));
      const seconds = (performance.now() - started) / 1000;
      say?.(`exported ${format}: ${bytes} bytes (${mebibytes(bytes)}) to ${destination} in ${seconds.toFixed(1)} s`);
    },
  };
}

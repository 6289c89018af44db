// The NoCloud identity batches' gate: at most `limit` batches are answered at once, and a batch
// that must wait leaves as soon as one of them is done (never before, never lost).
import { describe, expect, it } from 'vitest';
import { batchGate } from '../../src/services/cloud-init/nocloud-identity.js';

function deferred() {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('batchGate', () => {
  it('holds a batch back while `limit` are in flight and lets it go when one ends, even by failing', async () => {
    const gate = batchGate(2);
    const started: string[] = [];
    const work = { a: deferred(), b: deferred(), c: deferred(), d: deferred() };
    for (const name of ['a', 'b', 'c', 'd'] as const) {
      gate.whenOpen(() => {
        started.push(name);
        gate.track(work[name].promise).catch(() => undefined);
      });
    }
    expect(started).toEqual(['a', 'b']);
    work.b.reject(new Error('the database went away'));
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual(['a', 'b', 'c']);
    work.a.resolve();
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual(['a', 'b', 'c', 'd']);
    work.c.resolve();
    work.d.resolve();
    await new Promise((resolve) => setImmediate(resolve));
    gate.whenOpen(() => started.push('e'));
    expect(started.at(-1)).toBe('e');
  });
});

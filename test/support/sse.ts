// A GraphQL subscription over Server-Sent Events, as a dashboard opens one: POST with
// Accept: text/event-stream, then each `event: next` frame's data, in order.
export interface SseStream {
  /** The next `count` events' data, or a failure after `timeoutMs`. */
  next(count: number, timeoutMs?: number): Promise<any[]>;
  /** Events received and not yet taken. */
  readonly pending: any[];
  close(): Promise<void>;
}

export async function openSse(fetchFn: (request: Request) => Promise<Response>, url: string, body: unknown): Promise<SseStream> {
  const abort = new AbortController();
  const response = await fetchFn(
    new Request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify(body),
      signal: abort.signal,
    }),
  );
  if (response.status !== 200 || !response.headers.get('content-type')?.includes('text/event-stream')) {
    throw new Error(`not an event stream: HTTP ${response.status} ${await response.text()}`);
  }
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  const pending: any[] = [];
  let buffer = '';
  const reading = (async () => {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = frame.split('\n').find((line) => line.startsWith('data:'));
        if (frame.startsWith('event: next') && data) pending.push(JSON.parse(data.slice(5)));
      }
    }
  })().catch(() => undefined);
  return {
    pending,
    async next(count, timeoutMs = 5_000) {
      const until = Date.now() + timeoutMs;
      while (pending.length < count) {
        if (Date.now() > until) throw new Error(`timed out with ${pending.length} of ${count} events: ${JSON.stringify(pending)}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      return pending.splice(0, count);
    },
    async close() {
      abort.abort();
      await reader.cancel().catch(() => undefined);
      await reading;
    },
  };
}

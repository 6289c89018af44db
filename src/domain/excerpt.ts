// A client's value inside an error message is shown as a short excerpt: an error must never
// repeat a large input back (a 10 MB field once gave a 10–20 MB 422), nor grow with the input.

/** How many characters of a value an error message shows. */
export const EXCERPT_CHARS = 64;

/** The longest error message or field path kept whole; longer ones keep their start and end. */
export const MAX_MESSAGE_CHARS = 1024;

/** The longest field path kept whole (`properties.<key>` with a key of any length). */
export const MAX_FIELD_CHARS = 256;

/** The first `chars` UTF-16 units of `text`, not splitting a surrogate pair. */
function head(text: string, chars: number): string {
  const end = /[\ud800-\udbff]/.test(text.charAt(chars - 1)) ? chars - 1 : chars;
  return text.slice(0, end);
}

/** The last `chars` UTF-16 units of `text`, not splitting a surrogate pair. */
function tail(text: string, chars: number): string {
  const start = text.length - chars;
  return text.slice(/[\udc00-\udfff]/.test(text.charAt(start)) ? start + 1 : start);
}

const size = (text: string) => `…(${Buffer.byteLength(text)} bytes)`;

/** `text` itself when short, else its first EXCERPT_CHARS characters and "…(N bytes)", N its UTF-8 size. */
export function excerpt(text: string, chars = EXCERPT_CHARS): string {
  return text.length <= chars ? text : `${head(text, chars)}${size(text)}`;
}

/**
 * A value as an error message shows it: what JSON.stringify writes ("abc", 42, null, {"a":1}),
 * a long one cut by `excerpt` (a long string keeps its opening quote and its first characters).
 */
export function quoted(value: unknown): string {
  if (typeof value === 'string') {
    // Cut before quoting: quoting a 10 MB string only to drop most of it would copy it.
    return value.length <= EXCERPT_CHARS ? JSON.stringify(value) : `${JSON.stringify(head(value, EXCERPT_CHARS))}${size(value)}`;
  }
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch {
    json = undefined; // a BigInt or a cycle: not JSON, shown as text
  }
  return excerpt(json ?? String(value));
}

/**
 * An error message (or field path) of any origin, bounded: one longer than MAX_MESSAGE_CHARS keeps
 * its start (what is wrong, where) and its end (the rule) and drops the middle, where a long
 * value sits. The last line of defence for messages that embed a value without `quoted`.
 */
export function boundedMessage(message: string, max = MAX_MESSAGE_CHARS): string {
  if (message.length <= max) return message;
  const keep = Math.floor((max - 32) / 2);
  const start = head(message, keep);
  const end = tail(message, keep);
  return `${start}…(${message.length - start.length - end.length} characters cut)…${end}`;
}

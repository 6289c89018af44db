// Streams a cani inventory document into its top-level scalars and its records, one record
// value assembled at a time: the whole document is never held (no JSON.parse of the file).
// The tokenizer runs inside the splitter, chunk by chunk, so a syntax error is reported at the
// record the splitter is in.

import { Transform, type TransformCallback } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import Assembler from 'stream-json/assembler.js';
import { jsonParser, type Token } from 'stream-json/core/parser.js';
import { ValidationError } from '../../domain/errors.js';
import { RECORD_SECTIONS, type RecordSection } from './vocabulary.js';

export type DocumentItem =
  /** A top-level member with a scalar value: schemaVersion, provider … */
  | { kind: 'header'; key: string; value: unknown }
  /** A top-level object or list that is not a record map (read past, not assembled). */
  | { kind: 'skipped'; key: string }
  /** One entry of a record map: `section.key` is its JSON path. */
  | { kind: 'record'; section: RecordSection; key: string; value: unknown }
  /** A record map has been read to its end. */
  | { kind: 'end'; section: RecordSection };

const SECTION_NAMES = new Set<string>(RECORD_SECTIONS);

/** stream-chain's "no more input" value, which flushes the tokenizer (a registered symbol). */
const END_OF_INPUT = Symbol.for('object-stream.none') as never;

type Tokenizer = (text: string) => { values: Token[] } | symbol;

/** The most text tokenized in one call (see feed). */
const PIECE = 4096;

/**
 * A copy of a key or string value that does not refer to the text it was read from. V8 keeps a
 * substring of 13 characters or more as a slice of its source, so every id, name or path kept
 * from a record (who waits for a parent, an interface index entry) would keep the 64 KiB of the file
 * it was cut from alive: the text of a 10,000-node file was 78 of the 182 MiB an import had live.
 * A new string is made by joining and cutting it again (` ${s}` is flattened to a fresh
 * string by the slice, which refers to that fresh string only).
 */
const detached = (value: string) => (value.length < 13 ? value : ` ${value}`.slice(1));

/**
 * Bytes in, items out. Depth 1 is the document object, depth 2 a section map, depth 3 and
 * deeper a record value (handed to an Assembler); subtrees of other members are skipped.
 */
class ItemSplitter extends Transform {
  private readonly tokenize = jsonParser({ streamValues: false }) as unknown as Tokenizer;
  private readonly decoder = new StringDecoder('utf8');
  private bytes = 0;
  private depth = 0;
  private topKey: string | null = null;
  private section: RecordSection | null = null;
  private recordKey: string | null = null;
  private assembler: Assembler | null = null;
  private started = false;
  /** Where the parser is, for errors: "document", a member or a record's path. */
  where = 'document';

  constructor() {
    super({ readableObjectMode: true });
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    let text = this.decoder.write(chunk);
    if (this.bytes === 0 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    this.bytes += chunk.length;
    done(this.feed(text));
  }

  override _flush(done: TransformCallback): void {
    const error = this.feed(this.decoder.end(), true);
    if (error) done(error);
    else if (!this.started) done(new ValidationError('document', 'is empty: a cani inventory is a JSON object'));
    else done(this.depth === 0 ? null : new ValidationError(this.where, 'the document ends before its closing brace'));
  }

  /**
   * Tokenizes `text` a line (at most PIECE characters) at a time and consumes the tokens; the
   * tokenizer drops a piece's tokens when it throws, so small pieces keep `where` exact.
   * Answers the error that stopped it, if any.
   */
  private feed(text: string, last = false): Error | null {
    try {
      for (let start = 0; start < text.length; ) {
        const newline = text.indexOf('\n', start);
        const end = Math.min(newline < 0 ? text.length : newline + 1, start + PIECE);
        this.consumeAll(this.tokenize(text.slice(start, end)));
        start = end;
      }
      if (last) this.consumeAll(this.tokenize(END_OF_INPUT));
      return null;
    } catch (error) {
      if (error instanceof ValidationError) return error;
      // Nothing parsed yet: not JSON at all (cani's YAML configuration, a CSV export …).
      if (!this.started) return new ValidationError('document', 'is not JSON: a cani inventory is one JSON object (YAML or CSV is not)');
      return new ValidationError(this.where, `malformed JSON within the first ${this.bytes} bytes: ${(error as Error).message}`);
    }
  }

  private consumeAll(result: { values: Token[] } | symbol): void {
    if (typeof result === 'object') for (const token of result.values) this.consume(token);
  }

  private consume(token: Token): void {
    if (this.assembler) return this.assemble(token);
    const opens = token.name === 'startObject' || token.name === 'startArray';
    const closes = token.name === 'endObject' || token.name === 'endArray';
    if (this.depth === 0) {
      if (token.name !== 'startObject' || this.started) throw new ValidationError('document', 'must be one JSON object');
      this.started = true;
      this.depth = 1;
      return;
    }
    if (this.depth === 1) return this.member(token);
    if (this.depth === 2 && this.section) {
      if (token.name === 'keyValue') {
        this.recordKey = detached(token.value);
        this.where = `${this.section}.${token.value}`;
        return;
      }
      if (closes) return this.leave();
      this.assembler = new Assembler();
      return this.assemble(token);
    }
    // Inside a member that is not read: only depth matters.
    if (opens) this.depth++;
    else if (closes) this.leave();
  }

  /** A token directly inside the document object. */
  private member(token: Token): void {
    switch (token.name) {
      case 'keyValue':
        this.topKey = token.value;
        this.where = token.value;
        return;
      case 'endObject':
        this.depth = 0;
        this.topKey = null;
        this.where = 'document';
        return;
      case 'startObject':
        this.depth = 2;
        this.section = SECTION_NAMES.has(this.topKey ?? '') ? (this.topKey as RecordSection) : null;
        if (!this.section) this.pushItem({ kind: 'skipped', key: this.topKey ?? '' });
        return;
      case 'startArray':
        if (SECTION_NAMES.has(this.topKey ?? ''))
          throw new ValidationError(this.topKey as string, 'must be an object of records keyed by UUID, not a list');
        this.depth = 2;
        this.pushItem({ kind: 'skipped', key: this.topKey ?? '' });
        return;
      default:
        this.pushItem({ kind: 'header', key: this.topKey ?? '', value: (token as { value?: unknown }).value ?? null });
    }
  }

  /** Queues an item for the reader (the stream holds back more input while its queue is full). */
  private pushItem(item: DocumentItem): void {
    this.push(item);
  }

  private leave(): void {
    this.depth--;
    if (this.depth === 1) {
      if (this.section) this.pushItem({ kind: 'end', section: this.section });
      this.section = null;
      this.where = 'document';
    }
  }

  private assemble(token: Token): void {
    const assembler = this.assembler as Assembler;
    const handler = (assembler as unknown as Record<string, ((value: unknown) => void) | undefined>)[token.name];
    if (!handler) return;
    const value = (token as { value?: unknown }).value;
    handler.call(assembler, token.name === 'keyValue' || token.name === 'stringValue' ? detached(value as string) : value);
    if (!assembler.done) return;
    this.pushItem({ kind: 'record', section: this.section as RecordSection, key: this.recordKey as string, value: assembler.current });
    this.assembler = null;
    this.recordKey = null;
    this.where = this.section as string;
  }
}

/** The items of the document read from `input`, in document order. */
export async function* readDocument(input: NodeJS.ReadableStream): AsyncGenerator<DocumentItem> {
  const splitter = new ItemSplitter();
  input.on('error', (error) => splitter.destroy(error));
  input.pipe(splitter);
  try {
    for await (const item of splitter) yield item as DocumentItem;
  } finally {
    (input as unknown as { destroy?: () => void }).destroy?.();
    splitter.destroy();
  }
}

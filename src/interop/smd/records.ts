// Reads SMD collections record by record from a byte stream, assembling one record at a time
// (a dump is never held whole, nor JSON.parse'd). A collection's value is what its GET
// answers: its list, bare or under its key ({"Components": [...]}); null is an empty one.
// Malformed JSON is a ValidationError naming the record it broke in (`groups.3`) and its line.
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import Assembler from 'stream-json/assembler.js';
import { jsonParser, type Token } from 'stream-json/parser.js';
import { jsonVerifier, type VerifierError } from 'stream-json/utils/verifier.js';
import { ValidationError } from '../../domain/errors.js';
import { collectionAt, collectionPaths, type SmdCollection } from './collections.js';

export interface SmdRecord {
  collection: SmdCollection;
  /** The record's position in its collection's list. */
  index: number;
  value: unknown;
}

export type DumpItem = ({ kind: 'collection' } & Pick<SmdRecord, 'collection'>) | ({ kind: 'record' } & SmdRecord);

const opens = (t: Token) => t.name === 'startObject' || t.name === 'startArray';
const closes = (t: Token) => t.name === 'endObject' || t.name === 'endArray';

/** An object member's key (the parser packs keys: each is one keyValue token). */
function keyOf(token: Token): string {
  if (token.name !== 'keyValue') throw new Error(`unexpected ${token.name} token where an object key belongs`);
  return token.value;
}

/** stream-chain's `none`: given to a stage, it flushes what the stage still holds. */
const END_OF_TEXT = Symbol.for('object-stream.none') as unknown as string;

/** At most this many characters are tokenized at once, so a huge chunk never becomes a huge token list. */
const SLICE = 64 * 1024;

/** What the tokenizer answers: a stream-chain Many ({values}), or `none` for no tokens. */
const tokensOf = (answer: unknown): Token[] => (answer as { values?: Token[] } | null)?.values ?? [];

/**
 * The document's tokens, pulled one at a time, and where in the document they are. Each chunk
 * of text is checked by stream-json's verifier before its tokenizer sees it, and at the first
 * error only the text before it is tokenized: the tokens then run out exactly where the JSON
 * broke, so `where` names that record, and the verifier gives the line and column. (A parser
 * stream would drop a failing chunk's tokens with the error.)
 */
class Tokens {
  /** For errors: "document", a collection's path, or a record's (`groups.3`). */
  where: string;
  private readonly chunks: AsyncIterator<Buffer | string>;
  private readonly decoder = new StringDecoder('utf8');
  /** Text read but not yet tokenized. */
  private unread = '';
  private readonly verify = jsonVerifier();
  private readonly tokenize = jsonParser({ streamValues: false });
  private queue: Token[] = [];
  private position = 0;
  /** Characters tokenized so far (the verifier's offsets count characters). */
  private passed = 0;
  private broken: VerifierError | undefined;
  private ended = false;

  constructor(
    private readonly input: Readable,
    where: string,
  ) {
    this.where = where;
    this.chunks = input[Symbol.asyncIterator]();
  }

  private malformed(tokenizerError?: unknown): ValidationError {
    const found = this.broken;
    if (!found) return new ValidationError(this.where, `malformed JSON: ${(tokenizerError as Error)?.message}`);
    const reason = found.message.replace(/^ERROR at \d+ \(\d+, \d+\): (Verifier cannot parse input: )?/, '');
    return new ValidationError(this.where, `malformed JSON at line ${found.line}, column ${found.pos}: ${reason}`);
  }

  /** The next piece of text (a large chunk, such as a whole request body, in slices); undefined at the end. */
  private async read(): Promise<string | undefined> {
    if (this.unread === '') {
      const step = await this.chunks.next();
      if (step.done) return undefined;
      this.unread = typeof step.value === 'string' ? step.value : this.decoder.write(step.value);
    }
    const piece = this.unread.slice(0, SLICE);
    this.unread = this.unread.slice(SLICE);
    return piece;
  }

  /** Reads, checks and tokenizes the next piece of text. */
  private async fill(): Promise<void> {
    const piece = await this.read();
    let text = piece ?? this.decoder.end();
    if (this.passed === 0 && text.startsWith('\uFEFF')) text = text.slice(1);
    this.ended = piece === undefined;
    try {
      this.verify(text);
      if (this.ended) this.verify(END_OF_TEXT);
    } catch (error) {
      this.broken = error as VerifierError;
      text = text.slice(0, Math.max(0, this.broken.offset - this.passed));
    }
    this.passed += text.length;
    this.position = 0;
    try {
      this.queue = tokensOf(this.tokenize(text));
      if (this.ended && !this.broken) this.queue = this.queue.concat(tokensOf(this.tokenize(END_OF_TEXT)));
    } catch (error) {
      throw this.malformed(error);
    }
  }

  /** The next token; undefined at the end of the text. */
  private async pull(): Promise<Token | undefined> {
    while (this.position >= this.queue.length) {
      if (this.broken) throw this.malformed();
      if (this.ended) return undefined;
      await this.fill();
    }
    return this.queue[this.position++];
  }

  async next(): Promise<Token> {
    const token = await this.pull();
    if (!token) throw new ValidationError(this.where, 'the JSON ends before the value is complete');
    return token;
  }

  /** Reads to the end of the value `first` starts. */
  async skip(first: Token): Promise<void> {
    let depth = opens(first) ? 1 : 0;
    while (depth > 0) {
      const token = await this.next();
      if (opens(token)) depth++;
      else if (closes(token)) depth--;
    }
  }

  /** The value `first` starts, assembled. */
  async assemble(first: Token): Promise<unknown> {
    const assembler = new Assembler();
    assembler.consume(first);
    while (!assembler.done) assembler.consume(await this.next());
    return assembler.current;
  }

  /** Makes sure nothing but white space follows the document. */
  async end(): Promise<void> {
    this.where = 'document';
    if (await this.pull()) throw new ValidationError('document', 'has more JSON after its end');
  }

  close(): void {
    if (this.input !== process.stdin) this.input.destroy();
  }
}

/** The records of one collection's value (its first token already read). */
async function* collectionRecords(tokens: Tokens, collection: SmdCollection, first: Token): AsyncGenerator<SmdRecord> {
  if (first.name === 'nullValue') return;
  if (first.name === 'startArray') {
    yield* listRecords(tokens, collection);
    return;
  }
  if (first.name !== 'startObject' || !collection.listKey) {
    const shape = collection.listKey ? `{"${collection.listKey}": [...]} or a list` : 'a list';
    throw new ValidationError(collection.path, `must be ${shape}, as GET /hsm/v2/${collection.path} answers`);
  }
  for (let token = await tokens.next(); token.name !== 'endObject'; token = await tokens.next()) {
    const key = keyOf(token);
    const value = await tokens.next();
    if (key !== collection.listKey) await tokens.skip(value);
    else if (value.name === 'startArray') yield* listRecords(tokens, collection);
    else if (value.name !== 'nullValue') throw new ValidationError(`${collection.path}.${key}`, 'must be a list');
  }
}

async function* listRecords(tokens: Tokens, collection: SmdCollection): AsyncGenerator<SmdRecord> {
  for (let index = 0; ; index++) {
    tokens.where = `${collection.path}.${index}`;
    const first = await tokens.next();
    if (first.name === 'endArray') break;
    yield { collection, index, value: await tokens.assemble(first) };
  }
  tokens.where = collection.path;
}

/**
 * The collections and records of a dump, in the document's order: each collection is announced
 * before its records (an empty one too). An unknown or repeated key is refused.
 */
export async function* readDump(input: Readable): AsyncGenerator<DumpItem> {
  const tokens = new Tokens(input, 'document');
  try {
    const first = await tokens.next();
    if (first.name !== 'startObject')
      throw new ValidationError('document', `must be a JSON object keyed by SMD collection (${collectionPaths()})`);
    const seen = new Set<string>();
    for (let token = await tokens.next(); token.name !== 'endObject'; token = await tokens.next()) {
      const path = keyOf(token);
      const collection = collectionAt(path);
      if (!collection) throw new ValidationError(path, `is not an SMD collection (the keys of a dump are ${collectionPaths()})`);
      if (seen.has(path)) throw new ValidationError(path, 'appears twice in the document');
      seen.add(path);
      tokens.where = path;
      yield { kind: 'collection', collection };
      for await (const record of collectionRecords(tokens, collection, await tokens.next())) yield { kind: 'record', ...record };
      tokens.where = 'document';
    }
    await tokens.end();
  } finally {
    tokens.close();
  }
}

/** The records of one GET answer (a collection pulled from a running SMD). */
export async function* readAnswer(input: Readable, collection: SmdCollection): AsyncGenerator<SmdRecord> {
  const tokens = new Tokens(input, collection.path);
  try {
    yield* collectionRecords(tokens, collection, await tokens.next());
    await tokens.end();
  } finally {
    tokens.close();
  }
}

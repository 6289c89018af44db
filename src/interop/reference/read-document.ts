// Reads the reference repository as ONE JSON document, streamed (memory holds one node at a
// time, whatever the document's size):
//   { "uid": "chameleoncloud", "type": "grid", …,
//     "sites": [ { "uid": "uc", "type": "site", …,
//                  "clusters": [ { "uid": "chameleon", "type": "cluster", …,
//                                  "nodes": [ { "uid": "…", "type": "node", … } ] } ],
//                  "flavors": [ { "uid": "m1.tiny", "type": "vm_flavor", … } ] } ] }
// Each record's uid must come before its lists of children (the export writes lists last);
// fields after a list are applied when the record ends. A document without "sites" is not a
// reference repository.
import type { Readable } from 'node:stream';
import { parserStream } from 'stream-json';
import type { Json, JsonObject } from '../../codecs/reference/codec.js';
import { ValidationError } from '../../domain/errors.js';
import type { ReferenceEvent } from './events.js';

interface Token {
  name: string;
  value?: unknown;
}

/** Pulls tokens one by one; the stream's end or a parse error is a ValidationError on the document. */
class Tokens {
  private readonly iterator: AsyncIterator<Token>;

  constructor(stream: Readable) {
    const tokens = stream.pipe(parserStream({ streamValues: false }));
    stream.on('error', (error) => tokens.destroy(error));
    this.iterator = tokens[Symbol.asyncIterator]();
  }

  async next(): Promise<Token> {
    let step: IteratorResult<Token>;
    try {
      step = await this.iterator.next();
    } catch (error) {
      throw new ValidationError('document', `is not valid JSON: ${(error as Error).message}`);
    }
    if (step.done) throw new ValidationError('document', 'ends before its last object is closed');
    return step.value;
  }

  async close(): Promise<void> {
    await this.iterator.return?.();
  }
}

async function readValue(tokens: Tokens, token: Token): Promise<Json> {
  switch (token.name) {
    case 'startObject': {
      const object: JsonObject = {};
      for (let key = await tokens.next(); key.name !== 'endObject'; key = await tokens.next()) {
        // defineProperty: a "__proto__" key is data, as JSON.parse makes it.
        Object.defineProperty(object, String(key.value), {
          value: await readValue(tokens, await tokens.next()),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return object;
    }
    case 'startArray': {
      const list: Json[] = [];
      for (let item = await tokens.next(); item.name !== 'endArray'; item = await tokens.next()) list.push(await readValue(tokens, item));
      return list;
    }
    case 'numberValue':
      return Number(token.value);
    case 'stringValue':
    case 'nullValue':
    case 'trueValue':
    case 'falseValue':
      return token.value as Json;
    default:
      throw new ValidationError('document', `unexpected ${token.name} token`);
  }
}

type Kind = ReferenceEvent['kind'];
/** The lists of children each kind of record holds, by key. */
const CHILDREN: Partial<Record<Kind, Record<string, Kind>>> = {
  grid: { sites: 'site' },
  site: { clusters: 'cluster', flavors: 'flavor' },
  cluster: { nodes: 'node' },
};

interface Place {
  site?: string;
  cluster?: string;
}

function event(kind: Kind, record: JsonObject, where: string, place: Place): ReferenceEvent {
  if (kind === 'cluster' || kind === 'flavor') return { kind, record, where, site: place.site as string };
  if (kind === 'node') return { kind, record, where, site: place.site as string, cluster: place.cluster as string };
  return { kind, record, where };
}

/** The object whose startObject was just read, its children streamed as they come. */
async function* readObject(tokens: Tokens, kind: Kind, where: string, place: Place): AsyncGenerator<ReferenceEvent> {
  const record: JsonObject = {};
  const children = CHILDREN[kind] ?? {};
  let announced = false;
  let late = false;
  for (let key = await tokens.next(); key.name !== 'endObject'; key = await tokens.next()) {
    const name = String(key.value);
    const childKind = Object.hasOwn(children, name) ? children[name] : undefined;
    if (!childKind) {
      Object.defineProperty(record, name, {
        value: await readValue(tokens, await tokens.next()),
        enumerable: true,
        writable: true,
        configurable: true,
      });
      late ||= announced;
      continue;
    }
    const listWhere = where ? `${where}.${name}` : name;
    if ((await tokens.next()).name !== 'startArray') throw new ValidationError(listWhere, 'must be a list of objects');
    const uid = record.uid;
    if (kind !== 'grid' && typeof uid !== 'string')
      throw new ValidationError(`${where}.uid`, `must come before ${name} (the document is read as a stream) and be a string`);
    if (!announced) yield event(kind, record, where || 'document', place);
    announced = true;
    const inner: Place = kind === 'site' ? { site: uid as string } : kind === 'cluster' ? { ...place, cluster: uid as string } : place;
    let index = 0;
    for (let item = await tokens.next(); item.name !== 'endArray'; item = await tokens.next(), index += 1) {
      if (item.name !== 'startObject') throw new ValidationError(`${listWhere}.${index}`, 'must be an object');
      yield* readObject(tokens, childKind, `${listWhere}.${index}`, inner);
    }
  }
  if (kind === 'grid' && !announced)
    throw new ValidationError('document', 'is not a reference repository: it has no "sites" list ({ uid, type: "grid", sites: [ … ] })');
  if (!announced || late) yield event(kind, record, where || 'document', place);
}

export async function* readDocument(stream: Readable): AsyncGenerator<ReferenceEvent> {
  const tokens = new Tokens(stream);
  try {
    if ((await tokens.next()).name !== 'startObject')
      throw new ValidationError('document', 'must be a JSON object: { uid, type: "grid", sites: [ … ] }');
    yield* readObject(tokens, 'grid', '', {});
  } finally {
    await tokens.close();
  }
}

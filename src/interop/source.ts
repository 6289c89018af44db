// Where an import reads from: a file (streamed), standard input, an in-memory document (a
// GraphQL or REST request body), or, for formats that can pull from a running service, a URL,
// or for formats kept as a tree of files (the reference repository), a directory.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { Readable } from 'node:stream';
import { ValidationError } from '../domain/errors.js';

export interface ImportSource {
  /** How errors and progress name it: a path, "standard input", "request body" or a URL. */
  readonly name: string;
  /** Set when the source is a running service (only formats that say they pull accept it). */
  readonly url?: URL;
  /** Set when the source is a directory tree (only formats that read trees accept it). */
  readonly directory?: string;
  /** A file's path, when the source is one (a large file is read on a thread of its own). */
  readonly path?: string;
  /** The document's size in bytes, when known before reading. */
  readonly bytes?: number;
  /** A fresh byte stream of the document (not for URL sources). */
  open(): Readable;
}

export function fileSource(path: string): ImportSource {
  if (path === '-') return { name: 'standard input', open: () => process.stdin };
  if (!existsSync(path)) throw new ValidationError('source', `${path}: no such file`);
  const stats = statSync(path);
  if (stats.isDirectory()) return directorySource(path);
  return { name: path, path, bytes: stats.size, open: () => createReadStream(path) };
}

export function directorySource(path: string): ImportSource {
  return {
    name: path,
    directory: path,
    open: () => {
      throw new ValidationError('source', `${path} is a directory: this format reads one file`);
    },
  };
}

export function textSource(name: string, text: string): ImportSource {
  return { name, open: () => Readable.from([Buffer.from(text)]) };
}

export function urlSource(url: URL): ImportSource {
  return {
    name: url.href,
    url,
    open: () => {
      throw new ValidationError('source', `${url.href}: this format reads files, not URLs`);
    },
  };
}

/** A CLI argument: http(s) URLs become URL sources, anything else a file ('-' is stdin). */
export function sourceFromArgument(argument: string): ImportSource {
  return /^https?:\/\//i.test(argument) ? urlSource(new URL(argument)) : fileSource(argument);
}

// Turns the configured database URL into an engine and a connection target.
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Engine } from './engine-schema.js';

export interface DatabaseTarget {
  engine: Engine;
  /** For SQLite, the absolute path of the file (or ":memory:"); for PostgreSQL, the URL. */
  url: string;
}

export const DEFAULT_DATABASE_URL = 'file:./data/inventory.db';

export class DatabaseUrlError extends Error {}

export function parseDatabaseUrl(raw: string): DatabaseTarget {
  if (raw.startsWith('file:')) {
    const path = raw.slice('file:'.length).split('?')[0];
    if (!path) throw new DatabaseUrlError(`database URL "${raw}" names no file`);
    return { engine: 'sqlite', url: path === ':memory:' ? path : resolve(path) };
  }
  if (/^postgres(ql)?:\/\//.test(raw)) return { engine: 'postgresql', url: raw };
  throw new DatabaseUrlError(`database URL "${redactUrl(raw)}" is neither a file: path (SQLite) nor a postgresql:// URL`);
}

/** Creates the folder of a SQLite file, so a first start needs no set-up. */
export function ensureSqliteFolder(target: DatabaseTarget): void {
  if (target.engine === 'sqlite' && target.url !== ':memory:') mkdirSync(dirname(target.url), { recursive: true });
}

/** The URL without its password, for logs and errors. */
export function redactUrl(raw: string): string {
  return raw.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}

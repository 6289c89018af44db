// Counts every SQL statement that reaches the database, by wrapping the Prisma driver adapter.
// The count per request (AsyncLocalStorage) makes the GraphQL query budget observable in
// tests, logs and /metrics; nothing here knows about GraphQL or HTTP.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { SqlDriverAdapter, SqlDriverAdapterFactory, Transaction } from '@prisma/driver-adapter-utils';

export interface StatementScope {
  statements: number;
}

const scopes = new AsyncLocalStorage<StatementScope>();
const listeners = new Set<() => void>();

/** Runs `fn` with a fresh statement count, which `fn` and everything it awaits adds to. */
export function withStatementScope<T>(scope: StatementScope, fn: () => T): T {
  return scopes.run(scope, fn);
}

/** Calls `listener` once for every statement executed, wherever it came from. */
export function onStatement(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function countOne(): void {
  const scope = scopes.getStore();
  if (scope) scope.statements += 1;
  for (const listener of listeners) listener();
}

function countQueries<T extends SqlDriverAdapter | Transaction>(target: T): T {
  return new Proxy(target, {
    get(obj, prop, receiver) {
      const value = Reflect.get(obj, prop, receiver);
      if (typeof value !== 'function') return value;
      if (prop === 'queryRaw' || prop === 'executeRaw') {
        return (...args: unknown[]) => {
          countOne();
          return value.apply(obj, args);
        };
      }
      if (prop === 'startTransaction') {
        return async (...args: unknown[]) => countQueries(await value.apply(obj, args));
      }
      return value.bind(obj);
    },
  });
}

export function countingAdapterFactory<F extends SqlDriverAdapterFactory>(
  factory: F,
  onConnect?: (adapter: SqlDriverAdapter) => Promise<void>,
): F {
  return new Proxy(factory, {
    get(obj, prop, receiver) {
      if (prop === 'connect') {
        return async () => {
          const adapter = await obj.connect();
          if (onConnect) await onConnect(adapter);
          return countQueries(adapter);
        };
      }
      const value = Reflect.get(obj, prop, receiver);
      return typeof value === 'function' ? value.bind(obj) : value;
    },
  });
}

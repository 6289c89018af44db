// Which executor answered a GraphQL operation: 'compiled' (one SQL statement writing the
// response, src/schema/plugins/compiled-execution.ts) or 'resolvers' (the Pothos resolvers). The
// answer says it in the x-graphql-executor header, and listeners hear it (src/server/metrics.ts
// counts graphql_operations_total by executor). Operations refused before they run (a syntax or
// validation error, a limit) have no executor and no header.
import type { Plugin } from 'graphql-yoga';

export type Executor = 'compiled' | 'resolvers';

export const EXECUTOR_HEADER = 'x-graphql-executor';

const listeners = new Set<(executor: Executor) => void>();
const executorsOf = new WeakMap<Request, Executor[]>();

/** Calls `listener` for every operation executed, by any gateway of this process. */
export function onGraphQLOperation(listener: (executor: Executor) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Records that `executor` answers an operation of `request` (the yoga context's request). */
export function reportExecutor(request: Request | undefined, executor: Executor): void {
  for (const listener of listeners) listener(executor);
  if (!request) return;
  const executors = executorsOf.get(request);
  if (executors) executors.push(executor);
  else executorsOf.set(request, [executor]);
}

/** Writes the executors of the request's operations (one, unless batched) into the header. */
export function executorHeaderPlugin(): Plugin {
  return {
    onResponse({ request, response }) {
      const executors = executorsOf.get(request);
      if (executors) response.headers.set(EXECUTOR_HEADER, executors.join(', '));
    },
  };
}

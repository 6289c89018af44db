// The console's one way to the gateway: GraphQL over fetch (graphql-request), with documents
// typed by graphql-codegen (ui/src/gql), and the deviceChanged subscription over SSE (graphql-sse,
// the protocol graphql-yoga serves). Both send the session's bearer token.
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { ClientError, GraphQLClient } from 'graphql-request';
import { createClient as createSseClient } from 'graphql-sse';
import { type DependencyList, useCallback, useEffect, useRef, useState } from 'react';
import { authHeaders } from './session';

const endpoint = new URL('/graphql', window.location.origin).toString();
const client = new GraphQLClient(endpoint, { headers: () => authHeaders() });

/** A GraphQL error as the gateway types it: message, extensions.code and extensions.field. */
export class GatewayError extends Error {
  constructor(
    message: string,
    readonly code?: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

function gatewayError(error: unknown): GatewayError {
  if (error instanceof ClientError) {
    const first = error.response.errors?.[0];
    const ext = (first?.extensions ?? {}) as { code?: string; field?: string };
    return new GatewayError(first?.message ?? `HTTP ${error.response.status}`, ext.code, ext.field);
  }
  return new GatewayError(error instanceof Error ? error.message : String(error));
}

export async function request<T, V extends object>(document: TypedDocumentNode<T, V>, variables?: V): Promise<T> {
  try {
    // graphql-request's overloads want variables only when the document has required ones.
    return await (client.request as (d: TypedDocumentNode<T, V>, v?: V) => Promise<T>)(document, variables);
  } catch (error) {
    throw gatewayError(error);
  }
}

export interface QueryState<T> {
  data: T | undefined;
  error: GatewayError | undefined;
  loading: boolean;
  reload: () => void;
}

/** Runs the query when `deps` change (skipped while `skip`); keeps the last data while reloading. */
export function useQuery<T, V extends object>(
  document: TypedDocumentNode<T, V>,
  variables: V | undefined,
  deps: DependencyList,
  skip = false,
): QueryState<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<GatewayError>();
  const [loading, setLoading] = useState(!skip);
  const [tick, setTick] = useState(0);
  const latest = useRef(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the caller names what the query depends on
  useEffect(() => {
    if (skip) {
      setLoading(false);
      return;
    }
    const run = ++latest.current;
    setLoading(true);
    request(document, variables).then(
      (result) => {
        if (run !== latest.current) return;
        setData(result);
        setError(undefined);
        setLoading(false);
      },
      (e: GatewayError) => {
        if (run !== latest.current) return;
        setError(e);
        setLoading(false);
      },
    );
  }, [...deps, skip, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data, error, loading, reload };
}

const sse = createSseClient({ url: endpoint, headers: () => authHeaders(), retryAttempts: 1000 });

/** Subscribes while mounted; `onData` gets each result's data. */
export function useSubscription<T, V extends object>(document: TypedDocumentNode<T, V>, variables: V, onData: (data: T) => void): void {
  const handler = useRef(onData);
  handler.current = onData;
  const key = JSON.stringify(variables);
  // biome-ignore lint/correctness/useExhaustiveDependencies: re-subscribes when the variables change (by value)
  useEffect(() => {
    const query = print(document);
    return sse.subscribe<T>(
      { query, variables: variables as Record<string, unknown> },
      { next: (result) => result.data && handler.current(result.data), error: () => undefined, complete: () => undefined },
    );
  }, [document, key]);
}

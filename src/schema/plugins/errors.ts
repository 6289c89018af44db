// Maps service errors to GraphQL errors with a code and the field at fault; anything
// unexpected is masked (no stack, no SQL) and logged by the caller.
import { GraphQLError } from 'graphql';
import { createGraphQLError, type Plugin, maskError as yogaMaskError } from 'graphql-yoga';
import type { Logger } from 'pino';
import { InventoryError } from '../../domain/errors.js';
import type { RequestInfo } from '../../server/request-info.js';
import { isDatabaseUnavailable, RETRY_AFTER_SECONDS } from '../../services/core/index.js';

interface MaybeWrapped {
  originalError?: unknown;
  path?: ReadonlyArray<string | number>;
}

// Unwrapped by shape, not `instanceof GraphQLError`: graphql ships CommonJS and ESM copies,
// and an error located by one is not an instance of the other's class.
export function toGraphQLError(error: unknown): GraphQLError | undefined {
  const wrapped = error as MaybeWrapped | null;
  const original = wrapped?.originalError ?? error;
  if (isDatabaseUnavailable(original)) {
    return new GraphQLError('the database is unavailable; retry shortly', {
      path: wrapped?.path,
      extensions: { code: 'SERVICE_UNAVAILABLE', http: { status: 503, headers: { 'retry-after': String(RETRY_AFTER_SECONDS) } } },
    });
  }
  if (!(original instanceof InventoryError)) return undefined;
  return new GraphQLError(original.message, {
    path: wrapped?.path,
    extensions: { code: original.code, ...(original.field ? { field: original.field } : {}) },
  });
}

/**
 * yoga's `maskError`: service errors mapped as above; GraphQL's own errors (validation, limits)
 * kept; anything else logged and answered "Unexpected error." (the original only when `expose`).
 */
export function maskUnexpectedErrors(logger: Logger, expose = false) {
  return (error: unknown, message: string, isDev?: boolean): Error => {
    const mapped = toGraphQLError(error);
    if (mapped) return mapped;
    const masked = yogaMaskError(error, message, isDev || expose);
    if (masked !== error) logger.error({ err: (error as MaybeWrapped).originalError ?? error }, 'unexpected GraphQL error');
    return masked;
  };
}

/** Adds the request id (the x-request-id of the log line) to every masked error. */
export function requestIdOnUnexpectedErrors(): Plugin<{ requestInfo?: RequestInfo }> {
  return {
    onResultProcess({ result, setResult, serverContext }) {
      const requestId = (serverContext as { requestInfo?: RequestInfo }).requestInfo?.id;
      if (!requestId || Array.isArray(result) || Symbol.asyncIterator in result || !result.errors?.length) return;
      if (!result.errors.some((e) => e.extensions?.unexpected)) return;
      const errors = result.errors.map((e) =>
        e.extensions?.unexpected
          ? createGraphQLError(e.message, {
              nodes: e.nodes,
              source: e.source,
              positions: e.positions,
              path: e.path,
              originalError: e.originalError,
              extensions: { ...e.extensions, requestId },
            })
          : e,
      );
      setResult({ ...result, errors });
    },
  };
}

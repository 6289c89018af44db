// Maps service errors to GraphQL errors with a code and the field at fault; anything
// unexpected is masked (no stack, no SQL) and logged by the caller.
import { GraphQLError } from 'graphql';
import { RETRY_AFTER_SECONDS, isDatabaseUnavailable } from '../db/unavailable.js';
import { InventoryError } from '../domain/errors.js';

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

// Maps service errors to GraphQL errors with a code and the field at fault; anything
// unexpected is masked (no stack, no SQL) and logged. Every error an answer carries has an
// extensions.code: a client's mistake (a bad cursor, global id or variable) is BAD_USER_INPUT,
// never "Unexpected error.". Client errors are logged at info without a stack; only
// unexpected ones are logged at error, with theirs.
import { PothosSchemaError, PothosValidationError } from '@pothos/core';
import { GraphQLError } from 'graphql';
import { createGraphQLError, type Plugin, type YogaLogger, maskError as yogaMaskError } from 'graphql-yoga';
import type { Logger } from 'pino';
import { InventoryError } from '../../domain/errors.js';
import { boundedMessage, quoted } from '../../domain/excerpt.js';
import type { RequestInfo } from '../../server/request-info.js';
import { ImportInProgressError, isDatabaseUnavailable, RETRY_AFTER_SECONDS } from '../../services/core/index.js';

interface MaybeWrapped {
  originalError?: unknown;
  path?: ReadonlyArray<string | number>;
  message?: string;
  extensions?: Record<string, unknown>;
}

/** GraphQL's own words for a variable the request got wrong (missing, of the wrong type …). */
const VARIABLE_ERROR = /^Variable "\$[^"]*" /;
/** plugin-relay's words for a global id whose type no node has: "<Typename> has not been implemented". */
const UNKNOWN_NODE_TYPE = /^(.*) has not been implemented$/;
/** Codes of errors that are the client's doing (the rest are the service's). */
const CLIENT_CODES = new Set([
  'BAD_USER_INPUT',
  'NOT_FOUND',
  'CONFLICT',
  'PRECONDITION_FAILED',
  'IMPORT_IN_PROGRESS',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'QUERY_LIMIT_EXCEEDED',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_ONLY',
  'PERSISTED_QUERY_ID_REQUIRED',
]);

const badInput = (message: string, path?: ReadonlyArray<string | number>) =>
  new GraphQLError(boundedMessage(message), { path, extensions: { code: 'BAD_USER_INPUT' } });

/** What a Pothos error that reaches a client means: a bad cursor or global id, or an id of a type without nodes. */
function pothosInputError(original: unknown, path?: ReadonlyArray<string | number>): GraphQLError | undefined {
  if (original instanceof PothosValidationError) return badInput(original.message, path);
  const unknownType = original instanceof PothosSchemaError ? UNKNOWN_NODE_TYPE.exec(original.message) : null;
  if (unknownType) return badInput(`id: a global id of ${quoted(unknownType[1])}, a type that has no nodes`, path);
  return undefined;
}

/** A row looked up by a client's id that is not there (plugin-prisma's node lookups use findUniqueOrThrow). */
function missingRow(original: unknown, path?: ReadonlyArray<string | number>): GraphQLError | undefined {
  const e = original as { code?: unknown; meta?: { modelName?: unknown } } | null;
  if (e?.code !== 'P2025') return undefined;
  const model = typeof e.meta?.modelName === 'string' ? e.meta.modelName : 'record';
  return new GraphQLError(`no ${model} has this id`, { path, extensions: { code: 'NOT_FOUND', field: 'id' } });
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
  const mapped = pothosInputError(original, wrapped?.path) ?? missingRow(original, wrapped?.path);
  if (mapped) return mapped;
  if (!(original instanceof InventoryError)) return undefined;
  // A conflict with another import, not with the data: worth its own code to retry on.
  const code = original instanceof ImportInProgressError ? 'IMPORT_IN_PROGRESS' : original.code;
  return new GraphQLError(original.message, {
    path: wrapped?.path,
    extensions: { code, ...(original.field ? { field: original.field } : {}) },
  });
}

/** Unexpected errors this module logged already (yoga would log them a second time). */
const logged = new WeakSet<object>();

/**
 * yoga's `maskError`: service errors mapped as above; GraphQL's own errors (validation, limits)
 * kept; anything else logged and answered "Unexpected error." (the original only when `expose`).
 */
export function maskUnexpectedErrors(logger: Logger, expose = false) {
  return (error: unknown, message: string, isDev?: boolean): Error => {
    const mapped = toGraphQLError(error);
    if (mapped) return mapped;
    const masked = yogaMaskError(error, message, isDev || expose);
    if (masked !== error) {
      logger.error({ err: (error as MaybeWrapped).originalError ?? error }, 'unexpected GraphQL error');
      if (error && typeof error === 'object') logged.add(error);
    }
    return masked;
  };
}

/**
 * yoga's logger: yoga logs every error it masks (our typed client errors included, with their
 * stacks) at error level. Here client errors become one info line with their code and message,
 * unexpected ones logged already by maskUnexpectedErrors are not logged twice, and the rest stay
 * at error.
 */
export function graphqlLogging(logger: Logger): YogaLogger {
  const forward =
    (level: 'debug' | 'info' | 'warn') =>
    (...args: unknown[]) =>
      logger[level](args.map(String).join(' '));
  return {
    debug: forward('debug'),
    info: forward('info'),
    warn: forward('warn'),
    error: (...args: unknown[]) => {
      for (const arg of args) {
        if (arg && typeof arg === 'object' && logged.has(arg)) continue;
        const typed = toGraphQLError(arg);
        const code = typed?.extensions.code;
        if (typeof code === 'string' && CLIENT_CODES.has(code)) {
          logger.info({ code, field: typed?.extensions.field, reason: typed?.message }, 'GraphQL request refused');
        } else if (code === 'SERVICE_UNAVAILABLE') {
          logger.warn({ code }, 'GraphQL request: the database is unavailable');
        } else {
          logger.error({ err: arg }, 'GraphQL error');
        }
      }
    },
  };
}

/** An error of the answer with a code: GraphQL's variable errors are the client's, anything else without one the service's. */
function withCode(error: GraphQLError): GraphQLError {
  const message = boundedMessage(error.message);
  if (typeof error.extensions?.code === 'string' && message === error.message) return error;
  const mapped = pothosInputError(error.originalError ?? error, error.path);
  const code =
    (error.extensions?.code as string | undefined) ??
    (mapped || VARIABLE_ERROR.test(error.message) ? 'BAD_USER_INPUT' : 'INTERNAL_SERVER_ERROR');
  return createGraphQLError(message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    originalError: error.originalError,
    extensions: { ...error.extensions, code },
  });
}

/**
 * Completes every error of an answer: a code on each (withCode), and the request id (the
 * x-request-id of the log line) on the masked ones.
 */
export function completeErrors(): Plugin<{ requestInfo?: RequestInfo }> {
  return {
    onResultProcess({ result, setResult, serverContext }) {
      if (Array.isArray(result) || Symbol.asyncIterator in result || !result.errors?.length) return;
      const requestId = (serverContext as { requestInfo?: RequestInfo }).requestInfo?.id;
      const errors = result.errors.map((original) => {
        const error = withCode(original);
        if (!requestId || !error.extensions?.unexpected) return error;
        return createGraphQLError(error.message, {
          nodes: error.nodes,
          source: error.source,
          positions: error.positions,
          path: error.path,
          originalError: error.originalError,
          extensions: { ...error.extensions, requestId },
        });
      });
      if (errors.some((error, i) => error !== result.errors?.[i])) setResult({ ...result, errors });
    },
  };
}

// The GraphQL endpoint: schema, per-request context, error mapping. Builds, never listens.
import { createYoga } from 'graphql-yoga';
import type { Logger } from 'pino';
import { createLoaders } from '../loaders/index.js';
import { operationAccessPlugin } from '../server/auth/index.js';
import type { RequestInfo } from '../server/request-info.js';
import type { Database } from '../services/core/index.js';
import type { GraphQLContext } from './context.js';
import { graphiqlHtml } from './graphiql.js';
import { schema } from './index.js';
import { compiledExecutionPlugins } from './plugins/compiled-execution.js';
import { completeErrors, graphqlLogging, maskUnexpectedErrors } from './plugins/errors.js';
import { executorHeaderPlugin } from './plugins/executor-report.js';
import { type GraphQLLimits, graphqlLimitPlugins } from './plugins/limits.js';
import { malformedParamsAreBadRequests } from './plugins/request-params.js';

export interface YogaOptions {
  database: Database;
  logger: Logger;
  graphiql: boolean;
  /** Show original error messages of unexpected errors (development only). */
  exposeErrors?: boolean;
  /** Query limits, persisted documents, introspection (defaults for any not given). */
  limits?: Partial<GraphQLLimits>;
  /** Check every operation against the caller's token (queries need read, mutations write). */
  requireAuth?: boolean;
}

export function createGraphQLHandler(options: YogaOptions) {
  const { database, logger } = options;
  const graphqlLogger = logger.child({ component: 'graphql' });
  return createYoga<{ requestInfo?: RequestInfo }, GraphQLContext>({
    schema,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    // The app bounds every request body before any route reads it (bounded-body.ts, per route
    // and --max-body-bytes); yoga's own 25 MB limit would wrap each body in a second stream.
    maxRequestBodySize: false,
    graphiql: options.graphiql ? { title: 'Inventory gateway' } : false,
    renderGraphiQL: graphiqlHtml,
    logging: graphqlLogging(graphqlLogger),
    maskedErrors: { maskError: maskUnexpectedErrors(logger, options.exposeErrors) },
    plugins: [
      malformedParamsAreBadRequests(),
      ...(options.requireAuth ? [operationAccessPlugin()] : []),
      ...graphqlLimitPlugins(options.limits),
      completeErrors(),
      ...compiledExecutionPlugins(graphqlLogger),
      executorHeaderPlugin(),
    ],
    context: ({ requestInfo }) => ({
      db: database.prisma,
      engine: database.engine,
      loaders: createLoaders(),
      service: { db: database.prisma, source: 'graphql', actor: requestInfo?.actor, requestId: requestInfo?.id },
    }),
  });
}

// The GraphQL endpoint: schema, per-request context, error mapping. Builds, never listens.
import { createYoga, maskError } from 'graphql-yoga';
import type { Database } from '../db/client.js';
import { createLoaders } from '../loaders/index.js';
import type { GraphQLContext } from '../schema/context.js';
import { schema } from '../schema/index.js';
import { toGraphQLError } from './graphql-errors.js';
import { graphiqlHtml } from './graphiql.js';
import type { Logger } from './logger.js';
import type { RequestInfo } from './request-info.js';

export interface YogaOptions {
  database: Database;
  logger: Logger;
  graphiql: boolean;
  /** Show original error messages of unexpected errors (development only). */
  exposeErrors?: boolean;
}

export function createGraphQLHandler(options: YogaOptions) {
  const { database, logger } = options;
  return createYoga<{ requestInfo?: RequestInfo }, GraphQLContext>({
    schema,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    graphiql: options.graphiql ? { title: 'Inventory gateway' } : false,
    renderGraphiQL: graphiqlHtml,
    logging: logger.child({ component: 'graphql' }),
    maskedErrors: {
      maskError(error, message, isDev) {
        const mapped = toGraphQLError(error);
        if (mapped) return mapped;
        logger.error({ err: (error as { originalError?: unknown }).originalError ?? error }, 'unexpected GraphQL error');
        return maskError(error, message, isDev || options.exposeErrors);
      },
    },
    context: ({ requestInfo }) => ({
      db: database.prisma,
      engine: database.engine,
      loaders: createLoaders(),
      service: { db: database.prisma, source: 'graphql', actor: requestInfo?.actor, requestId: requestInfo?.id },
    }),
  });
}

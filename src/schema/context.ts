// What every resolver receives: the database, the request's loaders and its write context.

import type { Loaders } from '../loaders/index.js';
import type { Db, Engine, ServiceContext } from '../services/core/index.js';

export interface GraphQLContext {
  db: Db;
  engine: Engine;
  loaders: Loaders;
  /** Passed to services for writes: source "graphql", the caller and the request id. */
  service: ServiceContext;
}

// What every resolver receives: the database, the request's loaders and its write context.
import type { Db } from '../db/client.js';
import type { Engine } from '../db/engine-schema.js';
import type { Loaders } from '../loaders/index.js';
import type { ServiceContext } from '../services/context.js';

export interface GraphQLContext {
  db: Db;
  engine: Engine;
  loaders: Loaders;
  /** Passed to services for writes: source "graphql", the caller and the request id. */
  service: ServiceContext;
}

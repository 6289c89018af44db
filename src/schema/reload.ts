// Mutations answer with the written row re-read with the caller's selection, so nested
// fields in a mutation's result cost the same as in a query.
import type { GraphQLContext } from './context.js';

type Model =
  | 'device'
  | 'location'
  | 'rack'
  | 'component'
  | 'interface'
  | 'cable'
  | 'group'
  | 'clusterDefaults'
  | 'groupTemplate'
  | 'instanceInfo'
  | 'redfishEndpoint'
  | 'componentEndpoint'
  | 'serviceEndpoint';

// biome-ignore lint/suspicious/noExplicitAny: the row's type depends on the model and the caller's selection
export function reload(ctx: GraphQLContext, model: Model, query: object, id: string): Promise<any> {
  return (ctx.db[model] as unknown as { findUniqueOrThrow(args: object): Promise<unknown> }).findUniqueOrThrow({
    ...query,
    where: { id },
  });
}

// What app.ts needs of a REST API family; RestRouter is the usual implementation.
import type { ChangeSource } from '../../services/core/index.js';
import type { RestContext } from './context.js';

export interface RestFamily {
  /** Recorded in the change log for writes made through this family. */
  readonly source: ChangeSource;
  /** Whether this family answers the path (its own 404 included). */
  owns(pathname: string): boolean;
  /** The route pattern for metrics, or undefined. */
  routeOf(method: string, pathname: string): string | undefined;
  handle(request: Request, ctx: RestContext): Promise<Response>;
}

// A router for one REST API family: find-my-way matches paths; the family decides how
// "no route", "wrong method" and errors look (SMD, Fabrica, RFD each have their own format).
import FindMyWay, { type HTTPVersion } from 'find-my-way';
import { ValidationError } from '../../domain/errors.js';
import { unstorableText } from '../../domain/storable-text.js';
import { type ChangeSource, isDatabaseUnavailable, RETRY_AFTER_SECONDS } from '../../services/core/index.js';
import type { RestContext } from './context.js';
import type { RestFamily } from './family.js';
import { QueryParams } from './query.js';
import { problem } from './respond.js';

export interface RestRequest {
  request: Request;
  url: URL;
  params: Record<string, string | undefined>;
  query: QueryParams;
  ctx: RestContext;
  /** The route pattern that matched, for metrics and logs. */
  route: string;
}

export type RestHandler = (req: RestRequest) => Promise<Response> | Response;

export interface FamilyBehaviour {
  notFound(req: { request: Request; url: URL }): Response;
  /** `literal` is true when the route has no parameters (SMD only sends `allow` then). */
  methodNotAllowed(allow: string[], literal: boolean, req: { request: Request; url: URL }): Response;
  onError(error: unknown, req: RestRequest): Response;
}

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'] as const;
type Method = (typeof METHODS)[number];

interface Route {
  handler: RestHandler;
  pattern: string;
}

export class RestRouter implements RestFamily {
  private readonly router = FindMyWay<HTTPVersion.V1>({ ignoreTrailingSlash: true, ignoreDuplicateSlashes: true, caseSensitive: true });

  constructor(
    /** Where the family is mounted, e.g. "/hsm/v2"; patterns below are relative to it. */
    readonly prefix: string,
    private readonly behaviour: FamilyBehaviour,
    /** Recorded in the change log for every write made through this family. */
    readonly source: ChangeSource,
  ) {}

  private readonly registered: Array<{ method: Method; pattern: string }> = [];

  on(method: Method | Method[], pattern: string, handler: RestHandler): this {
    const full = `${this.prefix}${pattern}`;
    for (const m of Array.isArray(method) ? method : [method]) {
      this.router.on(m, full, () => undefined, { handler, pattern: full } satisfies Route);
      this.registered.push({ method: m, pattern: full });
    }
    return this;
  }

  /** Every registered route (method and full find-my-way pattern), in registration order: for the API documentation. */
  routes(): ReadonlyArray<{ method: Method; pattern: string }> {
    return this.registered;
  }

  get(pattern: string, handler: RestHandler) {
    return this.on('GET', pattern, handler);
  }
  post(pattern: string, handler: RestHandler) {
    return this.on('POST', pattern, handler);
  }
  put(pattern: string, handler: RestHandler) {
    return this.on('PUT', pattern, handler);
  }
  patch(pattern: string, handler: RestHandler) {
    return this.on('PATCH', pattern, handler);
  }
  delete(pattern: string, handler: RestHandler) {
    return this.on('DELETE', pattern, handler);
  }

  /**
   * Whether a path belongs to this family. A family mounted under a prefix claims every path
   * below it (so its own 404 answers); one mounted at the root claims only its routes.
   */
  owns(pathname: string): boolean {
    if (this.prefix) return pathname === this.prefix || pathname.startsWith(`${this.prefix}/`);
    return METHODS.some((m) => this.router.find(m, pathname));
  }

  /** The matching route's pattern (for metrics), or undefined. */
  routeOf(method: string, pathname: string): string | undefined {
    return (this.router.find(method as Method, pathname)?.store as Route | undefined)?.pattern;
  }

  async handle(request: Request, ctx: RestContext): Promise<Response> {
    const url = new URL(request.url);
    const method = request.method.toUpperCase() as Method;
    const found = this.router.find(method, url.pathname);
    if (!found) {
      const allow = METHODS.filter((m) => m !== method && this.router.find(m, url.pathname));
      if (allow.length === 0) return this.behaviour.notFound({ request, url });
      const literal = !Object.keys(this.router.find(allow[0], url.pathname)?.params ?? {}).length;
      return this.behaviour.methodNotAllowed(allow, literal, { request, url });
    }
    const route = found.store as Route;
    const req: RestRequest = {
      request,
      url,
      params: found.params,
      query: new QueryParams(url.searchParams),
      ctx,
      route: route.pattern,
    };
    try {
      refuseUnstorableParameters(req);
      return await route.handler(req);
    } catch (error) {
      if (isDatabaseUnavailable(error)) {
        return problem(503, 'the database is unavailable; retry shortly', {}, { 'retry-after': String(RETRY_AFTER_SECONDS) });
      }
      return this.behaviour.onError(error, req);
    }
  }
}

/** A path or query value the store cannot hold (U+0000 …) is the client's 400 naming it, before any handler reads it. */
function refuseUnstorableParameters(req: RestRequest): void {
  const named: Array<[string, string | undefined]> = [...Object.entries(req.params), ...req.url.searchParams];
  for (const [name, value] of named) {
    const reason = unstorableText(name) ?? (value === undefined ? undefined : unstorableText(value));
    if (reason) throw new ValidationError(name, reason);
  }
}

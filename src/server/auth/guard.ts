// The gateway's one authentication gate: app.ts asks it before a REST family answers, and
// before GraphQL runs (the operation check itself is graphql-plugin.ts).
import type { RestFamily } from '../../rest-compat/http/family.js';
import { problem } from '../../rest-compat/http/respond.js';
import type { Logger } from '../logger.js';
import type { RequestInfo } from '../request-info.js';
import { bearerToken, type Caller } from './caller.js';
import { denialHeaders, deny } from './decision.js';
import type { AuthOptions } from './options.js';
import { restAccess } from './route-access.js';
import { createTokenVerifier } from './token-verifier.js';

export interface AuthGuard {
  readonly enabled: boolean;
  /** Verifies the bearer token, if any, and records the caller (and its `sub` as the actor) on `info`; undefined when auth is off. */
  identify(request: Request, info: RequestInfo): Promise<Caller | undefined>;
  /** undefined when the REST request may proceed; otherwise the 401, 403 or 503 to answer. */
  admitRest(request: Request, pathname: string, family: RestFamily, info: RequestInfo): Promise<Response | undefined>;
  /** Fetches the provider's keys now; resolves with their number (0 when auth is off). */
  fetchKeys(): Promise<number>;
}

const OPEN: AuthGuard = {
  enabled: false,
  identify: async () => undefined,
  admitRest: async () => undefined,
  fetchKeys: async () => 0,
};

export function createAuthGuard(options: AuthOptions | undefined, logger: Logger): AuthGuard {
  if (!options || options.mode === 'off') return OPEN;
  const log = logger.child({ component: 'auth' });
  const verifier = createTokenVerifier(options, (error) => log.warn({ err: error }, "cannot fetch the identity provider's keys (JWKS)"));

  async function identify(request: Request, info: RequestInfo): Promise<Caller> {
    const token = bearerToken(request.headers.get('authorization'));
    const caller: Caller = token === undefined ? { kind: 'anonymous' } : await verifier.verify(token);
    info.caller = caller;
    if (caller.kind === 'token') info.actor = caller.subject;
    else if (caller.kind === 'rejected') log.info({ requestId: info.id, reason: caller.reason }, 'bearer token refused');
    return caller;
  }

  return {
    enabled: true,
    identify,
    async admitRest(request, pathname, family, info) {
      const access = restAccess(request.method, pathname, family);
      if (access === 'public' || access === 'node') return undefined;
      const denial = deny(await identify(request, info), access);
      return denial && problem(denial.status, denial.description, {}, denialHeaders(denial));
    },
    fetchKeys: () => verifier.fetchKeys(),
  };
}

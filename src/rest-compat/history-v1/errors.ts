// The History API's error conventions: RFC 7807 problem+json everywhere, naming the field at
// fault (a query parameter or body field) in `field`.
import { InventoryError } from '../../domain/errors.js';
import { BodyError, problem } from '../http/respond.js';
import type { FamilyBehaviour, RestRequest } from '../http/router.js';

const STATUS_BY_CODE = { BAD_USER_INPUT: 400, NOT_FOUND: 404, CONFLICT: 409, PRECONDITION_FAILED: 412 } as const;

export const historyBehaviour: FamilyBehaviour = {
  notFound: ({ request, url }) => problem(404, `no route for ${request.method} ${url.pathname}`),
  methodNotAllowed: (allow) => problem(405, `method not allowed; allowed: ${allow.join(', ')}`, {}, { allow: allow.join(', ') }),
  onError(error: unknown, req: RestRequest) {
    if (error instanceof BodyError) return problem(400, error.message, { field: 'body' });
    if (error instanceof InventoryError) return problem(STATUS_BY_CODE[error.code], error.message, error.field ? { field: error.field } : {});
    req.ctx.logger.error({ err: error, route: req.route }, 'unexpected error in a History API route');
    return problem(500, 'internal error');
  },
};

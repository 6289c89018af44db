// The plain problem+json conventions of the RFD-style families (history, collection, import):
// a body that cannot be read is a 400 naming `body` (or the part of it at fault), one past the
// size limit a 413; service errors map by code and name their field; anything else is logged
// and answered as a bare 500.
import { type ErrorCode, InventoryError } from '../../domain/errors.js';
import { PayloadTooLargeError, payloadTooLargeProblem } from './bounded-body.js';
import { BodyError, problem } from './respond.js';
import type { FamilyBehaviour, RestRequest } from './router.js';

export function problemBehaviour(family: string, statusByCode: Record<ErrorCode, number>): FamilyBehaviour {
  return {
    notFound: ({ request, url }) => problem(404, `no route for ${request.method} ${url.pathname}`),
    methodNotAllowed: (allow) => problem(405, `method not allowed; allowed: ${allow.join(', ')}`, {}, { allow: allow.join(', ') }),
    onError(error: unknown, req: RestRequest) {
      if (error instanceof PayloadTooLargeError) return payloadTooLargeProblem(error);
      if (error instanceof BodyError) return problem(400, error.message, { field: error.field });
      if (error instanceof InventoryError)
        return problem(statusByCode[error.code], error.message, error.field ? { field: error.field } : {});
      req.ctx.logger.error({ err: error, route: req.route }, `unexpected error in a ${family} route`);
      return problem(500, 'internal error');
    },
  };
}

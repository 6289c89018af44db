// The Collection API's errors: problem+json throughout. A body that is not JSON is a 400; a
// payload that parses but breaks a rule is a 422 naming the field ("rawData.3.deviceType").
import { InventoryError } from '../../domain/errors.js';
import { BodyError, problem } from '../http/respond.js';
import type { FamilyBehaviour, RestRequest } from '../http/router.js';

const STATUS_BY_CODE = { BAD_USER_INPUT: 422, NOT_FOUND: 404, CONFLICT: 409, PRECONDITION_FAILED: 412 } as const;

export const collectionBehaviour: FamilyBehaviour = {
  notFound: ({ request, url }) => problem(404, `no route for ${request.method} ${url.pathname}`),
  methodNotAllowed: (allow) => problem(405, `allowed methods: ${allow.join(', ')}`, {}, { allow: allow.join(', ') }),
  onError(error: unknown, req: RestRequest) {
    if (error instanceof BodyError) return problem(400, error.message);
    if (error instanceof InventoryError) return problem(STATUS_BY_CODE[error.code], error.message, error.field ? { field: error.field } : {});
    req.ctx.logger.error({ err: error, route: req.route }, 'unexpected error in a Collection API route');
    return problem(500, 'internal error');
  },
};

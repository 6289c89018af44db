// The inventory/v1 family's error conventions in one place: RFC 7807 problem+json whose
// `field` names the input at fault (in this API's spelling) and whose `invalidParams` lists
// every bad property key. A stale revision is 412 here (the client's If-Match lost).
import { ConflictError, InventoryError, NotFoundError } from '../../domain/errors.js';
import { PROPERTY_KEY_RULE, PropertyKeyError } from '../../domain/property-keys.js';
import { BodyError, problem } from '../http/respond.js';
import type { FamilyBehaviour, RestRequest } from '../http/router.js';

/** An error that already carries its status, detail and extra problem members. */
export class InventoryV1Error extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
  }
}

// The services name the parent `parentId`; this API calls it `parentID`.
const API_FIELDS: Record<string, string> = { parentId: 'parentID' };
const apiField = (field: string) => API_FIELDS[field] ?? field;

function inventoryProblem(error: InventoryError): Response {
  const field = error.field === undefined ? undefined : apiField(error.field);
  const detail = error.field && field !== error.field ? error.message.replace(error.field, field as string) : error.message;
  const extra = field === undefined ? {} : { field };
  if (error instanceof PropertyKeyError) {
    const invalidParams = error.keys.map((key) => ({ name: `properties.${key}`, reason: PROPERTY_KEY_RULE }));
    return problem(422, detail, { field: 'properties', invalidParams });
  }
  if (error instanceof ConflictError && error.field === 'revision') return problem(412, detail, extra);
  // An unknown id in the path is 404; an unknown device a body field refers to is 422.
  if (error instanceof NotFoundError) return problem(error.field === 'id' ? 404 : 422, detail, extra);
  const status = { BAD_USER_INPUT: 422, NOT_FOUND: 404, CONFLICT: 409, PRECONDITION_FAILED: 412 }[error.code];
  return problem(status, detail, extra);
}

export const inventoryV1Behaviour: FamilyBehaviour = {
  notFound: ({ request, url }) => problem(404, `no route for ${request.method} ${url.pathname}`),
  methodNotAllowed: (allow) => problem(405, `method not allowed; allowed: ${allow.join(', ')}`, {}, { allow: allow.join(', ') }),
  onError(error: unknown, req: RestRequest) {
    if (error instanceof InventoryV1Error) return problem(error.status, error.detail, error.extra, error.headers);
    if (error instanceof BodyError) return problem(400, error.message, { field: error.field });
    if (error instanceof InventoryError) return inventoryProblem(error);
    req.ctx.logger.error({ err: error, route: req.route }, 'unexpected error in an inventory/v1 route');
    return problem(500, 'internal error');
  },
};

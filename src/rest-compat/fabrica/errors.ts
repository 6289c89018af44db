// Fabrica's error conventions in one place: every error is `{error, code}` with the HTTP
// status as `code`. Service errors name the field at fault in the spec's own spelling
// (`spec.ID`, `spec.IPAddresses.0.IPAddress`), never a database message.

import { type FieldNames, smdFieldPath } from '../../codecs/smd/index.js';
import { bareMessage } from '../../domain/bare-message.js';
import { InventoryError } from '../../domain/errors.js';
import { BodyError, json } from '../http/respond.js';
import type { FamilyBehaviour, RestRequest } from '../http/router.js';
import { PatchError } from './patch.js';

/** An error that already carries its HTTP status and text. */
export class FabricaError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export function fabricaError(status: number, error: string, headers: Record<string, string> = {}): Response {
  return json({ error, code: status }, status, headers);
}

/** Field names outside the spec keep their own path. */
const META_FIELDS = /^(metadata|labels|annotations|status|uid)(\.|$)/;

/** The field an error names, as the client spelled it: `spec.<SMD name>` or a metadata path. */
export function clientField(field: string, names: FieldNames): string {
  if (META_FIELDS.test(field)) return field;
  const path = smdFieldPath(field, names);
  return path === 'spec' || path.startsWith('spec.') ? path : `spec.${path}`;
}

/** The HTTP answer to a service error, naming the spec field through `names`. */
export function inventoryErrorResponse(error: InventoryError, names: FieldNames): Response {
  const field = error.field ? clientField(error.field, names) : undefined;
  const text = field ? `${field}: ${bareMessage(error)}` : error.message;
  switch (error.code) {
    case 'BAD_USER_INPUT':
      return fabricaError(400, `validation failed: ${text}`);
    case 'CONFLICT':
      return fabricaError(409, text);
    case 'PRECONDITION_FAILED':
      return fabricaError(412, text);
    case 'NOT_FOUND':
      // The resource addressed by the URL is missing: 404. Anything the body refers to: 400.
      return error.field === 'uid' ? fabricaError(404, error.message) : fabricaError(400, `validation failed: ${text}`);
  }
}

export const fabricaBehaviour: FamilyBehaviour = {
  notFound: ({ request, url }) => fabricaError(404, `no route for ${request.method} ${url.pathname}`),
  methodNotAllowed: (allow) => fabricaError(405, `method not allowed; allowed: ${allow.join(', ')}`, { allow: allow.join(', ') }),
  onError(error: unknown, req: RestRequest) {
    if (error instanceof FabricaError) return fabricaError(error.status, error.message);
    if (error instanceof PatchError) return fabricaError(422, `failed to apply patch: ${error.message}`);
    if (error instanceof BodyError) return fabricaError(400, `invalid request body: ${error.message}`);
    // Resource routes translate service errors with their kind's field names; this is the fallback.
    if (error instanceof InventoryError) return inventoryErrorResponse(error, {});
    req.ctx.logger.error({ err: error, route: req.route }, 'unexpected error in a Fabrica route');
    return fabricaError(500, 'internal error');
  },
};

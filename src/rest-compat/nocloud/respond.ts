// How NoCloud answers: node documents as text of the type cloud-init and OpenCHAMI use, never
// cached (one URL serves every node a different document); errors as JSON {error, code}, the
// convention of the generated metadata-service API.
import { InventoryError } from '../../domain/errors.js';
import { PatchError } from '../fabrica/patch.js';
import { BodyError, json } from '../http/respond.js';
import type { FamilyBehaviour, RestRequest } from '../http/router.js';

export const CONTENT_TYPES = {
  yaml: 'application/x-yaml',
  cloudConfig: 'text/cloud-config',
  text: 'text/plain; charset=utf-8',
} as const;

/** A node document; `no-store` because a shared cache would hand one node's document to another. */
export function nodeDocument(body: string, contentType: string): Response {
  return new Response(body, { status: 200, headers: { 'content-type': contentType, 'cache-control': 'no-store' } });
}

/** A plain-text refusal of a node request (what curl and the node's log show). */
export function nodeRefusal(status: number, message: string): Response {
  return new Response(`${message}\n`, { status, headers: { 'content-type': CONTENT_TYPES.text, 'cache-control': 'no-store' } });
}

export function errorJson(status: number, error: string, headers: Record<string, string> = {}): Response {
  return json({ error, code: status }, status, headers);
}

/** An error that already carries its HTTP status and text. */
export class NoCloudError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const INVENTORY_STATUS = { BAD_USER_INPUT: 400, NOT_FOUND: 404, CONFLICT: 409, PRECONDITION_FAILED: 412 } as const;

export const noCloudBehaviour: FamilyBehaviour = {
  notFound: ({ request, url }) => errorJson(404, `no route for ${request.method} ${url.pathname}`),
  methodNotAllowed: (allow) => errorJson(405, `method not allowed; allowed: ${allow.join(', ')}`, { allow: allow.join(', ') }),
  onError(error: unknown, req: RestRequest) {
    if (error instanceof NoCloudError) return errorJson(error.status, error.message);
    if (error instanceof BodyError) return errorJson(400, `invalid request body: ${error.message}`);
    if (error instanceof PatchError) return errorJson(422, `failed to apply patch: ${error.message}`);
    if (error instanceof InventoryError) return errorJson(INVENTORY_STATUS[error.code], error.message);
    req.ctx.logger.error({ err: error, route: req.route }, 'unexpected error in a NoCloud route');
    return errorJson(500, 'internal error');
  },
};

// SMD's error conventions in one place: RFC 7807 problem+json with SMD's status codes and
// detail texts, 404 text/plain for unknown paths, 405 with `allow` for a wrong method. The
// texts come from the SMD codec (SmdRuleError, SmdDecodeError) and the services.
import { SmdDecodeError } from '../../codecs/smd/index.js';
import { InventoryError } from '../../domain/errors.js';
import { BodyError, problem } from '../http/respond.js';
import type { FamilyBehaviour, RestRequest } from '../http/router.js';

const STATUS_BY_CODE = { BAD_USER_INPUT: 400, NOT_FOUND: 404, CONFLICT: 409, PRECONDITION_FAILED: 412 } as const;

export const smdBehaviour: FamilyBehaviour = {
  notFound: () => new Response('404 page not found\n', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } }),
  methodNotAllowed: (allow, literal) =>
    problem(405, `allow ${literal ? allow.join(', ') : ''}`.trim(), {}, literal ? { allow: allow.join(', ') } : {}),
  onError(error: unknown, req: RestRequest) {
    // SMD answers undecodable JSON with 500; a client error is a 400 here (no client relies on the 500).
    if (error instanceof BodyError || error instanceof SmdDecodeError) return problem(400, `error decoding JSON ${error.message}`);
    if (error instanceof InventoryError) return problem(STATUS_BY_CODE[error.code], error.message);
    req.ctx.logger.error({ err: error, route: req.route }, 'unexpected error in an SMD route');
    return problem(500, 'internal error');
  },
};

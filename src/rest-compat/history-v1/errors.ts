// The History API's error conventions: RFC 7807 problem+json everywhere, naming the field at
// fault (a query parameter or body field) in `field`.
import { problemBehaviour } from '../http/problem-behaviour.js';

export const historyBehaviour = problemBehaviour('History API', {
  BAD_USER_INPUT: 400,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PRECONDITION_FAILED: 412,
});

// The Collection API's errors: problem+json throughout. A body that is not JSON is a 400; a
// payload that parses but breaks a rule is a 422 naming the field ("rawData.3.deviceType").
import { problemBehaviour } from '../http/problem-behaviour.js';

export const collectionBehaviour = problemBehaviour('Collection API', {
  BAD_USER_INPUT: 422,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PRECONDITION_FAILED: 412,
});

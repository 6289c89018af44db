// The reference API's errors as FastAPI writes them: { "detail": "<text>" } for a 404 or 405,
// and for a 422 { "detail": [ { type, loc, msg, input, ctx? } ] }, one entry per bad parameter
// (loc names it: ["query", "limit"]). An input is echoed as a short excerpt at most.
import { json } from '../http/respond.js';

/** One failed check, as pydantic reports it. */
export interface Invalid {
  type: string;
  loc: [string, string];
  msg: string;
  input: unknown;
  ctx?: Record<string, unknown>;
}

const EXCERPT = 64;

/** A 404 whose detail is the original's text ("Site not found"). */
export class Missing extends Error {}

/** A 422 listing every bad parameter. */
export class Unprocessable extends Error {
  constructor(readonly errors: Invalid[]) {
    super(errors.map((e) => `${e.loc.join('.')}: ${e.msg}`).join('; '));
  }
}

export const detail = (status: number, text: string, headers: Record<string, string> = {}) => json({ detail: text }, status, headers);

export function unprocessable(errors: Invalid[]): Response {
  const shown = errors.map((e) =>
    typeof e.input === 'string' && e.input.length > EXCERPT ? { ...e, input: `${e.input.slice(0, EXCERPT)}…` } : e,
  );
  return json({ detail: shown }, 422);
}

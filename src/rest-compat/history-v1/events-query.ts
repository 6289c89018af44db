// GET /events query parameters → the service's event filter; a bad one is a 400 naming it.
// `subtree=true` (a gateway extension) adds the events of every device below the subject.
import { ValidationError } from '../../domain/errors.js';
import { parseIntParam, parseTime } from '../../domain/time.js';
import type { EventFilter } from '../../services/history/index.js';
import type { QueryParams } from '../http/query.js';
import { parseEventType } from './cloudevent.js';

export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 1000;

function parseFlag(value: string | undefined, field: string): boolean {
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  throw new ValidationError(field, `must be true or false (got ${JSON.stringify(value)})`);
}

export function eventFilter(query: QueryParams): EventFilter {
  const type = query.get('type');
  const since = query.get('since');
  const until = query.get('until');
  const after = query.get('after');
  const limit = query.get('limit');
  return {
    subject: query.get('subject') || undefined,
    subtree: parseFlag(query.get('subtree'), 'subtree'),
    ...(type ? parseEventType(type) : {}),
    since: since === undefined ? undefined : parseTime(since, 'since'),
    until: until === undefined ? undefined : parseTime(until, 'until'),
    after: after === undefined ? undefined : parseIntParam(after, 'after', 0),
    limit: limit === undefined ? DEFAULT_LIMIT : parseIntParam(limit, 'limit', 1, MAX_LIMIT),
  };
}

// SMD's errors as values. SmdRuleError carries the text SMD itself answers ("no such xname.",
// "Argument was not a valid HMS State") and a code the SMD family maps to SMD's status (400,
// 404, 409); SmdDecodeError is a body value of the wrong JSON type, worded as Go's
// encoding/json words it. The SMD services throw SmdRuleError too, for the rules they own.
import { type ErrorCode, InventoryError } from '../../domain/errors.js';

/** An SMD rule violation whose message is SMD's own wording, without any per-endpoint prefix. */
export class SmdRuleError extends InventoryError {
  constructor(message: string, code: ErrorCode = 'BAD_USER_INPUT', field?: string) {
    super(code, message, field);
  }
}

/**
 * A body value of the wrong JSON type ("json: cannot unmarshal string into Go struct field
 * sm.NodeMap.NID of type int"); SMD answers it 400 "error decoding JSON <message>".
 */
export class SmdDecodeError extends InventoryError {
  constructor(message: string, field?: string) {
    super('BAD_USER_INPUT', message, field);
  }
}

export const smdBadRequest = (text: string) => new SmdRuleError(text);
export const smdNotFound = (text: string) => new SmdRuleError(text, 'NOT_FOUND');
export const smdConflict = (text: string) => new SmdRuleError(text, 'CONFLICT');

/** Texts several SMD resources answer. */
export const SMD_TEXTS = {
  noSuchXname: 'no such xname.',
  noEntriesToDelete: 'no entries to delete',
  invalidXname: 'invalid xname',
  invalidXnameId: 'invalid xname ID',
  notAnXnameId: 'Argument was not a valid xname ID',
  notAnHmsType: 'Argument was not a valid HMS Type',
  notRfc3339: 'bad query param: Argument was not in a valid RFC3339 time format',
  noPatchField: 'Request must have at least one patch field.',
  xnameMismatch: 'xname in URL and PUT body do not match',
} as const;

/** The detail SMD gives per error code: a text, or a function of the service's error. */
export type SmdTexts = Partial<Record<ErrorCode, string | ((error: InventoryError) => string)>>;

/**
 * A service error in SMD's words: `texts` gives the detail per error code; errors of other
 * codes, and anything that is not an InventoryError, come back as they are.
 */
export function smdErrorOf(error: unknown, texts: SmdTexts): unknown {
  if (!(error instanceof InventoryError)) return error;
  const text = texts[error.code];
  if (text === undefined) return error;
  return new SmdRuleError(typeof text === 'function' ? text(error) : text, error.code, error.field);
}

/** SMD's "deleted N entries" answer of the Inventory collections: 404 when there was nothing. */
export function deletedText(count: number): string {
  if (count === 0) throw smdNotFound(SMD_TEXTS.noEntriesToDelete);
  return count === 1 ? 'deleted 1 entry' : `deleted ${count} entries`;
}

/** The State collections (components, node and power maps) say "entries" even for one. */
export function deletedAllText(count: number): string {
  if (count === 0) throw smdNotFound(SMD_TEXTS.noEntriesToDelete);
  return `deleted ${count} entries`;
}

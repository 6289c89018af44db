// Errors are values with a code and the field they concern. Each API family maps them to
// its own format in one place (GraphQL: extensions.code/field; REST: problem+json). A message
// or field never carries more than an excerpt of a client's value (excerpt.ts), whoever wrote it.
import { bareMessage } from './bare-message.js';
import { boundedMessage, MAX_FIELD_CHARS, quoted } from './excerpt.js';

export type ErrorCode = 'BAD_USER_INPUT' | 'NOT_FOUND' | 'CONFLICT' | 'PRECONDITION_FAILED';

export class InventoryError extends Error {
  /** The input field at fault, as a dotted path ("serialNumber", "properties.BadKey"). */
  readonly field?: string;

  constructor(
    readonly code: ErrorCode,
    message: string,
    field?: string,
  ) {
    super(boundedMessage(message));
    this.name = new.target.name;
    // A path holds the client's keys (a property key, a record key), which can be any length.
    this.field = field === undefined ? undefined : boundedMessage(field, MAX_FIELD_CHARS);
  }
}

export class ValidationError extends InventoryError {
  constructor(field: string, message: string) {
    super('BAD_USER_INPUT', `${field}: ${message}`, field);
  }
}

export class NotFoundError extends InventoryError {
  constructor(entity: string, id: string, field = 'id') {
    super('NOT_FOUND', `${entity} ${quoted(id)} does not exist`, field);
  }
}

export class ConflictError extends InventoryError {
  constructor(field: string, message: string) {
    super('CONFLICT', message, field);
  }
}

/**
 * The same error naming another field (a list writer's item path put before it, say): its kind,
 * code and message kept; an error of another kind keeps its code as a plain InventoryError.
 */
export function onField(error: InventoryError, field: string | undefined): InventoryError {
  const message = bareMessage(error);
  if (field !== undefined && error instanceof ValidationError) return new ValidationError(field, message);
  if (field !== undefined && error instanceof ConflictError) return new ConflictError(field, message);
  return new InventoryError(error.code, message, field);
}

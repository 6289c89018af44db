// Errors are values with a code and the field they concern. Each API family maps them to
// its own format in one place (GraphQL: extensions.code/field; REST: problem+json).

export type ErrorCode = 'BAD_USER_INPUT' | 'NOT_FOUND' | 'CONFLICT' | 'PRECONDITION_FAILED';

export class InventoryError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** The input field at fault, as a dotted path ("serialNumber", "properties.BadKey"). */
    readonly field?: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class ValidationError extends InventoryError {
  constructor(field: string, message: string) {
    super('BAD_USER_INPUT', `${field}: ${message}`, field);
  }
}

export class NotFoundError extends InventoryError {
  constructor(entity: string, id: string, field = 'id') {
    super('NOT_FOUND', `${entity} ${JSON.stringify(id)} does not exist`, field);
  }
}

export class ConflictError extends InventoryError {
  constructor(field: string, message: string) {
    super('CONFLICT', message, field);
  }
}

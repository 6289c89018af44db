// An error carried across a thread boundary (a worker's postMessage): structured cloning keeps
// an Error's message but not its class, code or field, which decide how every face reports it.
import { bareMessage } from './bare-message.js';
import { type ErrorCode, InventoryError, ValidationError } from './errors.js';

export interface TransferredError {
  name: string;
  message: string;
  code?: ErrorCode;
  field?: string;
  stack?: string;
}

export function transferable(error: unknown): TransferredError {
  if (error instanceof InventoryError) return { name: error.name, message: error.message, code: error.code, field: error.field };
  const { name = 'Error', message = String(error), stack } = error instanceof Error ? error : {};
  return { name, message, stack };
}

/** The error as the thread that threw it had it: a ValidationError as one, any other InventoryError with its code and field. */
export function revived(transferred: TransferredError): Error {
  const { name, message, code, field, stack } = transferred;
  if (code === undefined) return Object.assign(new Error(message), { name, stack: stack ?? message });
  const error = new InventoryError(code, message, field);
  if (name !== 'ValidationError' || field === undefined) return error;
  return new ValidationError(field, bareMessage(error));
}

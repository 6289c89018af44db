// An InventoryError's message without the "field: " ValidationError puts before it, for the
// families that name the field their own way ("spec.ID: …", "couldn't validate …: <reason>").
import type { InventoryError } from './errors.js';

export function bareMessage(error: InventoryError): string {
  return error.field && error.message.startsWith(`${error.field}: `) ? error.message.slice(error.field.length + 2) : error.message;
}

// Ids in GraphQL arguments: a Relay global id of the expected type, or the row's raw UUID.
import { decodeGlobalID } from '@pothos/plugin-relay';
import { ValidationError } from '../domain/errors.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function rowId(id: string, typename: string, field = 'id'): string {
  if (UUID.test(id)) return id.toLowerCase();
  try {
    const decoded = decodeGlobalID(id);
    if (decoded.typename === typename) return decoded.id;
  } catch {
    // not a global id: reported below
  }
  throw new ValidationError(field, `must be a ${typename} id (a global id or a UUID), got ${JSON.stringify(id)}`);
}

export function optionalRowId(id: string | null | undefined, typename: string, field: string): string | null | undefined {
  return id == null ? id : rowId(id, typename, field);
}

// GraphQL lets a client send null for any optional input field. Where a service takes null (it
// clears the value) it is passed on; for the fields a service cannot clear (a component's state,
// an endpoint's enabled flag, a device's type) null is refused here, naming the field, so that
// the input reaches the service with the type the service declares. The services refuse such a
// null too (REST bodies are any JSON); this is where GraphQL's input type meets theirs.
import { ValidationError } from '../domain/errors.js';

/** `T` with null taken out of the fields `K`. */
type WithoutNull<T, K extends keyof T> = T & { [P in K]?: Exclude<T[P], null> };

/** Refuses null in any of `fields` of `input`; `path` names the item of a list ("components.3"). */
export function refuseNulls<T extends object, K extends keyof T & string>(
  input: T,
  fields: readonly K[],
  path?: string,
): asserts input is WithoutNull<T, K> {
  for (const field of fields) {
    if (input[field] === null) throw new ValidationError(path ? `${path}.${field}` : field, 'cannot be null; omit it instead');
  }
}

/** refuseNulls on every item of the list argument `listField`. */
export function refuseNullsInList<T extends object, K extends keyof T & string>(
  items: readonly T[],
  fields: readonly K[],
  listField: string,
): asserts items is WithoutNull<T, K>[] {
  items.forEach((item, i) => {
    refuseNulls(item, fields, `${listField}.${i}`);
  });
}

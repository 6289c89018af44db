// Errors of list writers: a bulk writer checks a whole list, and the item at fault is named by
// its index through the caller's hook (an importer turns it into its record's path and field).
import type { InventoryError } from '../../domain/errors.js';

/** A bulk writer's hook that turns an item's error into the caller's (naming its record). */
export type ItemError = (index: number, error: InventoryError) => unknown;
export const itemErrorAsIs: ItemError = (_index, error) => error;

/** Runs `check` for each input, in order; the first error is named by its item. */
export function eachChecked<I, T>(inputs: readonly I[], check: (input: I, index: number) => T, itemError: ItemError): T[] {
  return inputs.map((input, index) => {
    try {
      return check(input, index);
    } catch (error) {
      throw itemError(index, error as InventoryError);
    }
  });
}

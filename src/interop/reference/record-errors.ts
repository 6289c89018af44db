// An error met while applying one record, re-said so it names the record (node uid, site,
// cluster), where it was read (file or document path) and the field as the source spells it.
import { InventoryError } from '../../domain/errors.js';
import { translateDatabaseError } from '../../services/core/index.js';

/** A column or input field of the store → the source key it came from. */
export type FieldNames = Record<string, string>;

/** Renames the field of an error thrown by `work` (a service writer) to the source's spelling. */
export async function asSourceField<T>(prefix: string, names: FieldNames, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const known = translateDatabaseError(error);
    if (!(known instanceof InventoryError)) throw error;
    const field = known.field ?? '';
    const source = names[field] ?? (field.startsWith('properties.') ? field.slice('properties.'.length) : field);
    const renamed = [prefix, source].filter(Boolean).join('.');
    const message = field && known.message.startsWith(`${field}: `) ? known.message.slice(field.length + 2) : known.message;
    throw new InventoryError(known.code, `${renamed}: ${message}`, renamed);
  }
}

/**
 * Names the record: the message starts with what and where ("node 1b2c… (sites/uc/…/1b2c….json)")
 * and the field becomes its path in the tree ("sites.uc.clusters.chameleon.nodes.1b2c….network_adapters.1.mac").
 */
export async function inRecord<T>(label: string, where: string, recordPath: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const known = translateDatabaseError(error);
    if (!(known instanceof InventoryError)) throw error;
    const field = known.field ? `${recordPath}.${known.field}` : recordPath;
    const message = known.field && !known.message.startsWith(`${known.field}: `) ? `${known.field}: ${known.message}` : known.message;
    throw new InventoryError(known.code, `${label} (${where}): ${message}`, field);
  }
}

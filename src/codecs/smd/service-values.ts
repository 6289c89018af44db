// SMD's /service/values: the enumerations clients validate against, by SMD's names.
import { componentRoles, componentSubRoles } from '../../domain/site-roles.js';
import { ARCHES, CLASSES, COMPONENT_FLAGS, COMPONENT_STATES, NET_TYPES } from '../../domain/vocabulary.js';
import { HMS_TYPES } from '../../domain/xname.js';
import { smdNotFound } from './errors.js';

/** Every list, Role and SubRole with the site's additions (hms_config.json) after SMD's base values. */
export function serviceValues(): Readonly<Record<string, readonly string[]>> {
  return {
    Arch: ARCHES,
    Class: CLASSES,
    Flag: COMPONENT_FLAGS,
    NetType: NET_TYPES,
    Role: componentRoles(),
    SubRole: componentSubRoles(),
    State: COMPONENT_STATES,
    Type: HMS_TYPES,
  };
}

/** /service/values/{name}: the one list, its name matched case-insensitively. */
export function serviceValuesJson(name: string): Record<string, readonly string[]> {
  const values = serviceValues();
  const key = Object.keys(values).find((k) => k.toLowerCase() === name.toLowerCase());
  if (!key) throw smdNotFound(`no such value list: ${name}`);
  return { [key]: values[key] };
}

/** /service/ready when the database does not answer (a 503). */
export const unhealthyText = (error: Error) => `HSM's database is unhealthy: ${error.message.split('\n')[0]}`;

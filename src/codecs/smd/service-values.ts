// SMD's /service/values: the enumerations clients validate against, by SMD's names.
import {
  ARCHES,
  CLASSES,
  COMPONENT_FLAGS,
  COMPONENT_ROLES,
  COMPONENT_STATES,
  COMPONENT_SUBROLES,
  NET_TYPES,
} from '../../domain/vocabulary.js';
import { HMS_TYPES } from '../../domain/xname.js';
import { smdNotFound } from './errors.js';

export const SERVICE_VALUES: Readonly<Record<string, readonly string[]>> = {
  Arch: ARCHES,
  Class: CLASSES,
  Flag: COMPONENT_FLAGS,
  NetType: NET_TYPES,
  Role: COMPONENT_ROLES,
  SubRole: COMPONENT_SUBROLES,
  State: COMPONENT_STATES,
  Type: HMS_TYPES,
};

/** /service/values/{name}: the one list, its name matched case-insensitively. */
export function serviceValuesJson(name: string): Record<string, readonly string[]> {
  const key = Object.keys(SERVICE_VALUES).find((k) => k.toLowerCase() === name.toLowerCase());
  if (!key) throw smdNotFound(`no such value list: ${name}`);
  return { [key]: SERVICE_VALUES[key] };
}

/** /service/ready when the database does not answer (a 503). */
export const unhealthyText = (error: Error) => `HSM's database is unhealthy: ${error.message.split('\n')[0]}`;

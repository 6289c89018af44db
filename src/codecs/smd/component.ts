// SMD Component request bodies (Fabrica Component spec) → the component service. The JSON a
// component is shown as is SMD's componentJson (rest-compat/smd/state/component-filter.ts).
import type { ComponentFields, ComponentInput } from '../../services/smd/index.js';
import { emptyAsNull, type FieldNames, pick, smdInteger, smdObject, withoutUndefined } from './fields.js';

/** Service field → SMD JSON key, for error messages that name what the client sent. */
export const COMPONENT_FIELD_NAMES: FieldNames = {
  xname: 'ID',
  type: 'Type',
  state: 'State',
  flag: 'Flag',
  enabled: 'Enabled',
  softwareStatus: 'SoftwareStatus',
  role: 'Role',
  subRole: 'SubRole',
  nid: 'NID',
  subtype: 'Subtype',
  netType: 'NetType',
  arch: 'Arch',
  class: 'Class',
  reservationDisabled: 'ReservationDisabled',
  locked: 'Locked',
  input: 'spec',
};

/**
 * The component fields an SMD body gives (Type is ignored: it follows from the ID). Keys not
 * present stay undefined, so the result suits a partial update; "" means unset.
 */
export function componentFieldsFromSmd(body: Record<string, unknown>): ComponentFields {
  const text = (key: string) => emptyAsNull(pick(body, key)) as string | null | undefined;
  const required = (key: string) => {
    const value = pick(body, key);
    return value === '' || value === null ? undefined : (value as string | undefined);
  };
  return withoutUndefined({
    state: required('State'),
    flag: required('Flag'),
    enabled: pick(body, 'Enabled') as boolean | undefined,
    softwareStatus: text('SoftwareStatus'),
    role: text('Role'),
    subRole: text('SubRole'),
    nid: smdInteger(emptyAsNull(pick(body, 'NID'))) as number | null | undefined,
    subtype: text('Subtype'),
    netType: text('NetType'),
    arch: text('Arch'),
    class: text('Class'),
    reservationDisabled: pick(body, 'ReservationDisabled') as boolean | undefined,
    locked: pick(body, 'Locked') as boolean | undefined,
  });
}

/** An SMD component body as a service input (ID → xname). */
export function componentInputFromSmd(value: unknown, field = 'input'): ComponentInput {
  const body = smdObject(value, field);
  return { xname: pick(body, 'ID') as string, ...componentFieldsFromSmd(body) };
}

/** What a full replacement sets for fields the body leaves out. */
const COMPONENT_DEFAULTS: Required<ComponentFields> = {
  state: 'Unknown',
  flag: 'OK',
  enabled: true,
  softwareStatus: null,
  role: null,
  subRole: null,
  nid: null,
  subtype: null,
  netType: null,
  arch: null,
  class: null,
  locked: false,
  reservationDisabled: false,
};

/** Every component field: the body's, else its default (a PUT that replaces the whole spec). */
export function componentReplacementFromSmd(value: unknown, field = 'input'): ComponentInput {
  const input = componentInputFromSmd(value, field);
  return { ...COMPONENT_DEFAULTS, ...input };
}

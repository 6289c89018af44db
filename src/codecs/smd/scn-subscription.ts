// SMD's state-change-notification subscriptions (/Subscriptions/SCN, sm.SCNSubscription).
// IDs are integers (SMD's code; the swagger says strings). Only /hsm/v2 speaks them (strict).
import type { ScnSubscriptionInput, ScnSubscriptionView, ScnTriggers } from '../../services/smd/index.js';
import { asObject, type Obj, optBool, optString, optStringList } from './go-json.js';

/** sm.SCNSubscription: Enabled left out when unset, the lists when empty. */
export function subscriptionJson(s: ScnSubscriptionView): Obj {
  const out: Obj = { ID: s.id, Subscriber: s.subscriber };
  if (s.enabled !== null) out.Enabled = s.enabled;
  if (s.roles.length) out.Roles = s.roles;
  if (s.subRoles.length) out.SubRoles = s.subRoles;
  if (s.softwareStatus.length) out.SoftwareStatus = s.softwareStatus;
  if (s.states.length) out.States = s.states;
  out.Url = s.url;
  return out;
}

export const subscriptionsJson = (list: readonly ScnSubscriptionView[]) => ({ SubscriptionList: list.map(subscriptionJson) });

function decodeTriggers(body: Obj, struct: string): ScnTriggers {
  return {
    enabled: optBool(body, 'Enabled', struct),
    roles: optStringList(body, 'Roles', struct),
    subRoles: optStringList(body, 'SubRoles', struct),
    softwareStatus: optStringList(body, 'SoftwareStatus', struct),
    states: optStringList(body, 'States', struct),
  };
}

/** POST and PUT (sm.SCNPostSubscription). */
export function decodeSubscription(value: unknown): ScnSubscriptionInput {
  const struct = 'sm.SCNPostSubscription';
  const body = asObject(value, struct);
  return { subscriber: optString(body, 'Subscriber', struct), url: optString(body, 'Url', struct), ...decodeTriggers(body, struct) };
}

/** PATCH (sm.SCNPatchSubscription): the operation and its triggers. */
export function decodeSubscriptionPatch(value: unknown): { op: string | undefined; triggers: ScnTriggers } {
  const struct = 'sm.SCNPatchSubscription';
  const body = asObject(value, struct);
  return { op: optString(body, 'Op', struct), triggers: decodeTriggers(body, struct) };
}

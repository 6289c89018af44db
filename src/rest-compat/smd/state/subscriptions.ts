// /Subscriptions/SCN: state-change-notification subscriptions, stored and listed (the gateway
// delivers no notifications). IDs are integers (SMD's code; the swagger says strings).
import {
  createScnSubscription,
  deleteAllScnSubscriptions,
  deleteScnSubscription,
  getScnSubscription,
  listScnSubscriptions,
  parseSubscriptionId,
  patchScnSubscription,
  replaceScnSubscription,
  type ScnSubscriptionInput,
  type ScnSubscriptionView,
  type ScnTriggers,
} from '../../../services/smd/index.js';
import { json, noContent } from '../../http/respond.js';
import type { RestRouter } from '../../http/router.js';
import { message, type Obj, optBool, optString, optStringList, readObject } from './wire.js';

const BASE = '/Subscriptions/SCN';

/** sm.SCNSubscription: Enabled left out when unset, the lists when empty. */
function subscriptionJson(s: ScnSubscriptionView): Obj {
  const out: Obj = { ID: s.id, Subscriber: s.subscriber };
  if (s.enabled !== null) out.Enabled = s.enabled;
  if (s.roles.length) out.Roles = s.roles;
  if (s.subRoles.length) out.SubRoles = s.subRoles;
  if (s.softwareStatus.length) out.SoftwareStatus = s.softwareStatus;
  if (s.states.length) out.States = s.states;
  out.Url = s.url;
  return out;
}

function decodeTriggers(body: Obj, struct: string): ScnTriggers {
  return {
    enabled: optBool(body, 'Enabled', struct),
    roles: optStringList(body, 'Roles', struct),
    subRoles: optStringList(body, 'SubRoles', struct),
    softwareStatus: optStringList(body, 'SoftwareStatus', struct),
    states: optStringList(body, 'States', struct),
  };
}

function decodeSubscription(body: Obj): ScnSubscriptionInput {
  const struct = 'sm.SCNPostSubscription';
  return { subscriber: optString(body, 'Subscriber', struct), url: optString(body, 'Url', struct), ...decodeTriggers(body, struct) };
}

export function mountSubscriptionRoutes(router: RestRouter): void {
  router.get(BASE, async ({ ctx }) => json({ SubscriptionList: (await listScnSubscriptions(ctx.service)).map(subscriptionJson) }));
  router.post(BASE, async ({ request, ctx }) => {
    const input = decodeSubscription(await readObject(request, 'sm.SCNPostSubscription'));
    return json(subscriptionJson(await createScnSubscription(ctx.service, input)));
  });
  router.delete(BASE, async ({ ctx }) => message(`${await deleteAllScnSubscriptions(ctx.service)} Subscriptions deleted`));
  router.get(`${BASE}/:id`, async ({ params, ctx }) => json(subscriptionJson(await getScnSubscription(ctx.service, params.id ?? ''))));
  router.put(`${BASE}/:id`, async ({ request, params, ctx }) => {
    getId(params.id);
    const input = decodeSubscription(await readObject(request, 'sm.SCNPostSubscription'));
    await replaceScnSubscription(ctx.service, params.id ?? '', input);
    return noContent();
  });
  router.patch(`${BASE}/:id`, async ({ request, params, ctx }) => {
    getId(params.id);
    const body = await readObject(request, 'sm.SCNPatchSubscription');
    await patchScnSubscription(
      ctx.service,
      params.id ?? '',
      optString(body, 'Op', 'sm.SCNPatchSubscription'),
      decodeTriggers(body, 'sm.SCNPatchSubscription'),
    );
    return noContent();
  });
  router.delete(`${BASE}/:id`, async ({ params, ctx }) => {
    await deleteScnSubscription(ctx.service, params.id ?? '');
    return message('Subscription deleted');
  });
}

/** SMD checks the id before reading the body. */
function getId(raw: string | undefined): void {
  parseSubscriptionId(raw ?? '');
}

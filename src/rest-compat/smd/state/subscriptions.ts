// /Subscriptions/SCN: state-change-notification subscriptions, stored and listed (the gateway
// delivers no notifications).
import { decodeSubscription, decodeSubscriptionPatch, subscriptionJson, subscriptionsJson } from '../../../codecs/smd/index.js';
import {
  createScnSubscription,
  deleteAllScnSubscriptions,
  deleteScnSubscription,
  getScnSubscription,
  listScnSubscriptions,
  parseSubscriptionId,
  patchScnSubscription,
  replaceScnSubscription,
} from '../../../services/smd/index.js';
import { json, noContent, readJson } from '../../http/respond.js';
import type { RestRouter } from '../../http/router.js';
import { message } from '../respond.js';

const BASE = '/Subscriptions/SCN';

export function mountSubscriptionRoutes(router: RestRouter): void {
  router.get(BASE, async ({ ctx }) => json(subscriptionsJson(await listScnSubscriptions(ctx.service))));
  router.post(BASE, async ({ request, ctx }) => {
    const input = decodeSubscription(await readJson(request));
    return json(subscriptionJson(await createScnSubscription(ctx.service, input)));
  });
  router.delete(BASE, async ({ ctx }) => message(`${await deleteAllScnSubscriptions(ctx.service)} Subscriptions deleted`));
  router.get(`${BASE}/:id`, async ({ params, ctx }) => json(subscriptionJson(await getScnSubscription(ctx.service, params.id ?? ''))));
  router.put(`${BASE}/:id`, async ({ request, params, ctx }) => {
    // SMD checks the id before reading the body.
    parseSubscriptionId(params.id ?? '');
    await replaceScnSubscription(ctx.service, params.id ?? '', decodeSubscription(await readJson(request)));
    return noContent();
  });
  router.patch(`${BASE}/:id`, async ({ request, params, ctx }) => {
    parseSubscriptionId(params.id ?? '');
    const { op, triggers } = decodeSubscriptionPatch(await readJson(request));
    await patchScnSubscription(ctx.service, params.id ?? '', op, triggers);
    return noContent();
  });
  router.delete(`${BASE}/:id`, async ({ params, ctx }) => {
    await deleteScnSubscription(ctx.service, params.id ?? '');
    return message('Subscription deleted');
  });
}

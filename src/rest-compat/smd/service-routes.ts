// /service/*: readiness, liveness and the enumeration values clients validate against.

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
import { checkDatabase } from '../../services/core/index.js';
import { json, noContent } from '../http/respond.js';
import type { RestRouter } from '../http/router.js';
import { SmdError } from './errors.js';

const VALUES: Record<string, readonly string[]> = {
  Arch: ARCHES,
  Class: CLASSES,
  Flag: COMPONENT_FLAGS,
  NetType: NET_TYPES,
  Role: COMPONENT_ROLES,
  SubRole: COMPONENT_SUBROLES,
  State: COMPONENT_STATES,
  Type: HMS_TYPES,
};

export function mountServiceRoutes(router: RestRouter): void {
  router.get('/service/ready', async ({ ctx }) => {
    try {
      await checkDatabase(ctx.service.db);
    } catch (error) {
      throw new SmdError(503, `HSM's database is unhealthy: ${(error as Error).message.split('\n')[0]}`);
    }
    return json({ code: 0, message: 'HSM is healthy' });
  });
  router.get('/service/liveness', () => noContent());
  router.get('/service/values', () => json(VALUES));
  router.get('/service/values/:name', ({ params }) => {
    const key = Object.keys(VALUES).find((k) => k.toLowerCase() === params.name?.toLowerCase());
    if (!key) throw new SmdError(404, `no such value list: ${params.name}`);
    return json({ [key]: VALUES[key] });
  });
}

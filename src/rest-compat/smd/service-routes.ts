// /service/*: readiness, liveness and the enumeration values clients validate against.
import { serviceValues, serviceValuesJson, unhealthyText } from '../../codecs/smd/index.js';
import { checkDatabase } from '../../services/core/index.js';
import { json, noContent, problem } from '../http/respond.js';
import type { RestRouter } from '../http/router.js';
import { message } from './respond.js';

export function mountServiceRoutes(router: RestRouter): void {
  router.get('/service/ready', async ({ ctx }) => {
    try {
      await checkDatabase(ctx.service.db);
    } catch (error) {
      return problem(503, unhealthyText(error as Error));
    }
    return message('HSM is healthy');
  });
  router.get('/service/liveness', () => noContent());
  router.get('/service/values', () => json(serviceValues()));
  router.get('/service/values/:name', ({ params }) => json(serviceValuesJson(params.name ?? '')));
}

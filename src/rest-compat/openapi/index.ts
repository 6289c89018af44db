// /openapi.json and Swagger UI at /docs, from local assets.
import type { RestRouter } from '../http/router.js';

export function createDocsRouter(): RestRouter | undefined {
  return undefined;
}

// Fabrica-style resource routes (/components, /groups …): the OpenCHAMI inventory-service API.
import type { RestRouter } from '../http/router.js';

export function createFabricaRouter(): RestRouter | undefined {
  return undefined;
}

// NoCloud endpoints for cloud-init on booting nodes (meta-data, user-data, vendor-data …).
import type { RestFamily } from '../http/family.js';
import type { NoCloudOptions } from './options.js';

export function createNoCloudFamily(_options: NoCloudOptions): RestFamily | undefined {
  return undefined;
}

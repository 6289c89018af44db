// What a REST handler may use: the services' context and the read side. Never Prisma directly.

import type { Logger } from 'pino';
import type { Engine, ServiceContext } from '../../services/core/index.js';

export interface RestContext {
  /** Passed to services, which alone read and write the store. */
  service: ServiceContext;
  engine: Engine;
  logger: Logger;
  /** The caller's IP: the peer, or the client its trusted proxies recorded (server/client-address.ts). */
  clientAddress?: string;
}

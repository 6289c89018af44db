// The simulator's defaults and bounds, in a module of their own so that the CLI can parse and
// explain its flags without loading the synthetic cluster (and the Prisma client behind it).
export const DEFAULT_LISTEN = '127.0.10.1';
export const DEFAULT_USER = 'root';
export const DEFAULT_PASSWORD = 'initial0';
/** Bounded by the synthetic cluster (two nodes per BMC) and by what one machine can listen on. */
export const MAX_BMCS = 20_000;

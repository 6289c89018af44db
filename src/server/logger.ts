// Structured logs (pino); secrets are redacted wherever they appear. JSON lines, one per event,
// for log collectors; on a terminal (stdout a TTY) the same events are printed readable by
// pino-pretty instead, so that `npm start` is not a wall of JSON.
import { createRequire } from 'node:module';
import { pino } from 'pino';

export type Logger = pino.Logger;

const require = createRequire(import.meta.url);

/**
 * Readable lines for a person at a terminal; synchronous so nothing is lost at exit. pino-pretty
 * is required here, not imported at the top: a gateway logging JSON (a service, the container)
 * never loads it.
 */
function terminalStream(): pino.DestinationStream {
  const pretty: typeof import('pino-pretty') = require('pino-pretty');
  return pretty({ sync: true, colorize: !process.env.NO_COLOR, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,service' });
}

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'inventory-gateway' },
      redact: { paths: ['*.password', '*.Password', '*.authorization', 'headers.authorization', '*.token'], censor: '[redacted]' },
    },
    destination ?? (process.stdout.isTTY ? terminalStream() : undefined),
  );
}

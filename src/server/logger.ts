// Structured logs (pino); secrets are redacted wherever they appear. JSON lines, one per event,
// for log collectors; on a terminal (stdout a TTY) the same events are printed readable by
// pino-pretty instead, so that `npm start` is not a wall of JSON.
import { pino } from 'pino';
import pretty from 'pino-pretty';

export type Logger = pino.Logger;

/** Readable lines for a person at a terminal; synchronous so nothing is lost at exit. */
function terminalStream(): pino.DestinationStream {
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

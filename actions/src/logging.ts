import { type DestinationStream, type LevelWithSilent, type Logger, pino } from 'pino';

/**
 * Paths that pino replaces with "[redacted]". Handlers log chosen fields only; these catch a
 * header set, credential or payload that is logged whole by mistake.
 */
const redactPaths = [
  'authorization',
  'cookie',
  'password',
  'email',
  'token',
  'accessToken',
  'refreshToken',
  'actionSecret',
  '*.authorization',
  '*.cookie',
  '*.password',
  '*.email',
  '*.token',
  '*.accessToken',
  '*.refreshToken',
  '*.actionSecret',
  '*["set-cookie"]',
  '*["x-acci-action-secret"]',
  '*.headers.authorization',
  '*.headers.cookie',
  '*.headers["x-acci-action-secret"]',
  'err.body',
];

/** Creates the JSON-lines logger of the action server, writing to `destination` or stdout. */
export function createLogger(level: LevelWithSilent, destination?: DestinationStream): Logger {
  const options = {
    level,
    base: { service: 'acci-actions' },
    redact: { paths: redactPaths, censor: '[redacted]' },
  };
  return destination === undefined ? pino(options) : pino(options, destination);
}

import type { IncomingMessage, ServerResponse } from 'node:http';
import { hostname } from 'node:os';
import type { Params } from 'nestjs-pino';
import type { AppConfig } from '../config/config';

/**
 * Redaction is configured here once, by path, so no call site has to remember it. Request
 * lines carry the path without its query string and no headers but the user agent.
 */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  '*.password',
  '*.currentPassword',
  '*.newPassword',
  '*.token',
  '*.access_token',
  '*.refresh_token',
  '*.mfa_token',
  '*.code',
  '*.recovery_code',
  '*.secret',
  '*.clientSecret',
  '*.client_secret',
  '*.passwordHash',
  '*.privateKey',
  // A failed query carries its bound values, and PostgreSQL's detail repeats them.
  'err.parameters',
  'err.detail',
  'err.driverError.parameters',
  'err.driverError.detail',
];

export function loggerOptions(config: AppConfig): Params {
  return {
    pinoHttp: {
      level: config.logLevel,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      genReqId: (req: IncomingMessage) =>
        String((req as IncomingMessage & { id?: unknown }).id ?? ''),
      autoLogging: { ignore: (req: IncomingMessage) => (req.url ?? '').startsWith('/health/') },
      serializers: {
        req: (req: IncomingMessage & { id?: unknown }) => ({
          id: req.id,
          method: req.method,
          path: (req.url ?? '').split('?')[0],
          userAgent: req.headers?.['user-agent'],
        }),
        res: (res: ServerResponse) => ({ statusCode: res.statusCode }),
      },
      // On the root logger, not as customProps: those cost two child loggers per request, paid
      // even when the level writes no request line.
      base: { pid: process.pid, hostname: hostname(), service: 'tessera' },
    },
  };
}

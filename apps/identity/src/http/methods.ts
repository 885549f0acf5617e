import type { FastifyInstance } from 'fastify';
import { Problem } from '../common/problem';

/** The methods any route here answers; TRACE (cross-site tracing) and the rest are refused. */
const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** Answers any other method with 405 before routing, whatever the path. */
export function refuseUnknownMethods(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', async (request) => {
    if (KNOWN_METHODS.has(request.method)) return;
    throw new Problem(
      405,
      'method_not_allowed',
      'Method not allowed',
      `${request.method} is not supported here.`,
      { headers: { allow: [...KNOWN_METHODS].join(', ') } },
    );
  });
}

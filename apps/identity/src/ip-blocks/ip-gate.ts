import type { FastifyInstance } from 'fastify';
import { Problem } from '../common/problem';

/** Probes come from the cluster's own addresses; a block that is too wide must not kill pods. */
const NEVER_BLOCKED = /^\/health\//;

/**
 * Refuses requests from blocked addresses with a 403 before any other work is done (routing,
 * body parsing, token checks). The check is bound after the app is built, since the list lives
 * in a Nest service; until then nothing is blocked, and the app is not listening yet anyway.
 */
export function registerIpGate(fastify: FastifyInstance) {
  let isBlocked: (ip: string) => boolean = () => false;
  let onBlocked: () => void = () => undefined;
  fastify.addHook('onRequest', async (request) => {
    if (!isBlocked(request.ip) || NEVER_BLOCKED.test(request.url)) return;
    onBlocked();
    throw new Problem(403, 'ip_blocked', 'Forbidden', 'Requests from this address are blocked.');
  });
  return {
    bind(check: (ip: string) => boolean, count: () => void) {
      isBlocked = check;
      onBlocked = count;
    },
  };
}

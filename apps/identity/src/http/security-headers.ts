import fastifyHelmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

/** A JSON API serves no documents: nothing may load, frame or be framed. */
export const API_CONTENT_SECURITY_POLICY = {
  useDefaults: false,
  directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
};

const HSTS = 'max-age=31536000; includeSubDomains';

/**
 * The contract's headers on every answer, errors and 404s included: helmet's set (nosniff, a
 * restrictive CSP, no referrer, cross-origin isolation), plus HSTS only when the request came
 * over HTTPS (directly or, with TRUST_PROXY, as X-Forwarded-Proto says), since a browser ignores
 * it over plain HTTP and a proxy that terminates TLS is the one to promise it.
 */
export async function registerSecurityHeaders(fastify: FastifyInstance): Promise<void> {
  await fastify.register(fastifyHelmet, {
    global: true,
    contentSecurityPolicy: API_CONTENT_SECURITY_POLICY,
    strictTransportSecurity: false,
  });
  fastify.addHook('onRequest', async (request, reply) => {
    if (request.protocol === 'https') void reply.header('strict-transport-security', HSTS);
  });
}

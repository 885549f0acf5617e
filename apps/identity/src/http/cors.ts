import fastifyCors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';

/**
 * CORS for the exact origins of CORS_ORIGINS (validated at start: never `*` nor `null`). A listed
 * origin is echoed with `Vary: Origin`; any other gets no CORS headers, so the browser keeps the
 * answer from the page. Tokens travel in the Authorization header, never in cookies, so
 * credentials are not allowed. With no origins, CORS stays off.
 */
export async function registerCors(fastify: FastifyInstance, origins: string[]): Promise<void> {
  if (origins.length === 0) return;
  const allowed = new Set(origins);
  await fastify.register(fastifyCors, {
    origin: (origin, callback) => callback(null, origin !== undefined && allowed.has(origin)),
    methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: ['authorization', 'content-type', 'x-request-id'],
    exposedHeaders: ['x-request-id', 'retry-after', 'www-authenticate'],
    credentials: false,
    maxAge: 600,
    strictPreflight: true,
  });
}

import type { FastifyInstance } from 'fastify';

/**
 * Lets a shutdown (SIGTERM) finish: the requests in flight are answered, and each of those
 * answers tells the client to close its keep-alive connection. Without that, a client or load
 * balancer holding a connection open would keep the server from ever finishing its close.
 */
export function closeConnectionsOnShutdown(fastify: FastifyInstance): void {
  let closing = false;
  fastify.addHook('preClose', async () => {
    closing = true;
  });
  fastify.addHook('onSend', async (_request, reply) => {
    if (closing) void reply.header('connection', 'close');
  });
}

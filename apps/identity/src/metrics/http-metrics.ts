import type { FastifyInstance } from 'fastify';
import type { MetricsService } from './metrics.service';

/**
 * Times every answer by its route template (`/v1/admin/users/:id`, never the concrete path, so
 * ids do not become labels); requests that match no route share the label `unmatched`.
 */
export function instrumentHttp(fastify: FastifyInstance, metrics: MetricsService): void {
  fastify.addHook('onResponse', async (request, reply) => {
    metrics.requestDuration.observe(
      {
        method: request.method,
        route: request.routeOptions.url ?? 'unmatched',
        status: `${Math.floor(reply.statusCode / 100)}xx`,
      },
      reply.elapsedTime / 1000,
    );
  });
}

import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { toErrorResponse } from './error-response';

/** The one place where errors become responses; unexpected ones are logged once with the request id. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    sendError(
      error,
      http.getRequest<FastifyRequest>(),
      http.getResponse<FastifyReply>(),
      this.logger,
    );
  }
}

export function sendError(
  error: unknown,
  request: FastifyRequest,
  reply: FastifyReply,
  logger: Pick<Logger, 'error' | 'warn'>,
): void {
  const path = request.url.split('?')[0];
  const response = toErrorResponse(error, path, String(request.id));
  if (response.unexpected) {
    logger.error({ err: error, reqId: request.id, path }, 'unexpected error');
  } else if (response.status === 503) {
    logger.warn({ reqId: request.id, path }, 'a dependency is unavailable');
  }
  void reply
    .status(response.status)
    .headers(response.headers)
    .type(response.contentType)
    .send(response.body);
}

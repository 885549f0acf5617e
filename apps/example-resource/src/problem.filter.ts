import {
  ArgumentsHost,
  BadRequestException,
  Catch,
  ExceptionFilter,
  HttpException,
  Logger,
  ValidationError,
  ValidationPipe,
} from '@nestjs/common';
import type { FastifyReply } from 'fastify';

const CODES: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  503: 'unavailable',
};

/** Bodies become DTOs or a 400 `validation_failed` naming each field; unknown fields are refused. */
export const validationPipe = new ValidationPipe({
  whitelist: true,
  forbidNonWhitelisted: true,
  exceptionFactory: (errors: ValidationError[]) =>
    new BadRequestException({
      code: 'validation_failed',
      errors: errors.flatMap((error) =>
        Object.values(error.constraints ?? {}).map((message) => ({
          field: error.property,
          message,
        })),
      ),
    }),
});

/**
 * Answers every error as RFC 9457 problem details, like Tessera does, so a client reads both the
 * same way. The kit's refusals already carry that shape and their headers; anything unexpected
 * becomes a bare 500 and one log line, never a stack trace in the body.
 */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(error: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const status = error instanceof HttpException ? error.getStatus() : 500;
    if (status >= 500 && status !== 503) this.logger.error(error);
    const given = error instanceof HttpException ? error.getResponse() : {};
    const extra = typeof given === 'object' ? (given as Record<string, unknown>) : {};
    const code = typeof extra.code === 'string' ? extra.code : (CODES[status] ?? 'internal');
    const detail =
      typeof extra.detail === 'string'
        ? extra.detail
        : status < 500 && error instanceof HttpException
          ? error.message
          : undefined;
    void reply
      .status(status)
      .type('application/problem+json; charset=utf-8')
      .send({
        type: `urn:tessera:problem:${code}`,
        title: typeof extra.title === 'string' ? extra.title : titleOf(status),
        status,
        ...(detail ? { detail } : {}),
        code,
        ...(Array.isArray(extra.errors) ? { errors: extra.errors } : {}),
      });
  }
}

function titleOf(status: number): string {
  if (status === 400) return 'Bad request';
  if (status === 404) return 'Not found';
  if (status === 409) return 'Conflict';
  return status < 500 ? 'Request refused' : 'Server error';
}

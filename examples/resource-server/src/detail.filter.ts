// Errors answered as the service answers them, `{"detail": …}`, and a refused token with the
// `WWW-Authenticate: Bearer` challenge that RFC 6750 asks of a resource server.
import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';

@Catch(HttpException)
export class DetailFilter implements ExceptionFilter {
  catch(exception: HttpException, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const status = exception.getStatus();
    if (status !== HttpStatus.UNAUTHORIZED) {
      void reply.status(status).send({ detail: exception.message });
      return;
    }
    const hasToken = host.switchToHttp().getRequest<FastifyRequest>().headers.authorization !== undefined;
    void reply
      .status(status)
      .header('WWW-Authenticate', hasToken ? 'Bearer error="invalid_token"' : 'Bearer')
      .send({ detail: hasToken ? 'Could not validate credentials' : 'Not authenticated' });
  }
}

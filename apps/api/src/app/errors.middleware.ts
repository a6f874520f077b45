/**
 * The one place errors become HTTP: MailroomError (any feature's), request
 * validation errors and Hono's HTTPException turn into RFC 9457 problem+json;
 * anything else is logged with its stack and answered as a bare 500 that
 * leaks nothing.
 */
import { isMailroomError } from '@mailroom/domain';
import type { Context, ErrorHandler, NotFoundHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { appErrorCodes, UpstreamError } from './app.errors';
import type { AppEnv } from './app-env';
import type { Logger } from './logger';
import { makeProblem, problemResponse, statusForKind } from './problem';

const codeForHttpStatus = (status: number): string => {
  if (status === 404) return appErrorCodes.routeNotFound;
  if (status >= 500) return appErrorCodes.unexpected;
  return appErrorCodes.requestInvalid;
};

export function createErrorHandler(rootLogger: Logger): ErrorHandler<AppEnv> {
  return (error: Error, c: Context<AppEnv>) => {
    const logger = c.get('logger') ?? rootLogger;
    const requestId = c.get('requestId');
    if (isMailroomError(error)) {
      const status = error instanceof UpstreamError ? 502 : statusForKind(error.kind);
      const problem = makeProblem({
        status,
        code: error.code,
        detail: error.message,
        errors: error.issues,
        requestId,
      });
      if (status === 502) logger.warn({ code: error.code }, 'upstream failed');
      else if (status >= 500) logger.warn({ code: error.code, err: error }, 'request failed');
      return problemResponse(problem, status === 401 ? { 'www-authenticate': 'Bearer' } : {});
    }
    if (error instanceof HTTPException) {
      const status = error.status;
      return problemResponse(
        makeProblem({
          status,
          code: codeForHttpStatus(status),
          detail: error.message || 'The request could not be processed.',
          requestId,
        }),
      );
    }
    logger.error({ err: error }, 'unexpected error');
    return problemResponse(
      makeProblem({
        status: 500,
        code: appErrorCodes.unexpected,
        detail: 'Something went wrong on the server; the error has been logged.',
        requestId,
      }),
    );
  };
}

export const apiNotFound: NotFoundHandler<AppEnv> = (c) =>
  problemResponse(
    makeProblem({
      status: 404,
      code: appErrorCodes.routeNotFound,
      detail: `No endpoint answers ${c.req.method} ${c.req.path}.`,
      requestId: c.get('requestId'),
    }),
  );

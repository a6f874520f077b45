/**
 * Every feature builds its routes on this OpenAPIHono factory so request
 * validation fails the same way everywhere: a MailroomError with one
 * `path` + `message` per bad field, rendered by the error middleware.
 */
import { OpenAPIHono } from '@hono/zod-openapi';
import { createValidationError } from './app.errors';
import type { AppEnv } from './app-env';

export const createRouter = () =>
  new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) throw createValidationError(result.error.issues);
    },
  });

/**
 * RFC 9457 problem details: the one body every error response has. The `code`
 * member is the stable dotted code clients branch on (the admin app maps it to
 * UI text); `detail` is a sentence for humans and never contains a secret.
 */
import { z } from '@hono/zod-openapi';
import type { ErrorKind, FieldIssue } from '@mailroom/domain';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
export const problemHeaders = { 'content-type': PROBLEM_CONTENT_TYPE } as const;

export const problemSchema = z
  .object({
    type: z.string().openapi({ example: 'urn:mailroom:problem:auth.invalid_credentials' }),
    title: z.string().openapi({ example: 'Authentication required' }),
    status: z.number().int().openapi({ example: 401 }),
    detail: z.string().openapi({ example: 'The email address or password is wrong.' }),
    code: z.string().openapi({ example: 'auth.invalid_credentials' }),
    errors: z
      .array(z.object({ path: z.string(), message: z.string() }))
      .optional()
      .openapi({ description: 'Present on validation errors: one entry per bad field.' }),
    requestId: z.string().optional(),
  })
  .openapi('Problem');

export type Problem = z.infer<typeof problemSchema>;

const statusByKind: Record<ErrorKind, number> = {
  invalid: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  permanent: 422,
  transient: 503,
};

const titleByStatus: Record<number, string> = {
  400: 'Invalid request',
  401: 'Authentication required',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  409: 'Conflict',
  413: 'Request too large',
  415: 'Unsupported media type',
  422: 'Request cannot be completed',
  500: 'Internal server error',
  502: 'Bad gateway',
  503: 'Service unavailable',
};

export const statusForKind = (kind: ErrorKind): number => statusByKind[kind];

export function makeProblem(input: {
  status: number;
  code: string;
  detail: string;
  errors?: FieldIssue[];
  requestId?: string;
}): Problem {
  return {
    type: `urn:mailroom:problem:${input.code}`,
    title: titleByStatus[input.status] ?? 'Error',
    status: input.status,
    detail: input.detail,
    code: input.code,
    ...(input.errors && input.errors.length > 0 ? { errors: input.errors } : {}),
    ...(input.requestId ? { requestId: input.requestId } : {}),
  };
}

/** A problem+json response; used by the error middleware and by 503 readiness answers. */
export function problemResponse(problem: Problem, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(problem), {
    status: problem.status,
    headers: { 'content-type': PROBLEM_CONTENT_TYPE, ...headers },
  });
}

/** For OpenAPI route definitions: the error responses a route may give. */
export const problemContent = {
  [PROBLEM_CONTENT_TYPE]: { schema: problemSchema },
} as const;

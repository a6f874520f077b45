/**
 * Every failed API call becomes an ApiError carrying the server's stable
 * `code` (RFC 9457 problem+json) and per-field errors. Network failures get
 * the client-side code `network.unreachable`. Turning codes into words is
 * src/messages.ts's job, not this module's.
 */
export interface FieldError {
  path: string;
  message: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly fieldErrors: FieldError[];

  constructor(input: { status: number; code: string; detail: string; fieldErrors?: FieldError[] }) {
    super(input.detail);
    this.name = 'ApiError';
    this.status = input.status;
    this.code = input.code;
    this.fieldErrors = input.fieldErrors ?? [];
  }
}

interface ProblemBody {
  code?: unknown;
  detail?: unknown;
  errors?: unknown;
}

/** Reads a problem+json body from a failed response; tolerates proxies that answer with HTML. */
export async function toApiError(response: Response): Promise<ApiError> {
  let body: ProblemBody = {};
  try {
    body = (await response.json()) as ProblemBody;
  } catch {
    // not JSON: keep the status only
  }
  const fieldErrors = Array.isArray(body.errors)
    ? body.errors.filter(
        (entry): entry is FieldError =>
          typeof entry === 'object' &&
          entry !== null &&
          typeof (entry as FieldError).path === 'string' &&
          typeof (entry as FieldError).message === 'string',
      )
    : [];
  return new ApiError({
    status: response.status,
    code: typeof body.code === 'string' ? body.code : `http.${response.status}`,
    detail: typeof body.detail === 'string' ? body.detail : response.statusText,
    fieldErrors,
  });
}

/** Runs a request; a fetch that never reached the server becomes `network.unreachable`. */
export async function send<T>(request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (error) {
    if (error instanceof ApiError) throw error;
    throw new ApiError({
      status: 0,
      code: 'network.unreachable',
      detail: (error as Error).message,
    });
  }
}

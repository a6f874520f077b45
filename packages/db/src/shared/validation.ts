import { MailroomError, toFieldIssues } from '@mailroom/domain';

interface SafeParser<T> {
  safeParse(input: unknown):
    | { success: true; data: T }
    | {
        success: false;
        error: { issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }> };
      };
}

/** Parses with a domain zod schema or throws a MailroomError listing path + message per field. */
export const parseOrThrow = <T>(
  schema: SafeParser<T>,
  input: unknown,
  code: string,
  message: string,
  pathPrefix?: string,
): T => {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = toFieldIssues(result.error.issues).map((issue) => ({
    ...issue,
    path:
      pathPrefix === undefined ? issue.path : [pathPrefix, issue.path].filter(Boolean).join('.'),
  }));
  throw new MailroomError(code, message, { kind: 'invalid', issues });
};

/**
 * Both drivers report PostgreSQL errors with the SQLSTATE in `code`; drizzle
 * wraps them in DrizzleQueryError with the driver's error as `cause`. This
 * reads through the wrapping so repositories can turn a unique violation into
 * a conflict an admin understands.
 */
const pgErrorOf = (error: unknown): { code?: unknown; constraint?: unknown } | null => {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current !== null && typeof current === 'object'; depth += 1) {
    const candidate = current as { code?: unknown; cause?: unknown };
    if (typeof candidate.code === 'string' && /^[0-9A-Z]{5}$/.test(candidate.code)) {
      const withConstraint = current as { constraint_name?: unknown; constraint?: unknown };
      return {
        code: candidate.code,
        constraint: withConstraint.constraint_name ?? withConstraint.constraint,
      };
    }
    current = candidate.cause;
  }
  return null;
};

/** True for SQLSTATE 23505; with `constraint`, only for that constraint. */
export const isUniqueViolation = (error: unknown, constraint?: string): boolean => {
  const pgError = pgErrorOf(error);
  if (pgError?.code !== '23505') return false;
  return constraint === undefined || pgError.constraint === constraint;
};

/** True for SQLSTATE 23503 (a referenced row does not exist). */
export const isForeignKeyViolation = (error: unknown): boolean =>
  pgErrorOf(error)?.code === '23503';

/** Stable codes of the auth feature; the admin app turns them into UI text in src/messages.ts. */
import { MailroomError, type UserRole } from '@mailroom/domain';

export const authErrorCodes = {
  invalidCredentials: 'auth.invalid_credentials',
  unauthenticated: 'auth.unauthenticated',
  invalidApiKey: 'auth.invalid_api_key',
  forbidden: 'auth.forbidden',
} as const;

export const invalidCredentialsError = () =>
  new MailroomError(authErrorCodes.invalidCredentials, 'The email address or password is wrong.', {
    kind: 'unauthorized',
  });

export const unauthenticatedError = () =>
  new MailroomError(
    authErrorCodes.unauthenticated,
    'Sign in, or send an API key as "Authorization: Bearer mr_...".',
    { kind: 'unauthorized' },
  );

export const invalidApiKeyError = () =>
  new MailroomError(
    authErrorCodes.invalidApiKey,
    'The API key is unknown or revoked, or the Authorization header is not "Bearer mr_...".',
    { kind: 'unauthorized' },
  );

export const forbiddenError = (role: UserRole) =>
  new MailroomError(authErrorCodes.forbidden, `This needs the ${role} role.`, {
    kind: 'forbidden',
  });

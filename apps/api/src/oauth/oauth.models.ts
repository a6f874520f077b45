/** Request and response shapes of "Sign in with Microsoft" (pure). */
import { z } from '@hono/zod-openapi';

export const authorizeResponseSchema = z
  .object({
    url: z.string().openapi({ description: "Microsoft's sign-in page; send the browser there." }),
  })
  .openapi('OAuthAuthorizeResponse');

export const callbackQuerySchema = z.object({
  code: z.string().max(8192).optional(),
  state: z.string().max(512).optional(),
  error: z.string().max(256).optional(),
  error_description: z.string().max(4096).optional(),
});

/** Where the browser lands in the admin app after the callback. */
export const adminRedirectFor = (
  adminBaseUrl: string,
  outcome: { ok: true; mailboxId: string } | { ok: false; mailboxId: string | null; code: string },
): string => {
  const page =
    outcome.mailboxId === null
      ? `${adminBaseUrl}/mailboxes`
      : `${adminBaseUrl}/mailboxes/${encodeURIComponent(outcome.mailboxId)}`;
  const query = outcome.ok
    ? new URLSearchParams({ oauth: 'connected' })
    : new URLSearchParams({ oauth: 'error', code: outcome.code });
  return `${page}?${query.toString()}`;
};

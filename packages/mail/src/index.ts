// --- connectivity (connect, oauth, errors, test-connection, fetch, send) ---
export * from './errors/mail-errors';
export { toMailError, describePhase, type MailErrorContext } from './errors/to-mail-error';
export { createScrubber, scrubValue, REDACTED, type Scrub } from './errors/secret-scrubber';
export { createRedactingLogger, silentLogger, type MailLogger } from './logging/redacting-logger';
export type { AccessToken, AccessTokenSource, ImapCredentials } from './connect/credentials';
export { ConnectionTrace, type PhaseSpan, type TlsSessionInfo } from './connect/connection-trace';
export { tlsPolicyFor, type ImapEndpoint, type TlsPolicy } from './connect/tls-policy';
export { openImapSession, type ImapSession, type OpenSessionOptions } from './connect/open-session';
export { authorityFor, scopesOf, type AuthorityConfig } from './oauth/authority';
export {
  createMemoryTokenCacheStore,
  type MemoryTokenCacheStore,
  type TokenCacheStore,
} from './oauth/token-cache-store';
export {
  createTokenProvider,
  DEFAULT_REFRESH_MARGIN_MS,
  type TokenProvider,
  type TokenProviderOptions,
} from './oauth/token-provider';
export {
  startAuthorization,
  completeAuthorization,
  type PendingAuthorization,
  type CompletedAuthorization,
  type StartAuthorizationOptions,
  type CompleteAuthorizationOptions,
} from './oauth/authorization-code';
export {
  testConnection,
  reportedCapabilities,
  type TestConnectionInput,
  type TestConnectionReport,
  type TestConnectionStep,
} from './test-connection/test-connection';
export { listFolders, openFolder, type FolderInfo, type OpenedFolder } from './fetch/folders';
export {
  fetchMessages,
  fetchSummaries,
  uidSetOf,
  type FetchedMessage,
  type FetchMessagesOptions,
  type MessageSummary,
  type UidSelection,
} from './fetch/fetch-messages';
export { markSeen, moveMessages, type MoveResult } from './fetch/post-actions';
export { waitForNewMail, type WaitForMailOptions, type WaitResult } from './fetch/wait-for-mail';
export {
  createMailSender,
  type MailSender,
  type OutgoingMail,
  type OutgoingAttachment,
  type SentMail,
  type SmtpCredentials,
  type SmtpEndpoint,
} from './send/mail-sender';
// --- end connectivity ---
export * from './parse/index';
export * from './inspect/index';

/**
 * Names and form ids of mailbox settings, so a list of server errors (e.g. why
 * activation was refused) reads "IMAP host: enter a host name" and links to
 * the field. Paths are the API's, rooted at the body or at `settings`.
 */
const fields: Record<string, [label: string, id: string]> = {
  name: ['Name', 'mb-name'],
  'connection.host': ['IMAP host', 'mb-host'],
  'connection.port': ['Port', 'mb-port'],
  'connection.tls': ['Encryption', 'mb-tls'],
  'connection.username': ['User name', 'mb-username'],
  'connection.replyTo': ['Reply-to address', 'mb-reply-to'],
  'connection.authType': ['Authentication', 'auth'],
  'connection.trustedCertificatePem': ['Trusted certificate', 'mb-pem'],
  'connection.connectionTimeoutMs': ['Connection timeout', 'mb-timeout'],
  'secrets.password': ['Password', 'mb-password'],
  'secrets.clientSecret': ['Client secret', 'mb-client-secret'],
  'secrets.refreshToken': ['Microsoft sign-in', 'auth'],
  oauth: ['Microsoft 365 settings', 'auth'],
  'oauth.signIn': ['Sign in with Microsoft', 'auth'],
  'oauth.flow': ['Token flow', 'mb-flow'],
  'oauth.tenantId': ['Directory (tenant) id', 'mb-tenant'],
  'oauth.clientId': ['Application (client) id', 'mb-client'],
  'oauth.redirectUrl': ['Redirect URL', 'mb-redirect'],
  'oauth.scope': ['Scope', 'mb-scope'],
  'oauth.tokenEndpoint': ['Token endpoint', 'mb-token-endpoint'],
  'policy.maxTries': ['Max tries', 'mb-max-tries'],
  'policy.coolOffMinutes': ['Cool-off', 'mb-cool-off'],
  'policy.timeZone': ['Time zone', 'mb-time-zone'],
  'policy.syncStartDate': ['Read mail from', 'mb-sync-start'],
  'policy.pollIntervalSeconds': ['Poll interval', 'mb-poll'],
  'policy.skipWindows': ['Skip windows', 'policy'],
  'reading.folders.read': ['Folders to read', 'mb-read'],
  'reading.folders.postAction': ['After a mail is processed', 'mb-post-action'],
  'reading.folders.successFolder': ['Success folder', 'mb-success-folder'],
  'reading.folders.failFolder': ['Fail folder', 'mb-fail-folder'],
  'reading.folders.exclusionFolder': ['Exclusion folder', 'mb-exclusion-folder'],
  'reading.allowedSenderDomains': ['Allowed sender domains', 'mb-domains'],
  'reading.autoReply.keywords': ['Auto-reply keywords', 'mb-keywords'],
  'reading.autoReply.senderAddresses': ['Excluded senders', 'mb-excluded-senders'],
  'reading.aliases': ['Aliases', 'mb-aliases'],
  'reading.maxMessageBytes': ['Largest mail', 'mb-max-size'],
  mapping: ['Ticket mapping', 'mapping'],
  'mapping.templateId': ['Ticket template', 'mb-template'],
  'mapping.ticketTypes.allowed': ['Ticket types', 'mapping'],
  'mapping.ticketTypes.defaultTypeId': ['Default type', 'mb-default-type'],
  'mapping.defaultOfferId': ['Default offer', 'mb-offer'],
  'mapping.customFields': ['Field values', 'mapping'],
  'mapping.propertyMappings': ['Email → ticket fields', 'mapping'],
};

export function describeField(path: string): { label: string; id: string } {
  const bare = path.replace(/^settings\./, '');
  for (let key = bare; key; key = key.includes('.') ? key.slice(0, key.lastIndexOf('.')) : '') {
    const hit = fields[key];
    if (hit) return { label: hit[0], id: hit[1] };
  }
  return { label: bare || 'Mailbox', id: 'connection' };
}

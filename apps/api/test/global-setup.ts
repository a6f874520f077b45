/**
 * Once per run, before workers fork: a test CA that workers trust through
 * NODE_EXTRA_CA_CERTS, so the testkit's Entra ID fake (HTTPS) is trusted by msal-node in
 * the app under test with no TLS option. The API tests need no PostgreSQL (they use PGlite).
 */
import { createGlobalSetup } from '@mailroom/testkit';

export default createGlobalSetup({ postgres: false, ca: true });

/*
 * Renders the private Dovecot's configuration. Pure: paths and ports in, file texts out,
 * so the whole server setup is readable in one place. The config must only ever listen
 * on 127.0.0.1 and keep every runtime file inside the instance's temp folder.
 */

export interface DovecotConfigInput {
  dir: string;
  imapPort: number;
  imapsPort: number;
  /** Plain listener reserved for the testkit's own helpers, left out of login counts. */
  helperPort: number;
  certPath: string;
  keyPath: string;
  /** dict passdb settings file (`uri = fs:posix:…`): one JSON file per user, read per login. */
  usersDictPath: string;
  mastersPath: string;
  logPath: string;
  mailRoot: string;
  oauth2?: { argsPath: string; only: boolean; mechanisms: readonly string[] };
  settings?: Record<string, string | number>;
}

export function renderDovecotConfig(input: DovecotConfigInput): string {
  const oauthMechanisms = input.oauth2?.mechanisms.join(' ') ?? '';
  const mechanisms = input.oauth2
    ? input.oauth2.only
      ? oauthMechanisms
      : `plain login ${oauthMechanisms}`
    : 'plain login';
  const extra = Object.entries(input.settings ?? {}).map(([key, value]) => `${key} = ${value}`);
  return [
    '# Private Dovecot started by @mailroom/testkit. Loopback only; everything lives in this folder.',
    `base_dir = ${input.dir}/run`,
    `state_dir = ${input.dir}/state`,
    `log_path = ${input.logPath}`,
    `instance_name = mailroom-testkit`,
    'listen = 127.0.0.1',
    'protocols = imap',
    'ssl = yes',
    `ssl_cert = <${input.certPath}`,
    `ssl_key = <${input.keyPath}`,
    'disable_plaintext_auth = no',
    `auth_mechanisms = ${mechanisms}`,
    'auth_failure_delay = 0',
    'auth_master_user_separator = *',
    'mail_location = maildir:~/Maildir',
    'mail_fsync = never',
    'maildir_very_dirty_syncs = yes',
    'first_valid_uid = 8',
    'first_valid_gid = 8',
    'default_internal_user = dovecot',
    'default_login_user = dovenull',
    'mail_max_userip_connections = 1000',
    'default_process_limit = 500',
    'default_client_limit = 2000',
    'login_log_format_elements = user=<%u> method=%m rip=%r lip=%l mpid=%e %c session=<%{session}> lport=%{lport}',
    ...extra,
    '',
    'namespace inbox {',
    '  inbox = yes',
    '  separator = /',
    '}',
    '',
    '# Testkit helpers log in as "<user>*mailroom-testkit" on the helper port.',
    'passdb {',
    '  driver = passwd-file',
    `  args = scheme=PLAIN username_format=%u ${input.mastersPath}`,
    '  master = yes',
    '  mechanisms = plain login',
    '}',
    'passdb {',
    '  driver = dict',
    `  args = ${input.usersDictPath}`,
    '  mechanisms = plain login',
    '}',
    ...(input.oauth2
      ? [
          'passdb {',
          '  driver = oauth2',
          `  mechanisms = ${oauthMechanisms}`,
          `  args = ${input.oauth2.argsPath}`,
          '}',
        ]
      : []),
    'userdb {',
    '  driver = static',
    `  args = uid=mail gid=mail home=${input.mailRoot}/%u allow_all_users=yes`,
    '}',
    '',
    '# No growing delay for repeated failed logins from 127.0.0.1.',
    'service anvil {',
    '  unix_listener anvil-auth-penalty {',
    '    mode = 0',
    '  }',
    '}',
    'service imap-login {',
    '  inet_listener imap {',
    '    address = 127.0.0.1',
    `    port = ${input.imapPort}`,
    '  }',
    '  inet_listener imaps {',
    '    address = 127.0.0.1',
    `    port = ${input.imapsPort}`,
    '    ssl = yes',
    '  }',
    '  inet_listener testkit {',
    '    address = 127.0.0.1',
    `    port = ${input.helperPort}`,
    '  }',
    '}',
    '',
  ].join('\n');
}

/** Dovecot's oauth2 passdb args file: RFC 7662 introspection by POST `token=…`. */
export function renderOauth2Args(introspectionUrl: string): string {
  return [
    'introspection_mode = post',
    `introspection_url = ${introspectionUrl}`,
    'username_attribute = username',
    'active_attribute = active',
    'active_value = true',
    '',
  ].join('\n');
}

/**
 * dict passdb over plain files: unlike passwd-file (re-read at most once a second), every
 * lookup reads the user's file, so a password change applies to the very next login.
 */
export function renderUsersDict(usersDir: string): string {
  return [
    `uri = fs:posix:prefix=${usersDir}/`,
    'password_key = passdb/%u',
    'iterate_disable = yes',
    'default_pass_scheme = PLAIN',
    '',
  ].join('\n');
}

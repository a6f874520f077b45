import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/config-error';
import { loadApiConfig, loadSecretKey } from '../../src/config/load-config';

const realKey = 'q1dW2m0Hc8Fv3v0YJ5aPpT7Xr9sLkE4NzBfUoGiRhQw=';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mailroom-api-config-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function configError(env: Record<string, string>): ConfigError {
  try {
    loadApiConfig(env, { cwd: dir });
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadApiConfig', () => {
  it('applies the documented defaults to an empty environment', () => {
    const config = loadApiConfig({}, { cwd: dir });
    expect(config.dataDir).toBe(join(dir, '.data'));
    expect(config.databaseUrl).toBeNull();
    expect(config.http).toEqual({ host: '127.0.0.1', port: 3000, publicUrl: null });
    expect(config.logLevel).toBe('info');
    expect(config.environment).toBe('development');
    expect(config.production).toBe(false);
    expect(config.firstAdmin).toEqual({ email: null, password: null, name: 'Administrator' });
    expect(config.sessionTtlMs).toBe(12 * 3600 * 1000);
    expect(config.adminDistDir).toMatch(/apps\/admin\/dist$/);
  });

  it('treats empty strings as unset', () => {
    const config = loadApiConfig({ MAILROOM_PORT: '', DATABASE_URL: '' }, { cwd: dir });
    expect(config.http.port).toBe(3000);
    expect(config.databaseUrl).toBeNull();
  });

  it('lists every bad variable in one error, naming each variable', () => {
    const error = configError({
      MAILROOM_PORT: 'eighty',
      MAILROOM_LOG_LEVEL: 'loud',
      DATABASE_URL: 'mysql://db/mailroom',
      MAILROOM_SECRET_KEY: 'too-short',
      MAILROOM_PUBLIC_URL: 'ftp://example.org',
    });
    expect(error.issues.map((issue) => issue.variable).sort()).toEqual([
      'DATABASE_URL',
      'MAILROOM_LOG_LEVEL',
      'MAILROOM_PORT',
      'MAILROOM_PUBLIC_URL',
      'MAILROOM_SECRET_KEY',
    ]);
    expect(error.message).toContain('Invalid configuration (5 problems)');
    expect(error.message).toContain('MAILROOM_PORT: must be a whole number between 0 and 65535');
    expect(error.message).not.toContain('too-short');
  });

  it('rejects a port above 65535', () => {
    expect(configError({ MAILROOM_PORT: '70000' }).issues).toEqual([
      { variable: 'MAILROOM_PORT', message: 'must be a whole number between 0 and 65535' },
    ]);
  });

  it('requires the admin email when an admin password is given', () => {
    const error = configError({ MAILROOM_ADMIN_PASSWORD: 'a-long-enough-password' });
    expect(error.issues).toEqual([
      {
        variable: 'MAILROOM_ADMIN_EMAIL',
        message: 'is required when MAILROOM_ADMIN_PASSWORD is set',
      },
    ]);
  });

  it('reads a secret from NAME_FILE and drops the trailing newline', async () => {
    await writeFile(join(dir, 'admin-password'), 'correct horse battery\n');
    await writeFile(join(dir, 'key'), `${realKey}\n`);
    const config = loadApiConfig(
      {
        MAILROOM_ADMIN_EMAIL: 'Admin@Example.org',
        MAILROOM_ADMIN_PASSWORD_FILE: 'admin-password',
        MAILROOM_SECRET_KEY_FILE: join(dir, 'key'),
      },
      { cwd: dir },
    );
    expect(config.firstAdmin.password).toBe('correct horse battery');
    expect(config.firstAdmin.email).toBe('admin@example.org');
    expect(config.secretKeyFromEnvironment?.toString('base64')).toBe(realKey);
  });

  it('refuses a secret set both directly and as NAME_FILE', async () => {
    await writeFile(join(dir, 'key'), realKey);
    const error = configError({ MAILROOM_SECRET_KEY: realKey, MAILROOM_SECRET_KEY_FILE: 'key' });
    expect(error.issues).toEqual([
      {
        variable: 'MAILROOM_SECRET_KEY',
        message: 'set either MAILROOM_SECRET_KEY or MAILROOM_SECRET_KEY_FILE, not both',
      },
    ]);
  });

  it('names the _FILE variable when its file cannot be read', () => {
    const error = configError({ DATABASE_URL_FILE: 'missing/url' });
    expect(error.issues).toEqual([
      { variable: 'DATABASE_URL_FILE', message: 'cannot read file missing/url (ENOENT)' },
    ]);
  });

  it('accepts a 64-character hex key as well as base64', () => {
    const hex = 'a3'.repeat(8) + '5f'.repeat(8) + '0c19e27b44d8f6a2'.repeat(2);
    const config = loadApiConfig({ MAILROOM_SECRET_KEY: hex }, { cwd: dir });
    expect(config.secretKeyFromEnvironment?.toString('hex')).toBe(hex);
  });

  describe('in production', () => {
    it('refuses placeholder secrets copied from .env.example', () => {
      const error = configError({
        NODE_ENV: 'production',
        MAILROOM_SECRET_KEY: '0'.repeat(64),
        MAILROOM_ADMIN_EMAIL: 'admin@example.org',
        MAILROOM_ADMIN_PASSWORD: 'change-me-please',
        DATABASE_URL: 'postgres://mailroom:change-me@db:5432/mailroom',
      });
      expect(error.issues.map((issue) => issue.variable).sort()).toEqual([
        'DATABASE_URL',
        'MAILROOM_ADMIN_PASSWORD',
        'MAILROOM_SECRET_KEY',
      ]);
      expect(error.issues[0]?.message).toBe(
        'looks like a placeholder or example value; a production start refuses it',
      );
    });

    it('accepts the same placeholders outside production', () => {
      const config = loadApiConfig(
        { MAILROOM_SECRET_KEY: '0'.repeat(64), MAILROOM_ENV: 'development' },
        { cwd: dir },
      );
      expect(config.production).toBe(false);
    });

    it('treats MAILROOM_ENV=production as production even without NODE_ENV', () => {
      const config = loadApiConfig(
        { MAILROOM_ENV: 'production', MAILROOM_SECRET_KEY: realKey },
        { cwd: dir },
      );
      expect(config.production).toBe(true);
      expect(config.environment).toBe('production');
    });

    it('refuses to start without a key instead of generating one', () => {
      const config = loadApiConfig({ NODE_ENV: 'production' }, { cwd: dir });
      expect(() => loadSecretKey(config)).toThrow(/MAILROOM_SECRET_KEY: is required in production/);
    });
  });
});

describe('loadSecretKey', () => {
  it('generates a key into the data folder with mode 0600 and reuses it on the next start', async () => {
    const config = loadApiConfig({ MAILROOM_DATA_DIR: 'data' }, { cwd: dir });
    const first = loadSecretKey(config);
    expect(first.source).toBe('generated');
    expect(first.key).toHaveLength(32);
    const path = join(dir, 'data', 'secret.key');
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await readFile(path, 'utf8')).trim()).toBe(first.key.toString('base64'));

    const second = loadSecretKey(config);
    expect(second.source).toBe('data-dir');
    expect(second.key.equals(first.key)).toBe(true);
  });

  it('prefers the key from the environment and writes nothing', async () => {
    const config = loadApiConfig({ MAILROOM_SECRET_KEY: realKey }, { cwd: dir });
    expect(loadSecretKey(config).source).toBe('environment');
    await expect(stat(join(dir, '.data', 'secret.key'))).rejects.toThrow(/ENOENT/);
  });

  it('requires a key with DATABASE_URL, since every process must share it', () => {
    const config = loadApiConfig(
      { DATABASE_URL: 'postgres://mailroom:s3cret@127.0.0.1:5432/mailroom' },
      { cwd: dir },
    );
    expect(() => loadSecretKey(config)).toThrow(/is required with DATABASE_URL/);
  });

  it('refuses a corrupt key file instead of replacing it', async () => {
    await writeFile(join(dir, 'secret.key'), 'not a key');
    const config = loadApiConfig({ MAILROOM_DATA_DIR: '.' }, { cwd: dir });
    expect(() => loadSecretKey(config)).toThrow(/secret\.key must be 32 bytes/);
  });
});

import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, loadWorkerConfig } from '../src/config';

const realKey = 'q1dW2m0Hc8Fv3v0YJ5aPpT7Xr9sLkE4NzBfUoGiRhQw=';
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mailroom-worker-config-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const load = (env: Record<string, string>) => loadWorkerConfig(env, { cwd: dir, pid: 4242 });

function configError(env: Record<string, string>): ConfigError {
  try {
    load(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadWorkerConfig', () => {
  it('applies the documented defaults and generates an embedded-mode key', async () => {
    const config = load({});
    expect(config.dataDir).toBe(join(dir, '.data'));
    expect(config.databaseUrl).toBeNull();
    expect(config.health).toEqual({ host: '127.0.0.1', port: 3001 });
    expect(config.workerId).toMatch(/-4242$/);
    expect(config.shutdownTimeoutMs).toBe(15_000);
    expect(config.secretKey).toHaveLength(32);
    expect((await stat(join(dir, '.data', 'secret.key'))).mode & 0o777).toBe(0o600);
  });

  it('reports every bad variable at once, by name', () => {
    const error = configError({
      MAILROOM_WORKER_HEALTH_PORT: '-1',
      MAILROOM_WORKER_ID: 'has spaces',
      MAILROOM_LOG_LEVEL: 'chatty',
    });
    expect(error.issues.map((issue) => issue.variable).sort()).toEqual([
      'MAILROOM_LOG_LEVEL',
      'MAILROOM_WORKER_HEALTH_PORT',
      'MAILROOM_WORKER_ID',
    ]);
    expect(error.message).toMatch(/^Invalid configuration \(3 problems\):/);
  });

  it('reads DATABASE_URL and the key from their _FILE variants', async () => {
    await writeFile(join(dir, 'db-url'), 'postgres://mailroom:s3cr3t-Pw@127.0.0.1:5432/mailroom\n');
    await writeFile(join(dir, 'key'), realKey);
    const config = load({ DATABASE_URL_FILE: 'db-url', MAILROOM_SECRET_KEY_FILE: 'key' });
    expect(config.databaseUrl).toBe('postgres://mailroom:s3cr3t-Pw@127.0.0.1:5432/mailroom');
    expect(config.secretKey.toString('base64')).toBe(realKey);
  });

  it('requires the shared key when DATABASE_URL is set', () => {
    const error = configError({ DATABASE_URL: 'postgres://mailroom:s3cr3t-Pw@127.0.0.1/mailroom' });
    expect(error.issues[0]?.variable).toBe('MAILROOM_SECRET_KEY');
    expect(error.issues[0]?.message).toMatch(/is required with DATABASE_URL/);
  });

  it('refuses placeholder secrets and a missing key in production', () => {
    const placeholder = configError({
      MAILROOM_ENV: 'production',
      MAILROOM_SECRET_KEY: 'A'.repeat(43) + '=',
    });
    expect(placeholder.issues).toEqual([
      {
        variable: 'MAILROOM_SECRET_KEY',
        message: 'looks like a placeholder or example value; a production start refuses it',
      },
    ]);
    const missing = configError({ NODE_ENV: 'production' });
    expect(missing.issues[0]?.message).toMatch(/is required in production/);
  });
});

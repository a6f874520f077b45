import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  adminDistDir,
  makeDataDir,
  openBrowser,
  requireChromium,
  runCli,
  startMailroom,
  type RunningMailroom,
} from './support';

const admin = {
  email: 'erin.admin@example.test',
  name: 'Erin Example',
  password: 'e2e-admin-password-123',
};
/** Screenshots for a human to look at after a run (the test prints nothing else). */
export const screenshots = {
  login: join(tmpdir(), 'mailroom-admin-e2e-login.png'),
  landing: join(tmpdir(), 'mailroom-admin-e2e-landing.png'),
  landingNarrow: join(tmpdir(), 'mailroom-admin-e2e-landing-narrow.png'),
};

describe('the admin app, end to end', () => {
  let dataDir: string;
  let mailroom: RunningMailroom;
  let browser: Awaited<ReturnType<typeof openBrowser>>;

  beforeAll(async () => {
    requireChromium();
    const distDir = adminDistDir;
    const data = await makeDataDir();
    dataDir = data.dir;
    const env = {
      PATH: process.env.PATH,
      MAILROOM_DATA_DIR: dataDir,
      MAILROOM_PORT: '0',
      MAILROOM_LOG_LEVEL: 'warn',
      MAILROOM_ADMIN_DIST_DIR: distDir,
    };
    const created = await runCli(
      [
        'user',
        'create',
        '--email',
        admin.email,
        '--name',
        admin.name,
        '--role',
        'admin',
        '--password-file',
        await data.passwordFile(admin.password),
      ],
      env,
    );
    expect(created.code, created.output).toBe(0);
    mailroom = await startMailroom(env);
    browser = await openBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    const code = await mailroom?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
    expect(code, mailroom?.output()).toBe(0);
  });

  async function signIn(page: Page, password: string) {
    await page.getByLabel('Email address').fill(admin.email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  it('sends a signed-out visitor to the login page', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${mailroom.url}/`);
    await page.waitForURL(`${mailroom.url}/login`);
    await expect(page.getByRole('heading', { name: 'Sign in' }).isVisible()).resolves.toBe(true);
    expect(await page.title()).toBe('Sign in · Mailroom');
    await page.close();
  });

  it('shows the UI text for a wrong password and stays on the login page', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${mailroom.url}/login`);
    await signIn(page, 'not-the-password');
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toBe(
      'That email address and password do not match an account.',
    );
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.screenshot({ path: screenshots.login });
    await page.close();
  });

  it('signs in and shows who is signed in on the landing page, then signs out', async () => {
    const page = await browser.context.newPage();
    const consoleErrors: string[] = [];
    page.on('console', (message) => {
      // The 401 from /api/v1/me before signing in is expected; anything else is a bug.
      if (message.type() === 'error' && !message.text().includes('401'))
        consoleErrors.push(message.text());
    });
    await page.goto(`${mailroom.url}/login`);
    await signIn(page, admin.password);
    await page.getByRole('heading', { name: 'Welcome, Erin' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/');
    expect(await page.getByTestId('me-name').textContent()).toBe(admin.name);
    expect(await page.getByTestId('me-email').textContent()).toBe(admin.email);
    expect(await page.getByTestId('me-role').textContent()).toContain('Admin');
    await page.screenshot({ path: screenshots.landing, fullPage: true });
    await page.setViewportSize({ width: 375, height: 700 });
    await page.screenshot({ path: screenshots.landingNarrow, fullPage: true });

    // The session survives a reload (httpOnly cookie, not page state).
    await page.reload();
    await page.getByRole('heading', { name: 'Welcome, Erin' }).waitFor();

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${mailroom.url}/login`);
    await page.goto(`${mailroom.url}/`);
    await page.waitForURL(`${mailroom.url}/login`);
    expect(consoleErrors).toEqual([]);
    await page.close();
  });
});

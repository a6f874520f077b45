/**
 * The mailbox wizard end to end: the real API (on a temp PGlite folder, started
 * by the real CLI) talks to a private Dovecot; Chromium drives the admin app.
 */
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDovecot, type Dovecot } from '@mailroom/testkit';
import { buildUser, createUser, type UserInput } from './factories';
import {
  adminDistDir,
  makeDataDir,
  openBrowser,
  requireChromium,
  startMailroom,
  type RunningMailroom,
} from './support';

const MAIL_PASSWORD = 'Dovecot-E2E-pass-7731';
const shot = (name: string) => join(tmpdir(), `mailroom-admin-e2e-${name}.png`);

const mail = (subject: string) =>
  `From: Customer <customer@example.com>\r\nTo: support@example.test\r\nSubject: ${subject}\r\nMessage-ID: <${subject.replace(/\W/g, '')}@example.com>\r\n\r\nHello\r\n`;

describe('mailboxes in the admin app', () => {
  let dataDir: string;
  let mailroom: RunningMailroom;
  let browser: Awaited<ReturnType<typeof openBrowser>>;
  let dovecot: Dovecot;
  let admin: UserInput;

  beforeAll(async () => {
    requireChromium();
    dovecot = await startDovecot({ users: { support: MAIL_PASSWORD } });
    await dovecot.createFolder('support', 'Archive');
    await dovecot.createFolder('support', 'Support/Done');
    await dovecot.append('support', 'INBOX', mail('first question'));
    const data = await makeDataDir();
    dataDir = data.dir;
    const env = {
      PATH: process.env.PATH,
      MAILROOM_DATA_DIR: dataDir,
      MAILROOM_PORT: '0',
      MAILROOM_LOG_LEVEL: 'warn',
      MAILROOM_ADMIN_DIST_DIR: adminDistDir,
    };
    admin = await createUser(env, dataDir, buildUser({ name: 'Ada Admin', role: 'admin' }));
    mailroom = await startMailroom(env);
    browser = await openBrowser();
    const page = await browser.context.newPage();
    await page.goto(`${mailroom.url}/login`);
    await page.getByLabel('Email address', { exact: true }).fill(admin.email);
    await page.getByLabel('Password', { exact: true }).fill(admin.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Welcome, Ada' }).waitFor();
    await page.close();
  });

  afterAll(async () => {
    await browser?.close();
    const code = await mailroom?.stop();
    await dovecot?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
    expect(code, mailroom?.output()).toBe(0);
  });

  /** Opens `path` in a new tab of the signed-in browser (beforeAll signed in; the context keeps the cookie). */
  async function signedInPage(path: string): Promise<Page> {
    const page = await browser.context.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(`${mailroom.url}${path}`);
    await page.locator('.shell-user').waitFor();
    expect(new URL(page.url()).pathname).toBe(path);
    return page;
  }

  async function fillConnection(page: Page, input: { name: string; password: string }) {
    await page.getByLabel('Name', { exact: true }).fill(input.name);
    await page.getByLabel('IMAP host', { exact: true }).fill(dovecot.host);
    await page.getByLabel('Encryption', { exact: true }).selectOption('implicit');
    expect(await page.getByLabel('Port', { exact: true }).inputValue()).toBe('993');
    await page.getByLabel('Port', { exact: true }).fill(String(dovecot.imapsPort));
    await page.getByLabel('User name', { exact: true }).fill('support');
    await page.getByLabel('Reply-to address', { exact: true }).fill('support@example.test');
    await page.getByLabel('Trust this server’s self-signed certificate', { exact: true }).check();
    await page.getByLabel('Password', { exact: true }).fill(input.password);
  }

  it('shows an empty list with a way to add the first mailbox', async () => {
    const page = await signedInPage('/mailboxes');
    await page.getByRole('heading', { name: 'No mailboxes yet' }).waitFor();
    await page.getByRole('link', { name: 'Add your first mailbox' }).click();
    await page.waitForURL(`${mailroom.url}/mailboxes/new`);
    await page.getByRole('heading', { name: 'Add mailbox' }).waitFor();
    await page.close();
  });

  it('suggests 143 for STARTTLS and 993 for implicit TLS', async () => {
    const page = await signedInPage('/mailboxes/new');
    const port = page.getByLabel('Port', { exact: true });
    expect(await port.inputValue()).toBe('993');
    await page.getByLabel('Encryption', { exact: true }).selectOption('starttls');
    expect(await port.inputValue()).toBe('143');
    await page.getByLabel('Encryption', { exact: true }).selectOption('implicit');
    expect(await port.inputValue()).toBe('993');
    // A port the admin typed is kept.
    await port.fill('1993');
    await page.getByLabel('Encryption', { exact: true }).selectOption('starttls');
    expect(await port.inputValue()).toBe('1993');
    await page.close();
  });

  it('says in words that a wrong password was rejected', async () => {
    const page = await signedInPage('/mailboxes/new');
    await fillConnection(page, { name: 'Wrong password', password: 'not-the-password' });
    await page.getByRole('button', { name: 'Test Connection' }).click();
    const result = page.getByTestId('test-result');
    await result.waitFor();
    expect(await result.textContent()).toContain(
      'The server rejected the user name or password. Check both and try again.',
    );
    expect(
      await result.getByRole('listitem').filter({ hasText: 'Sign in' }).last().textContent(),
    ).toContain('failed');
    expect(await page.content()).not.toContain('not-the-password');
    await page.close();
  });

  it('says what is missing when Test Connection cannot even try', async () => {
    const page = await signedInPage('/mailboxes/new');
    await fillConnection(page, { name: 'No password', password: MAIL_PASSWORD });
    await page.getByLabel('Password', { exact: true }).fill('');
    await page.getByRole('button', { name: 'Test Connection' }).click();
    const error = page.getByTestId('test-error');
    await error.waitFor();
    expect(await error.textContent()).toContain('Some settings are still missing.');
    expect(await error.getByRole('link', { name: 'Password' }).count()).toBe(1);
    expect(await page.getByLabel('Password', { exact: true }).getAttribute('aria-invalid')).toBe(
      'true',
    );
    await page.close();
  });

  it('shows the server’s field errors next to the fields when saving', async () => {
    const page = await signedInPage('/mailboxes/new');
    await fillConnection(page, { name: 'Bad host', password: MAIL_PASSWORD });
    await page.getByLabel('IMAP host', { exact: true }).fill('imap://mail.example.com');
    await page.getByLabel('Reply-to address', { exact: true }).fill('not an address');
    await page.getByRole('button', { name: 'Create mailbox' }).click();
    await page.getByTestId('form-error').waitFor();
    expect(await page.getByTestId('form-error').textContent()).toContain(
      'Some fields need your attention.',
    );
    const host = page.getByLabel('IMAP host', { exact: true });
    expect(await host.getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#mb-host-error').textContent()).toContain(
      'enter a host name, not a URL',
    );
    expect(await page.locator('#mb-reply-to-error').textContent()).toContain('valid email address');
    expect(new URL(page.url()).pathname).toBe('/mailboxes/new');
    await page.close();
  });

  it('tests the connection against Dovecot, maps its folders, saves, and lists the mailbox', async () => {
    const page = await signedInPage('/mailboxes/new');
    await fillConnection(page, { name: 'Support', password: MAIL_PASSWORD });

    await page.getByRole('button', { name: 'Test Connection' }).click();
    const result = page.getByTestId('test-result');
    await result.waitFor();
    const text = (await result.textContent()) ?? '';
    expect(text).toMatch(/Connection works\. Mailroom signed in and found \d+ folders\./);
    for (const step of [
      'Find the server (DNS)',
      'Connect',
      'Encrypt (TLS)',
      'Sign in',
      'List folders',
    ]) {
      expect(text).toContain(step);
    }
    expect(text).toMatch(/\d+ ms/);
    expect(text).toContain('IDLE');

    const readOptions = await page.locator('#mb-read option').allTextContents();
    expect(readOptions.map((option) => option.split(' ')[0])).toEqual(
      expect.arrayContaining(['INBOX', 'Archive', 'Support/Done']),
    );
    expect(readOptions.find((option) => option.startsWith('INBOX'))).toContain('1 emails');
    await page.locator('#mb-read').selectOption(['INBOX']);
    await page.getByLabel('After a mail is processed', { exact: true }).selectOption('move');
    await page.getByLabel('Success folder', { exact: true }).selectOption('Archive');
    await page.getByLabel('Exclusion folder', { exact: true }).selectOption('Support/Done');
    await page.screenshot({ path: shot('editor-tested'), fullPage: true });
    await page.setViewportSize({ width: 375, height: 800 });
    await page.getByTestId('test-result').scrollIntoViewIfNeeded();
    await page.screenshot({ path: shot('editor-tested-narrow') });
    await page.setViewportSize({ width: 1280, height: 800 });

    await page.getByRole('button', { name: 'Create mailbox' }).click();
    await page.waitForURL(/\/mailboxes\/[0-9a-f-]{36}$/);
    await page.getByRole('status').filter({ hasText: 'Mailbox created as a draft.' }).waitFor();
    // The password is write-only: the form shows that one is stored, never the value.
    await page.getByText('A password is stored. Leave empty to keep it.').waitFor();
    expect(await page.getByLabel('Password', { exact: true }).inputValue()).toBe('');
    expect(await page.getByLabel('Success folder', { exact: true }).inputValue()).toBe('Archive');

    // Saved mailboxes are tested with the stored password.
    await page.getByRole('button', { name: 'Test Connection' }).click();
    await page.getByTestId('test-result').filter({ hasText: 'Connection works' }).waitFor();

    await page.getByRole('link', { name: 'Back to mailboxes' }).click();
    await page.waitForURL(`${mailroom.url}/mailboxes`);
    const row = page.getByRole('row').filter({ hasText: 'Support' });
    await row.waitFor();
    const rowText = (await row.textContent()) ?? '';
    expect(rowText).toContain('support@example.test');
    expect(rowText).toContain('Draft');
    expect(rowText).toContain('activate it to start reading mail');
    await page.screenshot({ path: shot('mailboxes'), fullPage: true });
    await page.setViewportSize({ width: 375, height: 800 });
    await page.screenshot({ path: shot('mailboxes-narrow'), fullPage: true });
    await page.close();
  });

  it('lists in words what is missing when activation is refused', async () => {
    const page = await signedInPage('/mailboxes');
    await page.getByRole('link', { name: 'Support', exact: true }).click();
    await page.getByRole('button', { name: 'Activate' }).click();
    const alert = page.getByTestId('form-error');
    await alert.waitFor();
    const text = (await alert.textContent()) ?? '';
    expect(text).toContain('Some settings are still missing.');
    expect(await alert.getByRole('listitem').count()).toBeGreaterThan(0);
    expect(text).toContain('Ticket mapping');
    await page.screenshot({ path: shot('activate-refused'), fullPage: true });
    await page.close();
  });
});

/**
 * From email to ticket through the admin app: an admin maps a mailbox to a
 * published template (a required field typed by the template), activates it,
 * and the embedded engine turns the mail waiting in the private Dovecot into a
 * ticket that agents see with its thread; the ledger says what happened.
 */
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDovecot, type Dovecot } from '@mailroom/testkit';
import {
  buildUser,
  createMailbox,
  createTemplate,
  createTicketType,
  createUser,
  signInApi,
  type UserInput,
} from './factories';
import {
  adminDistDir,
  makeDataDir,
  openBrowser,
  requireChromium,
  startMailroom,
  type RunningMailroom,
} from './support';

const MAIL_PASSWORD = 'Dovecot-E2E-tickets-5521';
const shot = (name: string) => join(tmpdir(), `mailroom-admin-e2e-${name}.png`);

/** A 48x48 orange square, sent inline (cid:) with the HTML. */
const LOGO_PNG =
  'iVBORw0KGgoAAAANSUhEUgAAADAAAAAwCAIAAADYYG7QAAAAOklEQVR42u3OQQ0AAAgEoMtiUOOawxbOBxsByHS9EiEhISEhISEhISEhISEhISEhISEhISEhISGhOwv77bbEr1eQQAAAAABJRU5ErkJggg==';
const REPORT_PDF = '%PDF-1.4\n% printer report\n%%EOF\n';

const htmlMail = [
  'From: Carla Customer <carla@customer.example>',
  'To: helpdesk@example.test',
  'Cc: Boss <boss@customer.example>',
  'Subject: Printer on fire',
  'Message-ID: <printer-on-fire@customer.example>',
  'Date: Tue, 03 Feb 2026 09:15:00 +0000',
  'MIME-Version: 1.0',
  'Content-Type: multipart/mixed; boundary="m1"',
  '',
  '--m1',
  'Content-Type: multipart/related; boundary="r1"',
  '',
  '--r1',
  'Content-Type: multipart/alternative; boundary="b1"',
  '',
  '--b1',
  'Content-Type: text/plain; charset=utf-8',
  '',
  'The printer is on fire. Please help.',
  '--b1',
  'Content-Type: text/html; charset=utf-8',
  '',
  '<p style="color: #c0392b; font-size: 20px">The printer is <b>on fire</b>.</p>' +
    '<p><img src="cid:logo@customer.example" alt="Customer logo" width="48" height="48"></p>' +
    '<script>parent.document.title="pwned"</script>' +
    '<img src="https://tracker.example/banner.gif" alt="Remote banner">',
  '--b1--',
  '--r1',
  'Content-Type: image/png; name="logo.png"',
  'Content-ID: <logo@customer.example>',
  'Content-Disposition: inline; filename="logo.png"',
  'Content-Transfer-Encoding: base64',
  '',
  LOGO_PNG,
  '--r1--',
  '--m1',
  'Content-Type: application/pdf; name="printer-report.pdf"',
  'Content-Disposition: attachment; filename="printer-report.pdf"',
  'Content-Transfer-Encoding: base64',
  '',
  Buffer.from(REPORT_PDF).toString('base64'),
  '--m1--',
  '',
].join('\r\n');

describe('tickets from email, in the admin app', () => {
  let dataDir: string;
  let mailroom: RunningMailroom;
  let browser: Awaited<ReturnType<typeof openBrowser>>;
  let dovecot: Dovecot;
  let admin: UserInput;
  let agent: UserInput;
  let mailboxId: string;

  beforeAll(async () => {
    requireChromium();
    dovecot = await startDovecot({ users: { helpdesk: MAIL_PASSWORD } });
    await dovecot.append('helpdesk', 'INBOX', htmlMail);
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
    agent = await createUser(env, dataDir, buildUser({ name: 'Aiden Agent', role: 'agent' }));
    mailroom = await startMailroom(env);

    const api = await signInApi(mailroom.url, admin);
    await createTicketType(api, 'Incident');
    await createTicketType(api, 'Question');
    await createTemplate(api, {
      name: 'Hardware support',
      fields: [
        {
          key: 'product',
          label: 'Product',
          type: 'select',
          required: true,
          options: ['Printer', 'Laptop'],
        },
      ],
    });
    await createTemplate(api, { name: 'Unpublished draft', status: 'draft' });
    const mailbox = await createMailbox(api, {
      name: 'Helpdesk',
      host: dovecot.host,
      port: dovecot.imapsPort,
      username: 'helpdesk',
      password: MAIL_PASSWORD,
    });
    mailboxId = mailbox.id;
    browser = await openBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    const code = await mailroom?.stop();
    await dovecot?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
    expect(code, mailroom?.output()).toBe(0);
  });

  /** Signs `user` in (the browser keeps one session, so the previous one is dropped first). */
  async function signIn(user: UserInput, path: string): Promise<Page> {
    await browser.context.clearCookies();
    const page = await browser.context.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(`${mailroom.url}/login?redirect=${encodeURIComponent(path)}`);
    await page.getByLabel('Email address').fill(user.email);
    await page.getByLabel('Password').fill(user.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${mailroom.url}${path}`);
    return page;
  }

  it('maps the mailbox to a published template, activates it, and the mail becomes a ticket', async () => {
    const page = await signIn(admin, `/mailboxes/${mailboxId}`);
    const template = page.getByLabel('Ticket template', { exact: true });
    await template
      .locator('option', { hasText: 'Hardware support' })
      .waitFor({ state: 'attached' });
    expect(await template.locator('option').allTextContents()).not.toContain('Unpublished draft');
    await template.selectOption({ label: 'Hardware support' });
    await page.getByRole('checkbox', { name: 'Incident' }).check();
    await page.getByRole('checkbox', { name: 'Question' }).check();
    await page.getByLabel('Default type', { exact: true }).selectOption({ label: 'Incident' });
    // The template's required select field is offered with its options.
    const product = page.getByLabel('Product (required)', { exact: true });
    expect(await product.locator('option').allTextContents()).toEqual([
      '— choose —',
      'Printer',
      'Laptop',
    ]);
    await product.selectOption('Printer');
    await page.getByRole('button', { name: 'Add rule' }).click();
    await page.getByLabel('Rule 1 keyword', { exact: true }).fill('question');
    await page.getByLabel('Rule 1 type', { exact: true }).selectOption({ label: 'Question' });

    // Keep inline images too, so the thread can show the mail's cid: logo.
    await page
      .getByLabel('Attachments', { exact: true })
      .selectOption({ label: 'All attachments' });

    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    await page.getByRole('button', { name: 'Activate' }).click();
    await page.getByRole('status').filter({ hasText: 'Activated' }).waitFor();
    await page.getByRole('button', { name: 'Pause' }).waitFor();
    await page.screenshot({ path: shot('editor-mapping'), fullPage: true });

    await page.getByRole('link', { name: 'Mailboxes', exact: true }).first().click();
    const row = page.getByTestId(`mailbox-row-${mailboxId}`);
    await row.getByText('Active').waitFor();
    // The list refreshes by itself until the engine reports the ticket.
    await row
      .locator('dd', { hasText: /^\s*1\s*$/ })
      .first()
      .waitFor({ timeout: 45_000 });
    await page.screenshot({ path: shot('mailboxes-active'), fullPage: true });
    await page.close();
  });

  it('shows agents the ticket list and the thread, with the HTML sandboxed', async () => {
    const page = await signIn(agent, '/tickets');
    expect(await page.getByRole('link', { name: 'Mailboxes' }).count()).toBe(0);
    const link = page.getByRole('link', { name: 'Printer on fire' });
    await link.waitFor({ timeout: 30_000 });
    const row = page.getByRole('row').filter({ has: link });
    expect(await row.textContent()).toContain('Carla Customer <carla@customer.example>');
    expect(await row.textContent()).toContain('email');
    await page.screenshot({ path: shot('tickets'), fullPage: true });

    await link.click();
    await page.getByRole('heading', { name: /Printer on fire/ }).waitFor();
    const message = page.locator('.message').first();
    expect(await message.textContent()).toContain('Carla Customer <carla@customer.example>');
    expect(await message.textContent()).toContain('Cc Boss <boss@customer.example>');
    const frame = page.frameLocator('iframe.message-frame');
    await frame.locator('b', { hasText: 'on fire' }).waitFor();
    const frameElement = page.locator('iframe.message-frame');
    expect(await frameElement.getAttribute('sandbox')).not.toContain('allow-scripts');
    // The frame loads the API's message document, not an inline srcdoc.
    expect(await frameElement.getAttribute('src')).toMatch(
      /\/api\/v1\/tickets\/[\w-]+\/messages\/[\w-]+\/html$/,
    );
    expect(await page.title()).not.toBe('pwned');
    // The mail's own inline style applies (the document's CSP allows inline styles).
    const paragraph = frame.locator('p', { hasText: 'The printer is' });
    expect(await paragraph.evaluate((element) => getComputedStyle(element).color)).toBe(
      'rgb(192, 57, 43)',
    );
    // The cid: image is served from the message's attachment and has loaded.
    const logo = frame.getByRole('img', { name: 'Customer logo' });
    await logo.waitFor();
    await expect
      .poll(() => logo.evaluate((image: HTMLImageElement) => image.complete && image.naturalWidth))
      .toBe(48);
    expect(await logo.getAttribute('src')).toMatch(/\/api\/v1\/tickets\/[\w-]+\/attachments\//);
    // The remote image is never requested: it has no src at all.
    const banner = frame.locator('img[data-remote-src]');
    expect(await banner.getAttribute('src')).toBeNull();
    await page.screenshot({ path: shot('ticket-html'), fullPage: true });

    // The attachment is listed with its size and downloads.
    const report = page.getByRole('link', { name: 'printer-report.pdf' });
    expect(await page.locator('.attachments li', { has: report }).textContent()).toMatch(
      /application\/pdf · \d+ B/,
    );
    const [download] = await Promise.all([page.waitForEvent('download'), report.click()]);
    expect(download.suggestedFilename()).toBe('printer-report.pdf');
    const saved = join(tmpdir(), `mailroom-e2e-${Date.now()}-printer-report.pdf`);
    await download.saveAs(saved);
    expect(await readFile(saved, 'utf8')).toBe(REPORT_PDF);
    await rm(saved, { force: true });
    await page.getByRole('button', { name: 'Show plain text' }).click();
    await page.getByText('The printer is on fire. Please help.').waitFor();
    await page.screenshot({ path: shot('ticket'), fullPage: true });
    await page.setViewportSize({ width: 375, height: 800 });
    await page.screenshot({ path: shot('ticket-narrow'), fullPage: true });
    await page.close();
  });

  it('sends agents away from admin pages', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${mailroom.url}/mailboxes`);
    await page.waitForURL(`${mailroom.url}/tickets`);
    await page.close();
  });

  it('lists the email in the mailbox ledger with its outcome and reason', async () => {
    const page = await signIn(admin, `/mailboxes/${mailboxId}/ledger`);
    const row = page.getByRole('row').filter({ hasText: 'Printer on fire' });
    await row.waitFor();
    expect(await row.textContent()).toContain('Ticket created');
    await page.getByLabel('Outcome').selectOption('skipped');
    await page.getByText('No emails with this outcome yet.').waitFor();
    await page.screenshot({ path: shot('ledger'), fullPage: true });
    await page.close();
  });
});

/**
 * Runs once before the e2e files: fails fast without Chromium and builds the
 * admin app once, so test files running in parallel never race on dist/.
 */
import { buildAdminApp, requireChromium } from './support';

export default async function setup(): Promise<void> {
  requireChromium();
  await buildAdminApp();
}

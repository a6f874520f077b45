/**
 * The channel `mailroom inspect` uses when no --channel file is given: every built-in
 * default of the Reading Settings (auto-replies, bounces and complaints excluded, bulk
 * kept, every sender domain allowed), no own addresses, and no ticket mapping, so a mail
 * that passes the filters becomes a plain ticket without template fields.
 */
import { readingSettingsSchema, type ChannelSettings } from '@mailroom/domain';

export const defaultChannelSettings = (): ChannelSettings => ({
  mailboxId: 'inspect',
  tenantId: 'inspect',
  ownAddresses: [],
  reading: readingSettingsSchema.parse({}),
});

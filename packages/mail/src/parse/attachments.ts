/**
 * mailparser attachments -> `ParsedAttachment`: both hashes computed here (md5 for
 * compatibility, sha256 for content-addressed storage), a file name for parts that have
 * none, and `inline` only for parts the HTML body actually shows (a Content-ID inside
 * multipart/related, or referenced as `cid:`), so photos sent "inline" by Apple Mail
 * still count as attachments.
 */
import { createHash } from 'node:crypto';
import type { ParsedAttachment } from '@mailroom/domain';
import type { Attachment } from 'mailparser';

const extensions: Record<string, string> = {
  'text/plain': '.txt',
  'text/html': '.html',
  'text/calendar': '.ics',
  'text/rfc822-headers': '.txt',
  'message/rfc822': '.eml',
  'message/global': '.eml',
  'message/delivery-status': '.txt',
  'message/feedback-report': '.txt',
  'message/disposition-notification': '.txt',
  'application/pdf': '.pdf',
  'application/zip': '.zip',
  'application/ms-tnef': '.dat',
  'application/pgp-signature': '.asc',
  'application/pgp-encrypted': '.asc',
  'application/pkcs7-signature': '.p7s',
  'application/x-pkcs7-signature': '.p7s',
  'application/pkcs7-mime': '.p7m',
  'application/x-pkcs7-mime': '.p7m',
  'image/png': '.png',
  'image/jpeg': '.jpg',
  'image/gif': '.gif',
  'image/webp': '.webp',
};

// eslint-disable-next-line no-control-regex -- control characters are what it removes
const UNSAFE_IN_FILENAME = /[\x00-\x1f\x7f/\\]/g;

const cleanFilename = (name: string): string =>
  name.replace(UNSAFE_IN_FILENAME, '_').trim().slice(0, 255);

export const toParsedAttachments = (
  attachments: readonly Attachment[],
  html: string | null,
): ParsedAttachment[] =>
  attachments.map((attachment, index) => {
    const content: Buffer = Buffer.isBuffer(attachment.content)
      ? attachment.content
      : Buffer.alloc(0);
    const contentType = (attachment.contentType || 'application/octet-stream').toLowerCase();
    const contentId =
      typeof attachment.cid === 'string' && attachment.cid.trim() ? attachment.cid.trim() : null;
    const isMessage = contentType === 'message/rfc822' || contentType === 'message/global';
    const referenced =
      contentId !== null &&
      html !== null &&
      html.toLowerCase().includes(`cid:${contentId.toLowerCase()}`);
    const given = typeof attachment.filename === 'string' ? cleanFilename(attachment.filename) : '';
    const filename =
      given ||
      `${isMessage ? 'message' : 'attachment'}-${index + 1}${extensions[contentType] ?? '.bin'}`;
    return {
      filename,
      contentType,
      size: content.length,
      contentId,
      inline: contentId !== null && (attachment.related === true || referenced),
      md5: createHash('md5').update(content).digest('hex'),
      sha256: createHash('sha256').update(content).digest('hex'),
      content,
      isMessage,
    };
  });

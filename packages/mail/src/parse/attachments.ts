/**
 * mailparser attachments -> `ParsedAttachment`: both hashes computed here (md5 for
 * compatibility, sha256 for content-addressed storage), a file name for parts that have
 * none, and `inline` only for parts the HTML body actually shows (a Content-ID inside
 * multipart/related, or referenced as `cid:`), so photos sent "inline" by Apple Mail
 * still count as attachments.
 */
import { createHash } from 'node:crypto';
import type { ParsedAttachment } from '@mailroom/domain';
import { TextDecoder } from 'node:util';
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

/**
 * A raw UTF-8 file name that was read as Latin-1 ("ÐÐ°ÑÑÐ¸Ð½ÐºÐ°" for "Картинка") is
 * turned back; a real Latin-1 name ("Résumé") is not valid UTF-8 that way and stays.
 */
const utf8Fatal = new TextDecoder('utf-8', { fatal: true });

const repairMojibake = (name: string): string => {
  if (!/[\u0080-\u00ff]/.test(name) || /[\u0100-\uffff]/.test(name)) return name;
  const bytes = Buffer.from(name, 'latin1');
  // Long names are often cut mid-character by the sender: drop an incomplete last one.
  for (let cut = 0; cut <= 3 && cut < bytes.length; cut += 1) {
    try {
      const decoded = utf8Fatal.decode(bytes.subarray(0, bytes.length - cut));
      // Only when real multi-byte characters came out: "Café" cut to "Caf" is no repair.
      return /[\u0080-\uffff]/.test(decoded) ? decoded : name;
    } catch {
      // try with the last byte(s) cut
    }
  }
  return name;
};

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
    const given =
      typeof attachment.filename === 'string'
        ? cleanFilename(repairMojibake(attachment.filename))
        : '';
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

/**
 * Turns a message's stored HTML (sanitized at ingestion) into the stand-alone
 * document the HTML endpoint serves, and the CSP that document needs. Pure.
 * `cid:` images become the download URL of the same message's attachment with
 * that Content-ID, and only those exact URLs are allowed as image sources;
 * nothing here may re-enable remote content (remote images stay in
 * `data-remote-src`, which no browser loads).
 */
import type { Attachment } from '@mailroom/db';

export interface MessageDocument {
  html: string;
  /** Attachments the document shows as images (their download paths are in `html`). */
  inlineImages: Attachment[];
}

/** Where an attachment downloads from; the HTML endpoint's CSP lists these paths (absolute). */
export const attachmentPath = (ticketId: string, attachmentId: string): string =>
  `/api/v1/tickets/${encodeURIComponent(ticketId)}/attachments/${encodeURIComponent(attachmentId)}`;

/** Same normalisation as the sanitizer: `cid:<a%40b>` and `cid:a@b` name the same part. */
export const normalizeContentId = (value: string): string => {
  let id = value.replace(/^cid:/i, '').trim();
  try {
    id = decodeURIComponent(id);
  } catch {
    // keep the raw value
  }
  return id.trim().replace(/^<|>$/g, '').toLowerCase();
};

const decodeAttribute = (value: string): string =>
  value
    .replace(/&quot;/g, '"')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

const escapeHtml = (value: string): string =>
  value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * Base typography for the mail's own document; the mail's inline styles come
 * after it in the cascade and win. Images never overflow the frame.
 */
const baseStyle = [
  'html{color-scheme:light}',
  'body{margin:0;padding:.5rem .75rem;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1f29;background:#fff;overflow-wrap:anywhere}',
  'img{max-width:100%;height:auto}',
  'pre{white-space:pre-wrap}',
].join('');

/**
 * Rewrites `<img src="cid:...">` in sanitized HTML. The sanitizer's output
 * escapes `>` inside attribute values and `<` in text, so `<img ...>` matches
 * whole tags and never text that merely looks like one.
 */
export const rewriteCidImages = (
  html: string,
  input: { ticketId: string; attachments: readonly Attachment[] },
): MessageDocument => {
  const byContentId = new Map<string, Attachment>();
  for (const attachment of input.attachments) {
    if (attachment.contentId) byContentId.set(normalizeContentId(attachment.contentId), attachment);
  }
  const used = new Map<string, Attachment>();
  const rewritten = html.replace(/<img\b[^>]*>/gi, (tag) =>
    tag.replace(/(\ssrc=")(cid:[^"]*)"/i, (whole, prefix: string, value: string) => {
      const attachment = byContentId.get(normalizeContentId(decodeAttribute(value)));
      if (!attachment) return whole;
      used.set(attachment.id, attachment);
      return `${prefix}${escapeHtml(attachmentPath(input.ticketId, attachment.id))}"`;
    }),
  );
  return { html: rewritten, inlineImages: [...used.values()] };
};

/** The full document served for one message: its HTML, or its text when it has none. */
export const buildMessageDocument = (input: {
  ticketId: string;
  html: string | null;
  text: string;
  subject: string;
  attachments: readonly Attachment[];
}): MessageDocument => {
  const body =
    input.html === null
      ? { html: `<pre>${escapeHtml(input.text)}</pre>`, inlineImages: [] }
      : rewriteCidImages(input.html, input);
  return {
    inlineImages: body.inlineImages,
    html:
      '<!doctype html><html><head><meta charset="utf-8">' +
      `<title>${escapeHtml(input.subject)}</title>` +
      `<style>${baseStyle}</style></head><body>${body.html}</body></html>`,
  };
};

/**
 * The document's own CSP: nothing runs, nothing leaves. Images only from
 * data:, cid: (inert) and the exact attachment URLs of this message. The
 * sandbox keeps the document's origin (`allow-same-origin`) because those
 * image requests must carry the SameSite=Strict session cookie and pass the
 * API's `Cross-Origin-Resource-Policy: same-origin`, which an opaque origin
 * never does; without `allow-scripts` no code can use that origin. Links open
 * in a new tab (`allow-popups…`); forms and top navigation stay blocked.
 */
export const messageDocumentCsp = (origin: string, ticketId: string, images: Attachment[]) => {
  const imageSources = images.map((image) => `${origin}${attachmentPath(ticketId, image.id)}`);
  return [
    "default-src 'none'",
    "style-src 'unsafe-inline'",
    ['img-src data: cid:', ...imageSources].join(' '),
    "frame-ancestors 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    'sandbox allow-same-origin allow-popups allow-popups-to-escape-sandbox',
  ].join('; ');
};

/**
 * How an attachment is handed to a browser (pure). Mail attachments are
 * attacker-controlled: anything a browser could render as an active document
 * (html, svg, xml, javascript, …) is served as `application/octet-stream`
 * with `Content-Disposition: attachment`, so it never runs on our origin.
 * Only an allow-list of passive types (raster images, pdf) may be `inline`.
 */

/** Shown in the browser when opened directly; everything else downloads. */
const inlineTypes = new Set([
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'image/avif',
  'image/bmp',
  'application/pdf',
]);

/**
 * Types served with their own Content-Type but as a download. Anything not
 * here and not inline becomes application/octet-stream: an unknown type is
 * never trusted to be passive.
 */
const passiveDownloadTypes = new Set([
  'text/plain',
  'text/csv',
  'text/calendar',
  'application/zip',
  'application/gzip',
  'application/msword',
  'application/vnd.ms-excel',
  'application/vnd.ms-powerpoint',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'application/vnd.oasis.opendocument.text',
  'application/vnd.oasis.opendocument.spreadsheet',
  'message/rfc822',
  'audio/mpeg',
  'video/mp4',
]);

export interface DownloadHeaders {
  contentType: string;
  disposition: 'inline' | 'attachment';
  contentDisposition: string;
}

/** `image/PNG; name="x"` -> `image/png`; garbage -> ''. */
export const essenceOf = (contentType: string): string => {
  const essence = contentType.split(';')[0]!.trim().toLowerCase();
  return /^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/.test(essence) ? essence : '';
};

// RFC 5987 attr-char: ALPHA / DIGIT / "!" / "#" / "$" / "&" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~"
const encodeRfc5987 = (value: string): string =>
  encodeURIComponent(value).replace(
    /['()*]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  );

/**
 * RFC 6266 Content-Disposition: an ASCII `filename` fallback (non-ASCII, quotes,
 * backslashes and controls replaced) plus `filename*` in UTF-8 (RFC 5987).
 */
export const contentDisposition = (
  disposition: 'inline' | 'attachment',
  filename: string,
): string => {
  // eslint-disable-next-line no-control-regex -- control characters are what it removes
  const cleaned = filename.replace(/[\x00-\x1f\x7f/\\]/g, '_').trim() || 'attachment';
  const fallback = cleaned.replace(/[^\x20-\x7e]/g, '_').replace(/["%]/g, '_');
  return `${disposition}; filename="${fallback}"; filename*=UTF-8''${encodeRfc5987(cleaned)}`;
};

export const downloadHeaders = (attachment: {
  contentType: string;
  filename: string;
}): DownloadHeaders => {
  const essence = essenceOf(attachment.contentType);
  const inline = inlineTypes.has(essence);
  const contentType =
    inline || passiveDownloadTypes.has(essence) ? essence : 'application/octet-stream';
  const disposition = inline ? 'inline' : 'attachment';
  return {
    contentType,
    disposition,
    contentDisposition: contentDisposition(disposition, attachment.filename),
  };
};

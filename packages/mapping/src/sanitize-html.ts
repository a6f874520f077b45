/**
 * Makes an email's HTML safe to show agents inside the helpdesk: no scripts, event
 * handlers, forms, frames, styles that could restyle the app, or anything that phones
 * home. Inline `cid:` images stay; remote images are kept only as `data-remote-src`
 * (the agent view may offer to load them) and 1x1 tracking pixels are dropped.
 * It never fetches anything and never throws: what it cannot read becomes text or nothing.
 */
import sanitize from 'sanitize-html';
import type { IFrame, IOptions } from 'sanitize-html';

export interface SanitizeOptions {
  /** Content-IDs (without brackets) of the inline images kept with the message; null keeps every `cid:` image. */
  keptContentIds?: ReadonlySet<string> | null;
}

/** Attribute that holds a remote image's URL instead of `src`, so nothing loads without the agent asking. */
export const REMOTE_IMAGE_ATTRIBUTE = 'data-remote-src';

const cssValue = /^(?!.*(?:expression|javascript|url\s*\(|@import|\\))[#\w\s(),.%!'"+-]{0,200}$/i;
const styleProperties = [
  'color',
  'background-color',
  'font',
  'font-family',
  'font-size',
  'font-style',
  'font-weight',
  'text-align',
  'text-decoration',
  'text-indent',
  'text-transform',
  'line-height',
  'letter-spacing',
  'white-space',
  'vertical-align',
  'width',
  'max-width',
  'min-width',
  'height',
  'margin',
  'margin-top',
  'margin-right',
  'margin-bottom',
  'margin-left',
  'padding',
  'padding-top',
  'padding-right',
  'padding-bottom',
  'padding-left',
  'border',
  'border-top',
  'border-right',
  'border-bottom',
  'border-left',
  'border-color',
  'border-style',
  'border-width',
  'border-collapse',
  'border-spacing',
  'border-radius',
  'display',
  'direction',
];

const tableAttributes = [
  'width',
  'height',
  'align',
  'valign',
  'bgcolor',
  'border',
  'cellpadding',
  'cellspacing',
  'colspan',
  'rowspan',
];

const isTrackingPixel = (attribs: Record<string, string>): boolean => {
  const tiny = (value: string | undefined) =>
    value !== undefined && /^\s*[01](px)?\s*$/i.test(value);
  return (
    tiny(attribs.width) || tiny(attribs.height) || /display\s*:\s*none/i.test(attribs.style ?? '')
  );
};

const baseOptions: IOptions = {
  allowedTags: [
    ...sanitize.defaults.allowedTags,
    'img',
    'font',
    'center',
    'del',
    'ins',
    'strike',
    'big',
  ],
  allowedAttributes: {
    '*': ['style', 'dir', 'lang', 'title', 'align'],
    a: ['href', 'name', 'target', 'rel'],
    img: ['src', 'alt', 'width', 'height', REMOTE_IMAGE_ATTRIBUTE],
    font: ['color', 'size', 'face'],
    table: tableAttributes,
    tr: tableAttributes,
    td: tableAttributes,
    th: tableAttributes,
    col: ['span', 'width'],
    colgroup: ['span', 'width'],
    ol: ['start', 'type'],
    blockquote: ['type'],
  },
  allowedSchemes: ['http', 'https', 'mailto', 'tel'],
  allowedSchemesByTag: { img: ['cid', 'data'] },
  allowedSchemesAppliedToAttributes: ['href', 'src', 'cite'],
  allowProtocolRelative: false,
  allowedStyles: { '*': Object.fromEntries(styleProperties.map((name) => [name, [cssValue]])) },
  disallowedTagsMode: 'discard',
  nonTextTags: [
    'script',
    'style',
    'textarea',
    'option',
    'title',
    'noscript',
    'template',
    'head',
    'xml',
    'svg',
    'math',
    'object',
    'iframe',
    'frame',
    'frameset',
    'applet',
    'embed',
  ],
  enforceHtmlBoundary: false,
  nestingLimit: 200,
  transformTags: {
    a: (tagName, attribs) => ({
      tagName,
      attribs: { ...attribs, target: '_blank', rel: 'noopener noreferrer nofollow' },
    }),
    img: (tagName, attribs) => {
      const src = (attribs.src ?? '').trim();
      const next: Record<string, string> = { ...attribs };
      delete next.src;
      // Only this transform may write the attribute: one the sender put in could hold anything.
      delete next[REMOTE_IMAGE_ATTRIBUTE];
      if (/^cid:/i.test(src)) next.src = src;
      else if (/^data:image\//i.test(src)) next.src = src;
      else if (/^https?:\/\//i.test(src)) next[REMOTE_IMAGE_ATTRIBUTE] = src;
      return { tagName, attribs: next };
    },
  },
};

const cidOf = (src: string): string => {
  try {
    return decodeURIComponent(src.replace(/^cid:/i, '')).trim().replace(/^<|>$/g, '');
  } catch {
    return src.replace(/^cid:/i, '').trim();
  }
};

export const sanitizeEmailHtml = (html: string, options: SanitizeOptions = {}): string => {
  if (typeof html !== 'string' || html.length === 0) return '';
  const kept = options.keptContentIds ?? null;
  const exclusiveFilter = (frame: IFrame): boolean => {
    if (frame.tag !== 'img') return false;
    const attribs = frame.attribs ?? {};
    const src = attribs.src ?? '';
    if (!src && !attribs[REMOTE_IMAGE_ATTRIBUTE]) return true;
    if (isTrackingPixel(attribs)) return true;
    if (src && /^cid:/i.test(src) && kept !== null && !kept.has(cidOf(src))) return true;
    return false;
  };
  try {
    return sanitize(html, { ...baseOptions, exclusiveFilter });
  } catch {
    // sanitize-html has no known throwing input; if one appears, the agent still gets the text.
    return html
      .replace(/<[^>]*>?/g, ' ')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;');
  }
};

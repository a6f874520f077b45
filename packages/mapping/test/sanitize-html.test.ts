import { describe, expect, it } from 'vitest';
import { sanitizeEmailHtml } from '../src/index';

describe('sanitizeEmailHtml', () => {
  const removed: Array<[string, string, RegExp]> = [
    ['scripts', '<p>Hi</p><script>alert(1)</script>', /script|alert/],
    [
      'event handlers',
      '<p onclick="alert(1)" onmouseover="x()">Hi</p>',
      /onclick|onmouseover|alert/,
    ],
    ['javascript: links', '<a href="javascript:alert(1)">x</a>', /javascript/],
    ['style blocks', '<style>body{display:none}</style><p>Hi</p>', /display|style>/],
    [
      'iframes and their content',
      '<iframe src="https://evil.example">fallback</iframe>',
      /iframe|evil|fallback/,
    ],
    ['forms', '<form action="https://evil.example"><input name="pw"></form>', /form|input/],
    [
      'css url() in inline styles',
      '<p style="background:url(https://t.example/p.gif)">x</p>',
      /url|t\.example/,
    ],
    [
      'tracking pixels',
      '<img src="https://t.example/open.gif" width="1" height="1">',
      /img|t\.example/,
    ],
    ['protocol-relative images', '<img src="//t.example/x.gif">', /t\.example/],
    [
      'meta refresh',
      '<meta http-equiv="refresh" content="0;url=https://evil.example">',
      /meta|evil/,
    ],
  ];
  it.each(removed)('removes %s', (_what, html, forbidden) => {
    expect(sanitizeEmailHtml(html)).not.toMatch(forbidden);
  });

  it('keeps inline cid: images, and drops the ones whose attachment is not kept', () => {
    const html = '<img src="cid:logo@x" alt="Logo"><img src="cid:photo@x" alt="Photo">';
    expect(sanitizeEmailHtml(html)).toContain('src="cid:logo@x"');
    const kept = sanitizeEmailHtml(html, { keptContentIds: new Set(['photo@x']) });
    expect(kept).toContain('cid:photo@x');
    expect(kept).not.toContain('cid:logo@x');
  });

  it('keeps remote images only as data-remote-src, so nothing loads until the agent asks', () => {
    const out = sanitizeEmailHtml('<img src="https://cdn.example/logo.png" alt="Logo">');
    expect(out).toBe('<img alt="Logo" data-remote-src="https://cdn.example/logo.png" />');
  });

  it('ignores a data-remote-src the sender wrote', () => {
    expect(sanitizeEmailHtml('<img data-remote-src="javascript:alert(1)" alt="x">')).toBe('');
  });

  it('keeps formatting, tables, safe inline styles and links that open safely', () => {
    const out = sanitizeEmailHtml(
      '<table border="1"><tr><td style="color: red; font-weight: bold">A</td></tr></table><a href="https://x.example">x</a>',
    );
    expect(out).toContain('<td style="color:red;font-weight:bold">A</td>');
    expect(out).toContain(
      '<a href="https://x.example" target="_blank" rel="noopener noreferrer nofollow">x</a>',
    );
  });

  it('returns an empty string for empty input', () => {
    expect(sanitizeEmailHtml('')).toBe('');
  });
});

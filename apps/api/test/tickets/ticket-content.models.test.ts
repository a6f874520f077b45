import type { Attachment } from '@mailroom/db';
import { describe, expect, it } from 'vitest';
import { downloadHeaders } from '../../src/tickets/attachment-download.models';
import { rewriteCidImages } from '../../src/tickets/message-document.models';

const attachment = (id: string, contentId: string | null): Attachment => ({
  id,
  ticketMessageId: 'm',
  filename: `${id}.png`,
  contentType: 'image/png',
  size: 1,
  contentId,
  inline: contentId !== null,
  position: 0,
  sha256: '0'.repeat(64),
  md5: '0'.repeat(32),
  blobSha256: '0'.repeat(64),
  createdAt: new Date(0),
});

describe('rewriteCidImages', () => {
  it('points cid: images at the same message’s attachments, however the Content-ID is written', () => {
    const { html, inlineImages } = rewriteCidImages(
      '<img src="cid:%3CLogo@x%3E" /><img alt="b" src="cid:logo@x" /><img src="cid:other@x" />',
      { ticketId: 't', attachments: [attachment('a1', '<logo@x>'), attachment('a2', null)] },
    );
    expect(html).toBe(
      '<img src="/api/v1/tickets/t/attachments/a1" /><img alt="b" src="/api/v1/tickets/t/attachments/a1" /><img src="cid:other@x" />',
    );
    expect(inlineImages.map((image) => image.id)).toEqual(['a1']);
  });

  it('leaves text that only looks like an image tag alone', () => {
    const text = '<p>&lt;img src="cid:logo@x"&gt; and src="cid:logo@x"</p>';
    expect(
      rewriteCidImages(text, { ticketId: 't', attachments: [attachment('a1', 'logo@x')] }).html,
    ).toBe(text);
  });
});

describe('downloadHeaders', () => {
  it.each([
    ['image/png', 'image/png', 'inline'],
    ['IMAGE/JPEG; name="x.jpg"', 'image/jpeg', 'inline'],
    ['application/pdf', 'application/pdf', 'inline'],
    ['text/plain', 'text/plain', 'attachment'],
    ['text/html', 'application/octet-stream', 'attachment'],
    ['image/svg+xml', 'application/octet-stream', 'attachment'],
    ['application/xhtml+xml', 'application/octet-stream', 'attachment'],
    ['text/xml', 'application/octet-stream', 'attachment'],
    ['application/javascript', 'application/octet-stream', 'attachment'],
    ['application/x-unknown', 'application/octet-stream', 'attachment'],
    ['not a type', 'application/octet-stream', 'attachment'],
  ])('%s is served as %s, %s', (given, contentType, disposition) => {
    expect(downloadHeaders({ contentType: given, filename: 'f' })).toMatchObject({
      contentType,
      disposition,
    });
  });

  it('encodes file names per RFC 6266 / 5987 and strips header-breaking characters', () => {
    expect(
      downloadHeaders({ contentType: 'text/plain', filename: 'a\r\nb;"c"%.txt' }),
    ).toMatchObject({
      contentDisposition: `attachment; filename="a__b;_c__.txt"; filename*=UTF-8''a__b%3B%22c%22%25.txt`,
    });
    expect(
      downloadHeaders({ contentType: 'image/png', filename: 'Картинка (1).png' })
        .contentDisposition,
    ).toBe(
      `inline; filename="________ (1).png"; filename*=UTF-8''%D0%9A%D0%B0%D1%80%D1%82%D0%B8%D0%BD%D0%BA%D0%B0%20%281%29.png`,
    );
  });
});

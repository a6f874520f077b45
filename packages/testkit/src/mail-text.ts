/*
 * Vocabulary for generated support mail: names, companies, subjects and sentences of the
 * kind a helpdesk inbox receives, with some non-ASCII (German, French, Nordic) so that
 * encoders and parsers are exercised. Pure data plus tiny helpers; no randomness source
 * of its own (the caller passes a seeded Random).
 */
import type { Random } from './prng';

export const FIRST_NAMES = [
  'Anna', 'Ben', 'Chloé', 'David', 'Elif', 'Fatima', 'Georg', 'Hannah', 'Ivan', 'Jürgen',
  'Kari', 'Lena', 'Marta', 'Noah', 'Olivia', 'Pierre', 'Quinn', 'Rosa', 'Søren', 'Tomás',
  'Uma', 'Viktor', 'Wei', 'Xenia', 'Yusuf', 'Zoë',
] as const; // prettier-ignore

export const LAST_NAMES = [
  'Andersen', 'Baker', 'Costa', 'Dubois', 'Eriksson', 'Fischer', 'García', 'Hoffmann',
  'Ibrahim', 'Jensen', 'Kowalski', 'Lefèvre', 'Müller', 'Nakamura', 'Okafor', 'Peters',
  'Quist', 'Rossi', 'Schmidt', 'Tanaka', 'Ueda', 'Vogel', 'Weber', 'Yilmaz', 'Zimmermann',
] as const; // prettier-ignore

export const CUSTOMER_DOMAINS = [
  'example.com', 'example.org', 'example.net', 'kunde.example.de', 'client.example.fr',
  'shop.example.co.uk', 'acme.example', 'globex.example', 'initech.example',
] as const; // prettier-ignore

export const SUBJECTS = [
  'Problem with order #{n}',
  'Question about invoice {n}',
  'Cannot log in to my account',
  'Password reset link does not work',
  'Refund request for order {n}',
  'Delivery has not arrived',
  'Wrong item received (order {n})',
  'How do I change my billing address?',
  'Rückfrage zu Rechnung {n}',
  'Lieferung beschädigt – Bestellung {n}',
  'Problème de connexion à mon compte',
  'Feature request: export to CSV',
  'Urgent: service down since this morning',
  'Subscription cancellation',
  'API returns 500 for /orders',
  'Update my contact details',
] as const;

const WORDS = (
  'the order invoice account delivery package customer support team request issue problem ' +
  'payment refund address shipping tracking number please help thanks regarding yesterday ' +
  'today morning week month still not yet again already received missing damaged wrong ' +
  'item product price discount subscription plan upgrade downgrade cancel renew login ' +
  'password email phone contact details update change confirm check status error message ' +
  'screen page button app website browser mobile version latest update attached file ' +
  'screenshot photo document report export import data system server slow fast working ' +
  'broken urgent important soon possible quickly patience understand explain information'
).split(' ');

const OPENERS = [
  'Hello',
  'Hi',
  'Dear support team',
  'Good morning',
  'Hallo',
  'Bonjour',
  'Hi there',
];
const CLOSERS = [
  'Best regards',
  'Kind regards',
  'Thanks',
  'Cheers',
  'Mit freundlichen Grüßen',
  'Cordialement',
];

export function sentence(random: Random): string {
  const count = random.int(6, 16);
  const words: string[] = [];
  for (let i = 0; i < count; i += 1) words.push(random.pick(WORDS));
  const first = words[0] ?? 'hello';
  words[0] = first.charAt(0).toUpperCase() + first.slice(1);
  return `${words.join(' ')}${random.pick(['.', '.', '.', '?', '!'])}`;
}

export function paragraph(random: Random): string {
  const sentences: string[] = [];
  const count = random.int(2, 6);
  for (let i = 0; i < count; i += 1) sentences.push(sentence(random));
  return sentences.join(' ');
}

/** A plain-text body of roughly `targetBytes`, with greeting and signature. */
export function bodyText(random: Random, senderName: string, targetBytes: number): string {
  const parts = [`${random.pick(OPENERS)},`, ''];
  let size = 0;
  while (size < targetBytes) {
    const text = paragraph(random);
    parts.push(text, '');
    size += text.length + 2;
  }
  parts.push(`${random.pick(CLOSERS)},`, senderName);
  return parts.join('\n');
}

export function escapeHtml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/** Wraps plain paragraphs in a typical mail-client HTML document. */
export function htmlFromText(text: string, extraBody = ''): string {
  const paragraphs = text
    .split('\n\n')
    .map(
      (block) => `<p style="margin:0 0 12px 0">${escapeHtml(block).replaceAll('\n', '<br>\n')}</p>`,
    )
    .join('\n');
  return [
    '<!DOCTYPE html>',
    '<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">',
    '<style>body{font-family:Calibri,Arial,sans-serif;font-size:11pt;color:#222}</style></head>',
    '<body>',
    paragraphs,
    extraBody,
    '</body></html>',
  ].join('\n');
}

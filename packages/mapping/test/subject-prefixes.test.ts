import { describe, expect, it } from 'vitest';
import { classify, matchSubjectPrefix, subjectPrefixes } from '../src/index';
import { makeEmail } from './support/builders';

/** [language, subject, expected rule] — out-of-office replies, as mail servers write them. */
const autoReplies: Array<[string, string, string]> = [
  ['en', 'Automatic reply: Printer on floor 3', 'subject:en:automatic-reply'],
  ['en', 'Out of Office: Printer on floor 3', 'subject:en:out-of-office'],
  ['en', 'Out of Office AutoReply: Printer', 'subject:en:out-of-office'],
  ['en', 'Auto-Reply: Printer', 'subject:en:auto-reply'],
  ['en', 'I am out of the office until Monday', 'subject:en:i-am-out-of-the-office'],
  ['de', 'Automatische Antwort: Drucker im 3. Stock', 'subject:de:automatische-antwort'],
  ['de', 'Abwesenheitsnotiz: Drucker', 'subject:de:abwesenheitsnotiz'],
  ['fr', 'Réponse automatique : Imprimante', 'subject:fr:réponse-automatique'],
  ['fr', "Absent du bureau : jusqu'au 12", 'subject:fr:absent-du-bureau'],
  ['es', 'Respuesta automática: Impresora', 'subject:es:respuesta-automática'],
  ['es', 'Fuera de la oficina: Impresora', 'subject:es:fuera-de-la-oficina'],
  ['it', 'Risposta automatica: Stampante', 'subject:it:risposta-automatica'],
  ['it', 'Fuori ufficio: Stampante', 'subject:it:fuori-ufficio'],
  ['nl', 'Automatisch antwoord: Printer', 'subject:nl:automatisch-antwoord'],
  ['nl', 'Afwezigheidsmelding: Printer', 'subject:nl:afwezigheidsmelding'],
  ['pt', 'Resposta automática: Impressora', 'subject:pt:resposta-automática'],
  ['pt', 'Fora do escritório: Impressora', 'subject:pt:fora-do-escritório'],
  ['pl', 'Automatyczna odpowiedź: Drukarka', 'subject:pl:automatyczna-odpowiedź'],
  ['pl', 'Poza biurem: Drukarka', 'subject:pl:poza-biurem'],
  ['sv', 'Automatiskt svar: Skrivare', 'subject:sv:automatiskt-svar'],
  ['sv', 'Autosvar: Skrivare', 'subject:sv:autosvar'],
  ['ja', '自動応答: プリンター', 'subject:ja:自動応答'],
  ['ja', '【自動返信】プリンターについて', 'subject:ja:自動返信'],
  ['ja', '自動返信：プリンター', 'subject:ja:自動返信'],
  ['ja', '不在通知', 'subject:ja:不在通知'],
];

/** [language, subject, expected rule] — delivery-failure notices. */
const bounces: Array<[string, string, string]> = [
  ['en', 'Undeliverable: Printer on floor 3', 'subject:en:undeliverable'],
  ['en', 'Undelivered Mail Returned to Sender', 'subject:en:undelivered-mail-returned-to-sender'],
  ['en', 'Mail delivery failed: returning message to sender', 'subject:en:mail-delivery-failed'],
  [
    'en',
    'Delivery Status Notification (Failure)',
    'subject:en:delivery-status-notification-failure',
  ],
  ['en', 'failure notice', 'subject:en:failure-notice'],
  ['de', 'Unzustellbar: Drucker', 'subject:de:unzustellbar'],
  [
    'de',
    'Benachrichtigung zum Übermittlungsstatus (Fehler)',
    'subject:de:benachrichtigung-zum-übermittlungsstatus-fehler',
  ],
  ['fr', 'Non remis : Imprimante', 'subject:fr:non-remis'],
  ['es', 'No se puede entregar: Impresora', 'subject:es:no-se-puede-entregar'],
  ['it', 'Non recapitabile: Stampante', 'subject:it:non-recapitabile'],
  ['nl', 'Onbestelbaar: Printer', 'subject:nl:onbestelbaar'],
  ['pt', 'Não é possível entregar: Impressora', 'subject:pt:não-é-possível-entregar'],
  ['pl', 'Niedostarczalne: Drukarka', 'subject:pl:niedostarczalne'],
  ['sv', 'Kan inte levereras: Skrivare', 'subject:sv:kan-inte-levereras'],
  ['ja', '配信不能: プリンター', 'subject:ja:配信不能'],
];

describe('subject prefixes', () => {
  it('cover at least the ten required languages for both out-of-office and delivery failure', () => {
    for (const lang of ['en', 'de', 'fr', 'es', 'it', 'nl', 'pt', 'pl', 'sv', 'ja']) {
      const signals = new Set(subjectPrefixes.filter((p) => p.lang === lang).map((p) => p.signal));
      expect([lang, signals.has('auto_reply'), signals.has('bounce')]).toEqual([lang, true, true]);
    }
  });

  it.each(autoReplies)('%s: "%s" is an out-of-office reply', (_lang, subject, rule) => {
    expect(classify(makeEmail({ subject }))).toMatchObject({ kind: 'auto_reply', rule });
  });

  it.each(bounces)('%s: "%s" is a bounce when a machine sent it', (_lang, subject, rule) => {
    const email = makeEmail({ subject, returnPath: '' });
    expect(classify(email)).toMatchObject({ kind: 'bounce', rule });
  });

  it.each(bounces)(
    '%s: "%s" from a person (no machine signal) stays a ticket',
    (_lang, subject) => {
      expect(classify(makeEmail({ subject })).kind).toBe('normal');
    },
  );

  it('accepts an attached original message as the second signal of a failure subject', () => {
    const email = makeEmail({
      subject: 'Undeliverable: Printer',
      attachments: [
        {
          filename: 'original.eml',
          contentType: 'message/rfc822',
          size: 10,
          contentId: null,
          inline: false,
          md5: '',
          sha256: '',
          content: new TextEncoder().encode('Subject: x\r\n\r\nx'),
          isMessage: true,
        },
      ],
    });
    expect(classify(email)).toMatchObject({ kind: 'bounce', rule: 'subject:en:undeliverable' });
  });

  const ordinary: Array<[string, string]> = [
    ['a person answering an auto-reply', 'Re: Automatic reply: Printer'],
    ['a forwarded auto-reply', 'Fwd: Out of Office: Printer'],
    ['an ordinary phrase that starts the same', 'Out of office hours support for printers'],
    ['a longer word', 'Automatic replyer configuration'],
    ['an HR request', 'Absence: sick leave for Monday'],
    ['a travel request', 'Vacation request for May'],
    ['a Polish holiday request', 'Urlop: 3-7 czerwca'],
    ['a parcel problem', 'Delivery failed: parcel 123'],
    ['the phrase in the middle', 'Question about the automatic reply feature'],
  ];
  it.each(ordinary)('leaves %s alone: "%s"', (_why, subject) => {
    expect(classify(makeEmail({ subject })).kind).toBe('normal');
  });

  it('matches case-insensitively and ignores full-width punctuation and extra spaces', () => {
    expect(matchSubjectPrefix('  AUTOMATIC   REPLY :  x')?.rule).toBe('subject:en:automatic-reply');
    expect(matchSubjectPrefix('Automatische Antwort：x')?.rule).toBe(
      'subject:de:automatische-antwort',
    );
  });

  it('prefers the longest phrase', () => {
    expect(matchSubjectPrefix('Undeliverable mail: x')?.phrase).toBe('Undeliverable mail');
  });

  it('returns null for an empty subject', () => {
    expect(matchSubjectPrefix('')).toBeNull();
  });
});

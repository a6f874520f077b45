/**
 * Sentences that mail servers write into plain-text failure notices (Exchange, Exim,
 * qmail, sendmail, Postfix, Gmail, Lotus, Japanese carriers, ...), for bounces that are no
 * RFC 3464 report. Mail-specific wording only ("your message could not be delivered", not
 * "could not be delivered": a parcel can be that too), and bounce.ts only looks for them
 * when a machine sent the mail.
 */

const phrases: Record<string, string[]> = {
  en: [
    'did not reach the following recipient',
    'delivery has failed to these recipients',
    'your message could not be delivered',
    'message could not be delivered to',
    'your message was not delivered',
    'could not be delivered to the following recipient',
    'could not be delivered to one or more recipients',
    "i'm afraid i wasn't able to deliver your message",
    'this message was created automatically by mail delivery software',
    'a message that you sent could not be delivered',
    'delivery to the following recipient failed permanently',
    'delivery to the following recipients failed',
    'the following addresses had permanent fatal errors',
    'unable to deliver your message',
    'unable to deliver message to the following',
    'this is a permanent error. the following address',
    'message delivery has failed',
    'the recipient name is not recognized',
    'requested action not taken: mailbox unavailable',
    'requested action not taken: no such user',
    'recipient address rejected',
    'user unknown in local recipient table',
    'no mailbox here by that name',
    'mailbox is full',
    'as their mailbox is full',
    '"notificationtype":"bounce"',
  ],
  de: [
    'konnte nicht zugestellt werden',
    'nachricht ist unzustellbar',
    'die zustellung an folgende empfänger ist fehlgeschlagen',
  ],
  fr: [
    "votre message n'a pas pu être remis",
    "n'a pas pu être remis aux destinataires",
    "n'a pas pu être distribué",
  ],
  es: [
    'no se pudo entregar el mensaje',
    'su mensaje no pudo ser entregado',
    'no se ha podido entregar',
  ],
  it: ['il messaggio non è stato recapitato', 'non è stato possibile recapitare il messaggio'],
  nl: ['uw bericht kon niet worden bezorgd', 'het bericht kan niet worden bezorgd'],
  pt: [
    'sua mensagem não pôde ser entregue',
    'a mensagem não pôde ser entregue',
    'não foi possível entregar a mensagem',
  ],
  pl: ['wiadomość nie mogła zostać dostarczona', 'nie można dostarczyć wiadomości'],
  sv: ['meddelandet kunde inte levereras', 'ditt meddelande kunde inte levereras'],
  ja: [
    '送信できませんでした',
    '配信できませんでした',
    '配送できませんでした',
    'メールが届きませんでした',
    '宛先のメールアドレスが見つかりません',
  ],
};

const compiled = Object.entries(phrases).flatMap(([lang, list]) =>
  list.map((phrase) => ({ lang, phrase, normalized: phrase.normalize('NFKC').toLowerCase() })),
);

/** How much of the body is searched: notices say it up front. */
const SEARCHED_CHARS = 8192;

export interface BouncePhraseMatch {
  lang: string;
  phrase: string;
}

export const findBouncePhrase = (text: string): BouncePhraseMatch | null => {
  if (typeof text !== 'string' || text.length === 0) return null;
  const haystack = text
    .slice(0, SEARCHED_CHARS)
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[’‘]/g, "'")
    .replace(/\s+/g, ' ');
  const hit = compiled.find((entry) => haystack.includes(entry.normalized));
  return hit ? { lang: hit.lang, phrase: hit.phrase } : null;
};

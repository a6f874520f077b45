/**
 * Subject prefixes that out-of-office replies and delivery-failure notices put in front
 * of (or in place of) the original subject, in the languages our customers' mail servers
 * speak. A prefix counts only at the very start of the subject ("Re: Automatic reply: …"
 * is a human answering an auto-reply and stays a ticket) and only as a whole phrase
 * ("Out of office hours" is not one). Everyday words people also start subjects with
 * ("Absence", "Vacation", "Urlop") are deliberately not in the table.
 */

export type SubjectSignal = 'auto_reply' | 'bounce' | 'delayed';

export interface SubjectPrefix {
  /** ISO 639-1 language code. */
  lang: string;
  signal: SubjectSignal;
  phrase: string;
}

const table: Record<string, { auto_reply: string[]; bounce: string[]; delayed: string[] }> = {
  en: {
    auto_reply: [
      'Automatic reply',
      'Auto reply',
      'Auto-reply',
      'Autoreply',
      'Auto response',
      'Auto-response',
      'Autoresponse',
      'Automatic response',
      'Out of Office',
      'Out of the Office',
      'Out-of-Office',
      'Away from the office',
      'Holiday auto-reply',
      'Absence notification',
      'I am out of the office',
    ],
    bounce: [
      'Undeliverable',
      'Undelivered Mail Returned to Sender',
      'Undelivered mail',
      'Undelivered message',
      'Undeliverable mail',
      'Undeliverable message',
      'Delivery Status Notification (Failure)',
      'Delivery Notification: Delivery has failed',
      'Delivery failure',
      'Delivery failed',
      'Delivery has failed',
      'Mail delivery failed',
      'Mail delivery failure',
      'Message delivery failure',
      'Message not delivered',
      'Message could not be delivered',
      'Mail could not be delivered',
      'Returned mail',
      'Mail System Error - Returned Mail',
      'failure notice',
      'Failure delivery',
      'Non-delivery report',
      'Nondeliverable mail',
      'Non delivery notification',
      'Delivery Report (failure)',
    ],
    delayed: [
      'Delivery Status Notification (Delay)',
      'Delayed Mail (still being retried)',
      'Warning: could not send message for past',
      'Delivery delayed',
      'Mail delivery delayed',
      'Message delayed',
      'Delivery Notification: Delivery has been delayed',
    ],
  },
  de: {
    auto_reply: [
      'Automatische Antwort',
      'Automatische Rückantwort',
      'Abwesenheitsnotiz',
      'Abwesenheitsmeldung',
      'Abwesenheitsbenachrichtigung',
      'Ich bin abwesend',
      'Außer Haus',
      'Nicht im Büro',
      'Urlaubsabwesenheit',
    ],
    bounce: [
      'Unzustellbar',
      'Unzustellbare Nachricht',
      'Nicht zustellbar',
      'Nicht zugestellt',
      'Zustellung fehlgeschlagen',
      'Fehler bei der Zustellung',
      'Benachrichtigung zum Übermittlungsstatus (Fehler)',
      'Unzustellbare E-Mail',
    ],
    delayed: ['Benachrichtigung zum Übermittlungsstatus (Verzögerung)', 'Zustellung verzögert'],
  },
  fr: {
    auto_reply: [
      'Réponse automatique',
      "Réponse automatique d'absence du bureau",
      'Absent du bureau',
      'Absente du bureau',
      'Absence du bureau',
      "Message d'absence",
      "Notification d'absence",
    ],
    bounce: [
      'Non remis',
      'Non distribuable',
      'Message non remis',
      'Échec de la remise',
      'Échec de remise',
      'Échec de distribution',
      "Notification d'état de remise (échec)",
      'Impossible de remettre le message',
      'Courrier non distribué',
    ],
    delayed: ["Notification d'état de remise (retard)", 'Remise retardée', 'Distribution différée'],
  },
  es: {
    auto_reply: [
      'Respuesta automática',
      'Respuesta automatica',
      'Fuera de la oficina',
      'Fuera de oficina',
      'Respuesta de ausencia',
      'Aviso de ausencia',
    ],
    bounce: [
      'No se puede entregar',
      'No se pudo entregar',
      'No entregado',
      'Mensaje no entregado',
      'Error de entrega',
      'Imposible entregar',
      'Notificación de estado de entrega (error)',
      'Notificación del estado del envío (error)',
      'Correo no entregado',
    ],
    delayed: ['Notificación de estado de entrega (retraso)', 'Entrega retrasada'],
  },
  it: {
    auto_reply: [
      'Risposta automatica',
      'Fuori ufficio',
      'Fuori sede',
      "Assente dall'ufficio",
      'Risposta di assenza',
    ],
    bounce: [
      'Non recapitabile',
      'Impossibile recapitare',
      'Messaggio non recapitato',
      'Mancato recapito',
      'Recapito non riuscito',
      'Notifica sullo stato di consegna (errore)',
      'Notifica stato di consegna (errore)',
    ],
    delayed: ['Notifica sullo stato di consegna (ritardo)', 'Consegna ritardata'],
  },
  nl: {
    auto_reply: [
      'Automatisch antwoord',
      'Automatische reactie',
      'Automatisch bericht',
      'Afwezigheidsmelding',
      'Afwezigheidsbericht',
      'Buiten kantoor',
      'Niet aanwezig',
    ],
    bounce: [
      'Onbestelbaar',
      'Kan niet worden bezorgd',
      'Niet bezorgd',
      'Onbezorgbaar',
      'Bezorging mislukt',
      'Niet afgeleverd',
      'Statusmelding voor levering (mislukt)',
    ],
    delayed: ['Statusmelding voor levering (vertraging)', 'Bezorging vertraagd'],
  },
  pt: {
    auto_reply: [
      'Resposta automática',
      'Resposta automatica',
      'Fora do escritório',
      'Ausente do escritório',
      'Resposta de ausência',
      'Ausência temporária',
      'Ausente',
      'Ausência',
    ],
    bounce: [
      'Não é possível entregar',
      'Não foi possível entregar',
      'Não entregue',
      'Mensagem não entregue',
      'Falha na entrega',
      'Impossível entregar',
      'Notificação de status de entrega (falha)',
      'Notificação de estado de entrega (falha)',
    ],
    delayed: ['Notificação de status de entrega (atraso)', 'Entrega atrasada'],
  },
  pl: {
    auto_reply: [
      'Automatyczna odpowiedź',
      'Odpowiedź automatyczna',
      'Poza biurem',
      'Nieobecność w biurze',
      'Jestem poza biurem',
    ],
    bounce: [
      'Niedostarczalne',
      'Niedostarczona wiadomość',
      'Wiadomość niedostarczona',
      'Nie można dostarczyć',
      'Nie dostarczono',
      'Błąd dostarczenia',
      'Powiadomienie o stanie dostarczenia (niepowodzenie)',
    ],
    delayed: ['Powiadomienie o stanie dostarczenia (opóźnienie)', 'Opóźnione dostarczenie'],
  },
  sv: {
    auto_reply: ['Automatiskt svar', 'Autosvar', 'Frånvaromeddelande', 'Inte på kontoret'],
    bounce: [
      'Kan inte levereras',
      'Olevererbart',
      'Ej levererat',
      'Ej levererbart',
      'Leveransfel',
      'Meddelandet kunde inte levereras',
      'Det gick inte att leverera',
    ],
    delayed: ['Leveransen försenad', 'Fördröjd leverans'],
  },
  ja: {
    auto_reply: ['自動応答', '自動返信', '自動返信メール', '不在通知', '不在のお知らせ'],
    bounce: [
      '配信不能',
      '配信失敗',
      '配信エラー',
      '配送エラー',
      'メール配信エラー',
      '送信エラー',
      '配信されませんでした',
      '宛先不明',
      'エラーメール',
      'メールエラー',
    ],
    delayed: ['配信遅延', '配信の遅延'],
  },
  // Beyond the ten required languages: cheap to carry, common in support mailboxes.
  da: {
    auto_reply: ['Autosvar', 'Automatisk svar', 'Ikke på kontoret'],
    bounce: ['Kan ikke leveres', 'Ikke leveret'],
    delayed: [],
  },
  no: {
    auto_reply: ['Automatisk svar', 'Ikke på kontoret'],
    bounce: ['Kan ikke leveres', 'Ikke levert'],
    delayed: [],
  },
  fi: {
    auto_reply: ['Automaattinen vastaus', 'Poissa toimistolta', 'Lomavastaaja'],
    bounce: ['Ei voi toimittaa', 'Toimittamaton'],
    delayed: [],
  },
  cs: {
    auto_reply: ['Automatická odpověď', 'Mimo kancelář'],
    bounce: ['Nedoručitelné', 'Nelze doručit'],
    delayed: [],
  },
  tr: {
    auto_reply: ['Otomatik yanıt', 'Otomatik cevap', 'Ofis dışında'],
    bounce: ['Teslim edilemedi', 'Teslim edilemeyen'],
    delayed: [],
  },
  ru: {
    auto_reply: ['Автоматический ответ', 'Автоответ', 'Нет на месте'],
    bounce: ['Не доставлено', 'Недоставленное сообщение', 'Невозможно доставить'],
    delayed: [],
  },
  zh: {
    auto_reply: ['自动回复', '自動回覆', '自动答复'],
    bounce: ['无法投递', '未能送达'],
    delayed: [],
  },
};

/** NFKC (full-width colons and brackets become ASCII), lower case, single spaces. */
export function normalizeSubject(subject: string): string {
  return subject.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}

export const subjectPrefixes: readonly SubjectPrefix[] = Object.entries(table).flatMap(
  ([lang, signals]) =>
    (['auto_reply', 'bounce', 'delayed'] as const).flatMap((signal) =>
      signals[signal].map((phrase) => ({
        lang,
        signal,
        phrase,
      })),
    ),
);

interface CompiledPrefix extends SubjectPrefix {
  normalized: string;
  /** CJK phrases are not words, and phrases of five words or more are unambiguous: any continuation is fine. */
  open: boolean;
}

// Longest first, so "Automatic reply" wins over "Auto reply" and "不在通知" over "不在".
const compiled: CompiledPrefix[] = subjectPrefixes
  .map((prefix) => {
    const normalized = normalizeSubject(prefix.phrase);
    return {
      ...prefix,
      normalized,
      open: /[\u3040-\u30ff\u3400-\u9fff]/.test(normalized) || normalized.split(' ').length >= 5,
    };
  })
  .sort((a, b) => b.normalized.length - a.normalized.length);

const OPENERS = /^[[(【「〔<]\s*/;
/** What must follow a phrase: the end, a separator, a parenthesis, or up to three words and a colon ("Out of Office AutoReply:"). */
const BOUNDARY = /^(?:\s*$|\s*[:\])】」〕>|–—(-]|(?: [\p{L}\p{N}'’.-]+){1,3}\s*:)/u;

export interface SubjectMatch {
  lang: string;
  signal: SubjectSignal;
  phrase: string;
  /** Stable rule id, e.g. `subject:de:unzustellbar`. */
  rule: string;
}

export const ruleSlug = (phrase: string): string =>
  normalizeSubject(phrase)
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '');

/** The prefix table entry the subject starts with, or null. */
export const matchSubjectPrefix = (subject: string): SubjectMatch | null => {
  if (typeof subject !== 'string' || subject.length === 0) return null;
  const normalized = normalizeSubject(subject.slice(0, 500)).replace(OPENERS, '');
  for (const prefix of compiled) {
    if (!normalized.startsWith(prefix.normalized)) continue;
    const rest = normalized.slice(prefix.normalized.length);
    if (!prefix.open && !prefix.normalized.endsWith(')') && !BOUNDARY.test(rest)) continue;
    return {
      lang: prefix.lang,
      signal: prefix.signal,
      phrase: prefix.phrase,
      rule: `subject:${prefix.lang}:${ruleSlug(prefix.phrase)}`,
    };
  }
  return null;
};

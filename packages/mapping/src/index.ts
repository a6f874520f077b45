export { decide, parseFailureDecision, type DecideContext, type ParseFailureInput } from './decide';
export { classify, matchKeyword, NORMAL, type ClassifyOptions } from './classify/classify';
export {
  matchSubjectPrefix,
  normalizeSubject,
  subjectPrefixes,
  type SubjectMatch,
  type SubjectPrefix,
  type SubjectSignal,
} from './classify/subject-prefixes';
export { findOriginalMessageId, readDeliveryStatus, reportTypeOf } from './classify/reports';
export {
  chooseThread,
  formatTicketToken,
  MAX_THREAD_MESSAGE_IDS,
  senderAddresses,
  threadKeys,
  ticketNumbersInSubject,
  type ThreadChoice,
} from './threading';
export { importanceFromHeaders, importanceLabel } from './importance';
export { detectLoop, LOOP_HEADER, type LoopContext } from './filters/loop';
export { domainOf, matchAllowedDomain, toAsciiDomain } from './filters/sender-domain';
export {
  chooseTicketType,
  mapFields,
  propertyFieldTypes,
  propertyValue,
  type MappingSource,
} from './field-mapping';
export {
  checkDefaultValue,
  validateTicketMapping,
  type CatalogEntry,
  type ValidateMappingOptions,
} from './validate-mapping';
export { REMOTE_IMAGE_ATTRIBUTE, sanitizeEmailHtml, type SanitizeOptions } from './sanitize-html';
export { indexHeaders, normalizeMessageId, type HeaderIndex } from './headers';
export { classLabels, reasonCodes, type ReasonCode } from './reasons';
export { defaultChannelSettings } from './default-channel';

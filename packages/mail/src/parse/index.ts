export {
  DEFAULT_MAX_BYTES,
  parseEmail,
  type ParseFailure,
  type ParseOptions,
  type ParseResult,
} from './parse-email';
export { readLimited, type RawInput, type ReadResult } from './read-limited';
export { DERIVED_MESSAGE_ID_DOMAIN, deriveMessageId } from './message-ids';

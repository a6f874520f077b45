export {
  inspectFiles,
  inspectParsed,
  toJsonDecision,
  type InspectedAttachment,
  type InspectLine,
  type InspectOptions,
  type JsonDecision,
} from './inspect-files';
export { defaultInspectChannel, loadInspectChannel, type InspectChannel } from './inspect-channel';

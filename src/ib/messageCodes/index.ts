export { classifyMessage, type MessageClassification } from './classifyMessage.ts';
export {
  CATEGORY_POLICY,
  MESSAGE_CATEGORIES,
  type CategoryPolicy,
  type MessageAction,
  type MessageCategory,
  type MessageRouting,
  type MessageSeverity,
} from './messageCategory.ts';
export {
  MESSAGE_CODE_RANGES,
  MESSAGE_CODE_TABLE,
  type MessageCodeEntry,
  type MessageCodeRange,
  type MessageVariant,
} from './messageCodeTable.ts';

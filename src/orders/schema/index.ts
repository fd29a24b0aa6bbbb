export { algorithmSchema, type Algorithm } from './algorithm';
export { cancelRequestSchema, type CancelRequest } from './cancelRequest';
export { CLIENT_ORDER_ID_PATTERN, MAX_CLIENT_ORDER_ID_LENGTH, accountSchema, clientOrderIdSchema, orderIdSchema, strategyNameSchema } from './identifiers';
export { contractByIdSchema, expirySchema, futureBySymbolSchema, instrumentSchema, type Instrument } from './instrument';
export { formatIssues, formatPath, issueMessages } from './issueMessages';
export { modifyRequestSchema, type ModifyRequest } from './modifyRequest';
export { brokerEventSchema, orderEventSchema, type InjectableBrokerEvent, type InjectableOrderEvent } from './orderEvents';
export { newOrderSchema, type NewOrder, type NewOrderInput } from './newOrder';
export { ORDER_QUEUE_NAME, orderJobSchema, type OrderJob, type OrderJobInput } from './orderJob';
export {
  MAX_ORDER_QUANTITY,
  ORDER_TYPES,
  SIDES,
  TIMES_IN_FORCE,
  priceSchema,
  quantitySchema,
  type OrderType,
  type Side,
  type TimeInForce,
} from './orderTerms';
export { parseOrderJob, type OrderJobParseResult } from './parseOrderJob';
export { ORDER_JOB_PRIORITY, orderJobPriority } from './priority';

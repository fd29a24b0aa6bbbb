export { algorithmSchema, type Algorithm } from './algorithm.ts';
export { cancelRequestSchema, type CancelRequest } from './cancelRequest.ts';
export { CLIENT_ORDER_ID_PATTERN, MAX_CLIENT_ORDER_ID_LENGTH, accountSchema, clientOrderIdSchema, orderIdSchema, strategyNameSchema } from './identifiers.ts';
export { commissionJobSchema, fillJobSchema, type CommissionJob, type FillJob } from './fillMessages.ts';
export { contractByIdSchema, expirySchema, futureBySymbolSchema, instrumentSchema, type Instrument } from './instrument.ts';
export { modifyRequestSchema, type ModifyRequest } from './modifyRequest.ts';
export { brokerEventSchema, orderEventSchema, type InjectableBrokerEvent, type InjectableOrderEvent } from './orderEvents.ts';
export { newOrderSchema, type NewOrder, type NewOrderInput } from './newOrder.ts';
export { ORDER_QUEUE_NAME, orderJobSchema, type OrderJob, type OrderJobInput } from './orderJob.ts';
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
} from './orderTerms.ts';
export { parseOrderJob, type OrderJobParseResult } from './parseOrderJob.ts';
export { ORDER_JOB_PRIORITY, orderJobPriority } from './priority.ts';

/** The TWS error/info codes the simulator emits, with the texts TWS uses for them. */
export const ERR = {
  MAX_RATE_EXCEEDED: 100,
  DUPLICATE_ORDER_ID: 103,
  HISTORICAL_DATA_ERROR: 162,
  NO_SECURITY_DEFINITION: 200,
  ORDER_REJECTED: 201,
  ORDER_CANCELLED: 202,
  NO_MARKET_DATA_SUBSCRIPTION: 300,
  ERROR_READING_REQUEST: 320,
  ERROR_VALIDATING_REQUEST: 321,
  CLIENT_ID_IN_USE: 326,
  UNKNOWN_MESSAGE_ID: 505,
  CONNECTIVITY_LOST: 1100,
  CONNECTIVITY_RESTORED_DATA_LOST: 1101,
  CONNECTIVITY_RESTORED_DATA_MAINTAINED: 1102,
  MARKET_DATA_FARM_BROKEN: 2103,
  MARKET_DATA_FARM_OK: 2104,
  HMDS_FARM_OK: 2106,
  IB_SERVER_CONNECTION_BROKEN: 2110,
  SECDEF_FARM_OK: 2158,
  ORDER_TO_CANCEL_NOT_FOUND: 10147,
  ORDER_CANNOT_BE_CANCELLED: 10148,
  /** reqHistoricalData's end date-time could not be read. */
  INVALID_END_DATE: 10314,
} as const;

export const MSG = {
  marketDataFarmOk: 'Market data farm connection is OK:usfarm',
  marketDataFarmBroken: 'Market data farm connection is broken:usfarm',
  hmdsFarmOk: 'HMDS data farm connection is OK:ushmds',
  secDefFarmOk: 'Sec-def data farm connection is OK:secdefnj',
  connectivityLost: 'Connectivity between IB and Trader Workstation has been lost.',
  restoredDataLost: 'Connectivity between IB and Trader Workstation has been restored - data lost.',
  restoredDataMaintained: 'Connectivity between IB and Trader Workstation has been restored - data maintained.',
  ibServerLost: 'Connectivity between Trader Workstation and server is broken. It will be restored automatically.',
  clientIdInUse: 'Unable to connect as the client id is already in use. Retry with a unique client id.',
  duplicateOrderId: 'Duplicate order id',
  noSecurityDefinition: 'No security definition has been found for the request',
  ambiguousContract: (symbol: string) => `The contract description specified for ${symbol} is ambiguous.`,
  noMarketDataSubscription: (tickerId: number) => `Can't find EId with tickerId:${tickerId}`,
  unknownMessageId: 'Fatal Error: Unknown message id.',
  orderRejected: (reason: string) => `Order rejected - reason:${reason}`,
  orderCancelled: 'Order Canceled - reason:',
  orderNotFound: (id: number) => `OrderId ${id} that needs to be cancelled is not found.`,
  orderCannotBeCancelled: (id: number, state: string) =>
    `OrderId ${id} that needs to be cancelled cannot be cancelled, state: ${state}.`,
  maxRateExceeded: (max: number, received: number, violations: number) =>
    `Max rate of messages per second has been exceeded:max=${max} rec=${received} (${violations})`,
  historicalDataError: (detail: string) => `Historical Market Data Service error message:${detail}`,
  /** 321 for a bar request TWS refuses before asking HMDS (the 'bP' token varies by TWS build). */
  historicalRequestInvalid: (cause: string) => `Error validating request.-'bP' : cause - ${cause}`,
  /** 10314, as IB's error-code table words it. */
  invalidEndDate:
    'End Date/Time: The date, time, or time-zone entered is invalid. The correct format is yyyymmdd hh:mm:ss xx/xxxx where yyyymmdd and xx/xxxx are optional. E.g.: 20031126 15:59:00 US/Eastern  Note that there is a space between the date and time, and between the time and time-zone.  If no date is specified, current date is assumed. If no time-zone is specified, local time-zone is assumed(deprecated).  You can also provide yyyymmddd-hh:mm:ss time is in UTC. Note that there is a dash between the date and time in UTC notation.',
  errorReadingRequest: (detail: string) => `Error reading request:${detail}`,
  /** TWS's 321 wording: "Error validating request.-'<request code>' : cause - <why>". */
  errorValidatingRequest: (code: string, cause: string) => `Error validating request.-'${code}' : cause - ${cause}`,
} as const;

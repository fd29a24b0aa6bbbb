/**
 * TWS API server-version gates the simulator's messages depend on.
 * Values are IB's EClient.java MIN_SERVER_VER_* constants (checked against the reference client;
 * test/sim/reference/ keeps its own copy so a wrong value here fails the reference conformance suite).
 * Gate on the server version the way IB's decoder does: where EDecoder/EOrderDecoder read a field
 * under `m_serverVersion >= X`, the writer checks `sv >= SV.X`, never a message version.
 */
export const SV = {
  /** Lowest version that uses length-prefixed (V100+) framing; the simulator speaks nothing older. */
  V100_FRAMING: 100,
  FRACTIONAL_POSITIONS: 101,
  PEGGED_TO_BENCHMARK: 102,
  MODELS_SUPPORT: 103,
  SOFT_DOLLAR_TIER: 106,
  MD_SIZE_MULTIPLIER: 110,
  CASH_QTY: 111,
  REQ_SMART_COMPONENTS: 114,
  AGG_GROUP: 121,
  UNDERLYING_INFO: 122,
  SYNT_REALTIME_BARS: 124,
  MARKET_RULES: 126,
  MARKET_CAP_PRICE: 131,
  REAL_EXPIRATION_DATE: 134,
  LAST_LIQUIDITY: 136,
  AUTO_PRICE_FOR_HEDGE: 141,
  WHAT_IF_EXT_FIELDS: 142,
  ORDER_CONTAINER: 145,
  D_PEG_ORDERS: 148,
  PRICE_MGMT_ALGO: 151,
  STOCK_TYPE: 152,
  ENCODE_MSG_ASCII7: 153,
  DURATION: 158,
  POST_TO_ATS: 160,
  AUTO_CANCEL_PARENT: 162,
  FRACTIONAL_SIZE_SUPPORT: 163,
  SIZE_RULES: 164,
  ADVANCED_ORDER_REJECT: 166,
  MANUAL_ORDER_TIME: 169,
  PEGBEST_PEGMID_OFFSETS: 170,
  BOND_ISSUERID: 176,
  FA_PROFILE_DESUPPORT: 177,
  PENDING_PRICE_REVISION: 178,
  FUND_DATA_FIELDS: 179,
  LAST_TRADE_DATE: 182,
  CUSTOMER_ACCOUNT: 183,
  PROFESSIONAL_CUSTOMER: 184,
  BOND_ACCRUED_INTEREST: 185,
  INELIGIBILITY_REASONS: 186,
  RFQ_FIELDS: 187,
  INCLUDE_OVERNIGHT: 189,
  UNDO_RFQ_FIELDS: 190,
  CME_TAGGING_FIELDS: 192,
  CME_TAGGING_FIELDS_IN_OPEN_ORDER: 193,
} as const;

/** Lowest and highest server versions the simulator can speak. 193 is what @stoqey/ib 1.6.x asks for. */
export const MIN_SUPPORTED_SERVER_VERSION = 100;
export const MAX_SUPPORTED_SERVER_VERSION = 193;

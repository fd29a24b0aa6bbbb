import { ERR, MSG } from '../../protocol/errorCodes.ts';
import type { FieldReader } from '../../protocol/fieldReader.ts';
import type { FrameWriter } from '../../protocol/frameWriter.ts';
import { writeHistoricalNewsEnd } from '../../protocol/outgoing/news.ts';
import type { Session } from '../session.ts';

/** MIN_SERVER_VER_SCANNER_GENERIC_OPTS: reqScannerSubscription drops its version field from here. */
const SCANNER_GENERIC_OPTS = 143;

interface Unmodelled {
  name: string;
  /** Fields before the request id (a version field, usually), or undefined when the request has none. */
  reqIdAfter?: (sv: number) => number;
  /** The end marker a client waits for after its answer, written after the error. */
  end?: (w: FrameWriter, reqId: number) => void;
}

const afterVersion = () => 1;
const first = () => 0;

/** The EClient requests (OUT_MSG_ID) the simulator does not model, with where their request id sits. */
const UNMODELLED: ReadonlyMap<number, Unmodelled> = new Map<number, Unmodelled>([
  [10, { name: 'reqMktDepth', reqIdAfter: afterVersion }],
  [11, { name: 'cancelMktDepth', reqIdAfter: afterVersion }],
  [12, { name: 'reqNewsBulletins' }],
  [13, { name: 'cancelNewsBulletins' }],
  [18, { name: 'requestFA' }],
  [19, { name: 'replaceFA' }],
  [21, { name: 'exerciseOptions', reqIdAfter: afterVersion }],
  [22, { name: 'reqScannerSubscription', reqIdAfter: (sv) => (sv < SCANNER_GENERIC_OPTS ? 1 : 0) }],
  [23, { name: 'cancelScannerSubscription', reqIdAfter: afterVersion }],
  [24, { name: 'reqScannerParameters' }],
  [50, { name: 'reqRealTimeBars', reqIdAfter: afterVersion }],
  [51, { name: 'cancelRealTimeBars', reqIdAfter: afterVersion }],
  [52, { name: 'reqFundamentalData', reqIdAfter: afterVersion }],
  [53, { name: 'cancelFundamentalData', reqIdAfter: afterVersion }],
  [54, { name: 'calculateImpliedVolatility', reqIdAfter: afterVersion }],
  [55, { name: 'calculateOptionPrice', reqIdAfter: afterVersion }],
  [56, { name: 'cancelCalculateImpliedVolatility', reqIdAfter: afterVersion }],
  [57, { name: 'cancelCalculateOptionPrice', reqIdAfter: afterVersion }],
  [65, { name: 'verifyRequest' }],
  [66, { name: 'verifyMessage' }],
  [67, { name: 'queryDisplayGroups', reqIdAfter: afterVersion }],
  [68, { name: 'subscribeToGroupEvents', reqIdAfter: afterVersion }],
  [69, { name: 'updateDisplayGroup', reqIdAfter: afterVersion }],
  [70, { name: 'unsubscribeFromGroupEvents', reqIdAfter: afterVersion }],
  [72, { name: 'verifyAndAuthRequest' }],
  [73, { name: 'verifyAndAuthMessage' }],
  [79, { name: 'reqSoftDollarTiers', reqIdAfter: first }],
  [81, { name: 'reqMatchingSymbols', reqIdAfter: first }],
  [82, { name: 'reqMktDepthExchanges' }],
  [83, { name: 'reqSmartComponents', reqIdAfter: first }],
  [84, { name: 'reqNewsArticle', reqIdAfter: first }],
  [85, { name: 'reqNewsProviders' }],
  [86, { name: 'reqHistoricalNews', reqIdAfter: first, end: (w, reqId) => writeHistoricalNewsEnd(w, reqId) }],
  [87, { name: 'reqHeadTimestamp', reqIdAfter: first }],
  [88, { name: 'reqHistogramData', reqIdAfter: first }],
  [89, { name: 'cancelHistogramData', reqIdAfter: first }],
  [90, { name: 'cancelHeadTimestamp', reqIdAfter: first }],
  [96, { name: 'reqHistoricalTicks', reqIdAfter: first }],
  [97, { name: 'reqTickByTickData', reqIdAfter: first }],
  [98, { name: 'cancelTickByTickData', reqIdAfter: first }],
  [100, { name: 'reqWshMetaData', reqIdAfter: first }],
  [101, { name: 'cancelWshMetaData', reqIdAfter: first }],
  [102, { name: 'reqWshEventData', reqIdAfter: first }],
  [103, { name: 'cancelWshEventData', reqIdAfter: first }],
  [104, { name: 'reqUserInfo', reqIdAfter: first }],
]);

/**
 * A request TWS knows but the simulator does not model: error 321 in TWS's wording, addressed to the
 * request's id when it has one (clients fail that request at once instead of waiting), followed by
 * the end marker when the request type has one.
 */
export function answerUnmodelledRequest(session: Session, messageId: number, r: FieldReader): void {
  const known = UNMODELLED.get(messageId);
  const name = known?.name ?? `message id ${messageId}`;
  const reqId = known?.reqIdAfter ? readReqId(r, known.reqIdAfter(session.serverVersion)) : -1;
  session.sendError(reqId, ERR.ERROR_VALIDATING_REQUEST, MSG.errorValidatingRequest(name, `${name} is not supported by the simulator`));
  if (known?.end && reqId !== -1) known.end(session.out, reqId);
}

function readReqId(r: FieldReader, skip: number): number {
  try {
    r.skip(skip, 'version');
    return r.int('reqId');
  } catch {
    // Malformed: answer as a system message rather than guessing an id.
    return -1;
  }
}

import { escapeNonAscii, type FrameWriter } from '../frameWriter.ts';
import { OUT } from '../messageIds.ts';
import { SV } from '../serverVersions.ts';

/** The first frame of every connection: negotiated version and connection time (no message id). */
export function writeServerVersion(w: FrameWriter, serverVersion: number, connectionTime: string): void {
  w.begin(serverVersion);
  w.str(connectionTime).end();
}

/** ERR_MSG. An id of -1 makes it a system message (clients surface those as info, not errors). */
export function writeError(w: FrameWriter, sv: number, id: number, code: number, message: string): void {
  w.begin(OUT.ERR_MSG).int(2).int(id).int(code).str(sv >= SV.ENCODE_MSG_ASCII7 ? escapeNonAscii(message) : message);
  if (sv >= SV.ADVANCED_ORDER_REJECT) w.empty(); // advancedOrderRejectJson
  w.end();
}

export function writeNextValidId(w: FrameWriter, orderId: number): void {
  w.begin(OUT.NEXT_VALID_ID).int(1).int(orderId).end();
}

export function writeManagedAccounts(w: FrameWriter, accounts: readonly string[]): void {
  w.begin(OUT.MANAGED_ACCTS).int(1).str(accounts.join(',')).end();
}

export function writeCurrentTime(w: FrameWriter, epochSeconds: number): void {
  w.begin(OUT.CURRENT_TIME).int(1).int(epochSeconds).end();
}

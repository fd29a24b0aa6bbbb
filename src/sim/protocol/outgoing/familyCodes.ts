import type { FrameWriter } from '../frameWriter.ts';
import { OUT } from '../messageIds.ts';

export interface FamilyCode {
  accountId: string;
  familyCode: string;
}

/** FAMILY_CODES (EDecoder.processFamilyCodesMsg): count, then accountID/familyCode pairs; no version field. */
export function writeFamilyCodes(w: FrameWriter, codes: readonly FamilyCode[]): void {
  w.begin(OUT.FAMILY_CODES).int(codes.length);
  for (const code of codes) w.str(code.accountId).str(code.familyCode);
  w.end();
}

import type { FrameWriter } from '../frameWriter.ts';
import { OUT } from '../messageIds.ts';

/** SECURITY_DEFINITION_OPTION_PARAMETER_END (EDecoder.processSecurityDefinitionOptionalParameterEndMsg): reqId. */
export function writeSecDefOptParamsEnd(w: FrameWriter, reqId: number): void {
  w.begin(OUT.SECURITY_DEFINITION_OPTION_PARAMETER_END).int(reqId).end();
}

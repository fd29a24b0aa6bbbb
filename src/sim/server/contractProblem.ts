import type { ContractQuery } from '../../instruments/catalogue.ts';
import { MSG } from '../protocol/errorCodes.ts';
import type { SimContext } from './context.ts';

/** IB's error-200 text for a contract that resolved to no listed month, or to several. */
export function contractProblem(ctx: SimContext, contract: ContractQuery): string {
  return ctx.catalogue.match(contract).length > 1 ? MSG.ambiguousContract(contract.symbol || contract.localSymbol || '') : MSG.noSecurityDefinition;
}

import type { Logger } from '../../log/logger.ts';
import type { MonitorEvent } from '../../machines/regulatory/monitor/monitorTypes.ts';
import { REGULATORY_MONITOR_ID } from '../../machines/regulatory/monitor/monitorTypes.ts';
import type { ReportingFill } from '../../regulatory/cftc/positions/reportingPositionBook.ts';
import { busFillSchema, executionsOf } from '../../regulatory/monitoring/busFill.ts';
import type { ContractMonthResolver } from '../../regulatory/monitoring/contractMonthResolver.ts';
import type { SupervisionTree } from '../../supervision/supervisionTree.ts';
import { formatIssues } from '../../shared/zodIssues.ts';

/**
 * `order.fill` → FILL events, in publication order: a fill waiting for its contract month (a
 * broker lookup) holds back the ones behind it, so crossings are announced in the order they happened.
 */
export function subscribeFills(tree: SupervisionTree, resolver: ContractMonthResolver, logger: Logger): () => void {
  let chain: Promise<void> = Promise.resolve();
  return tree.services.bus.subscribe(
    'order.fill',
    (payload) => {
      const parsed = busFillSchema.safeParse(payload);
      if (!parsed.success) {
        logger.error('regulatory monitor cannot read an order.fill event; the position is not counted', { issues: formatIssues(parsed.error.issues, { style: 'dotted' }) });
        return;
      }
      const executions = executionsOf(parsed.data);
      const resolving = Promise.all(
        executions.map(async (execution): Promise<ReportingFill> => ({
          execId: execution.execId,
          account: execution.account,
          symbol: execution.symbol,
          contractMonth: await resolver.monthOf(execution.symbol, execution.expiry),
          side: execution.side,
          quantity: execution.quantity,
        })),
      );
      // Marked handled now: a failed lookup is reported in order below, not as an unhandled rejection.
      resolving.catch(() => undefined);
      chain = chain
        .then(() => resolving)
        .then(
          (fills) => {
            const event: MonitorEvent = { type: 'FILL', fills };
            tree.send(REGULATORY_MONITOR_ID, event);
          },
          (error: Error) => {
            logger.error('regulatory monitor could not place a fill in a contract month; the position is not counted', {
              clientOrderId: parsed.data.clientOrderId,
              symbol: parsed.data.symbol,
              error: error.message,
            });
          },
        );
    },
    'regulatory-monitor',
  );
}

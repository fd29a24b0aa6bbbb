import { CallNotPermittedError, type CircuitBreaker } from '../../actors/circuitBreaker.ts';
import type { RenderedReport } from '../reportTypes.ts';
import type { AwaitAckOptions, ReportTransport, SubmissionReceipt, Ack } from './reportTransport.ts';
import { RetryableTransportError } from './transportErrors.ts';

/**
 * Puts a transport's submissions behind a circuit breaker. The breaker is looked up per call
 * because it is a supervised actor: after a restart it is a new actor. While it is open (or
 * restarting) a submission fails fast with a retryable error, so BullMQ backs off and tries later.
 */
export function guardedTransport(transport: ReportTransport, breakerOf: () => CircuitBreaker | undefined): ReportTransport {
  return {
    kind: transport.kind,
    target: transport.target,
    async submit(report: RenderedReport): Promise<SubmissionReceipt> {
      const breaker = breakerOf();
      if (!breaker) throw new RetryableTransportError(`circuit breaker for ${transport.target} is not running; report ${report.id} not submitted`);
      try {
        return await breaker.execute(() => transport.submit(report));
      } catch (error) {
        if (error instanceof CallNotPermittedError) {
          throw new RetryableTransportError(`${error.message}; report ${report.id} not submitted to ${transport.target}`, { cause: error });
        }
        throw error;
      }
    },
    awaitAck(receipt: SubmissionReceipt, options: AwaitAckOptions): Promise<Ack> {
      return transport.awaitAck(receipt, options);
    },
  };
}

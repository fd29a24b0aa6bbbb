import type { Logger } from '../../log/logger.ts';
import type { BrokerListener } from '../broker/broker.ts';
import { errorMessage } from '../../shared/errorMessage.ts';

/**
 * The host process watching the broker's book as it changes (e.g. a chaos run checking that no
 * two live orders share an orderRef): told of every order accepted or modified, each fill and each
 * cancel, right after the owning client was. The order passed is the live one: read, never write.
 */
export type OrderObserver = Partial<Pick<BrokerListener, 'orderSubmitted' | 'orderFilled' | 'orderCancelled'>>;

/** The broker's listener with the observers after it; a throwing observer is logged, never felt by clients. */
export function withObservers(primary: BrokerListener, observers: ReadonlySet<OrderObserver>, logger: Logger): BrokerListener {
  const tell = (call: (observer: OrderObserver) => void) => {
    if (observers.size === 0) return;
    for (const observer of observers) {
      try {
        call(observer);
      } catch (error) {
        logger.error('order observer failed', { component: 'sim', error: errorMessage(error) });
      }
    }
  };
  return {
    orderSubmitted(order) {
      primary.orderSubmitted(order);
      tell((o) => o.orderSubmitted?.(order));
    },
    orderFilled(order, execution) {
      primary.orderFilled(order, execution);
      tell((o) => o.orderFilled?.(order, execution));
    },
    orderCancelled(order) {
      primary.orderCancelled(order);
      tell((o) => o.orderCancelled?.(order));
    },
    orderRejected: (clientId, orderId, code, message) => primary.orderRejected(clientId, orderId, code, message),
    whatIfAnswered: (order, margins) => primary.whatIfAnswered(order, margins),
  };
}

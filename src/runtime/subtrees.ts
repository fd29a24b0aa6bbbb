import type { SubtreeFactory } from './mainTree';
import { brokerSubtree } from './brokerSubtree';
import { ordersSubtree } from './ordersRuntime';

/** The capabilities `tradewire start` runs after infrastructure, in start order. */
export const defaultSubtrees: SubtreeFactory[] = [brokerSubtree, ordersSubtree];
